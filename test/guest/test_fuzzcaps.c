/*
 * test_fuzzcaps.c - the fuzzer that reaches every path: children that own a
 * rich CSpace make mostly-valid system calls, three threads at once, and
 * after each run root checks the kernel's books. Plays root.
 *
 * Per seed, root carves a 2 MiB Untyped and builds from it a child whose
 * CSpace (CHILD_RADIX) holds: its own CNode and a second one, Untypeds of
 * 2^12, 2^14 and 2^16 bytes, an endpoint with grant and a badged copy, two
 * notifications, two frames, a page table, its own VSpace, an IRQHandler,
 * the TCBs of its two worker threads and root's endpoint (write only, its
 * fault endpoint). The main thread and the workers share that CSpace and
 * address space and each makes calls from its own xorshift stream: kernel
 * invocations by the invocation table with arguments mostly in range and
 * sometimes at the edges, IPC with caps in the message, register writes to
 * queued threads, suspending and deleting each other mid-call, and raw noise.
 * Each counts its calls in a page root can read. Root answers what reaches
 * its endpoint and stops the run when every thread is done or none moves.
 * Then it revokes the 2 MiB Untyped and checks the books: every slot the run
 * used is empty, the whole Untyped retypes again from its first byte, the
 * IRQ line can be claimed again. The last lines: "fuzz: calls N seeds S
 * panics 0 books clean" (a panic never gets there). FUZZ_SEEDS, FUZZ_CALLS
 * (per seed) and FUZZ_SEED0 may be set at build time (make test-fuzz).
 */
#define CHECK_NAME "test_fuzzcaps"
#include <stdbool.h>

#include "check.h"
#include "fuzz.h"
#include "ipc.h"
#include "playroot.h"
#include "syscalls.h"
#include "sys.h"

#ifndef FUZZ_SEEDS
#define FUZZ_SEEDS 4
#endif
#ifndef FUZZ_CALLS
#define FUZZ_CALLS 100000
#endif
#ifndef FUZZ_SEED0
#define FUZZ_SEED0 1
#endif

#define CHILD_RADIX  6
#define RUN_BITS     21
#define RUN_SLOTS    160          /* root slots one run may fill */
#define IRQ_LINE     7            /* a virtio-mmio line nothing else uses */
#define THREADS      3
#define SHARED_VA    0x30000000ul /* the counters, in the child */
#define WORKER_VA    0x31000000ul /* a worker's stack page and IPC buffer */
#define FREE_VA      0x10000000ul /* where the children may map things */
#define EXC_ECALL_U  8
#define CHILD_PRIORITY 100

/* The child's CSpace. */
enum {
	C_CNODE = 1, C_CNODE2, C_UT12, C_UT14, C_UT16, C_EP, C_EP_BADGED, C_NTFN, C_NTFN2,
	C_FRAME, C_FRAME2, C_PT, C_VSPACE, C_IRQ, C_WORKER1, C_WORKER2, C_ROOT_EP, C_FIRST_FREE
};

struct counters {
	uint64_t calls[THREADS];
	uint64_t odd[THREADS];      /* a known call that returned no error code */
	uint64_t odd_call[3];       /* the last such: a0 it returned, a7, a1 */
};

/* --- the children -------------------------------------------------------- */

struct inv_row {
	uint64_t label, nargs;
};

static const struct inv_row inv_rows[] = {
#define FUZZ_ROW(NAME, label, type, nargs, rights) { label, nargs },
	INVOCATION_TABLE(FUZZ_ROW)
#undef FUZZ_ROW
};

/* A cptr: mostly a slot that holds something, sometimes empty, 0, just past
 * the CSpace or anything. */
static uint64_t fuzz_cptr(struct fuzz *f)
{
	switch (fuzz_below(f, 10)) {
	case 0:
		return fuzz_below(f, (1u << CHILD_RADIX) + 2);
	case 1:
		return fuzz_next(f);
	default:
		return 1 + fuzz_below(f, C_FIRST_FREE + 3);
	}
}

/* An argument word: a slot, a size or type at its limits, rights, an
 * address to map at, a deadline, or noise. */
static uint64_t fuzz_arg(struct fuzz *f)
{
	static const uint64_t edges[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17, 21, 22, 38, 39, 63, 64, 65,
		255, 256, 257, (1u << CHILD_RADIX) - 1, 1u << CHILD_RADIX, RETYPE_MAX_COUNT + 1,
		0x3ffffff000ul, 0x4000000000ul, ~0ul,
	};

	switch (fuzz_below(f, 8)) {
	case 0: case 1: case 2:
		return fuzz_below(f, C_FIRST_FREE + 8);
	case 3: case 4:
		return FUZZ_PICK(f, edges);
	case 5:
		return FREE_VA + (fuzz_below(f, 4) << 21) + (fuzz_below(f, 8) << 12);
	case 6:
		return fuzz_below(f, 2) ? time_now() + fuzz_below(f, 200000) : 0;
	default:
		return fuzz_next(f);
	}
}

/* The message's words (and caps) around the registers: each thread's IPC
 * buffer is at tp. */
static struct ipc_buffer *fuzz_buffer(void)
{
	struct ipc_buffer *buf;

	__asm__("mv %0, tp" : "=r"(buf));
	return buf;
}

/* An invocation: a row of the table (or a label near it), with as many
 * argument words as it takes, mostly. */
static void fuzz_invocation(struct fuzz *f, uint64_t r[8])
{
	const struct inv_row *row = &inv_rows[fuzz_below(f, sizeof(inv_rows) / sizeof(inv_rows[0]))];
	struct ipc_buffer *buf = fuzz_buffer();
	uint64_t label = fuzz_below(f, 16) ? row->label : fuzz_below(f, 64);
	uint64_t len = fuzz_below(f, 8) ? row->nargs : fuzz_below(f, MSG_MAX_WORDS + 2);
	unsigned i;

	if (label == INV_TCB_WRITE_REGISTERS && fuzz_below(f, 4))
		len = 0;                /* mostly too short: a random pc is a fault */
	r[7] = SYS_CALL;
	r[0] = fuzz_cptr(f);
	r[1] = MSGINFO(label, 0, len);
	for (i = 2; i < 6; i++)
		r[i] = fuzz_arg(f);
	for (i = MSG_REG_WORDS; i < MSG_MAX_WORDS && i < len; i++)
		buf->mr[i] = fuzz_arg(f);
	if (r[0] == C_EP || r[0] == C_EP_BADGED)
		r[7] = SYS_NBSEND;      /* a call there would be IPC, and wait */
}

/* IPC: any of the IPC calls on a cap, with words, caps to send and a place
 * to receive them; blocking now and then. */
static void fuzz_ipc(struct fuzz *f, uint64_t r[8])
{
	static const uint64_t calls[] = { SYS_SEND, SYS_NBSEND, SYS_CALL, SYS_NBRECV, SYS_NBRECV,
					  SYS_REPLY, SYS_REPLY_RECV, SYS_SIGNAL, SYS_YIELD,
					  SYS_NBSEND, SYS_RECV };

	struct ipc_buffer *buf = fuzz_buffer();
	unsigned i;

	r[7] = FUZZ_PICK(f, calls);
	if (fuzz_below(f, 32) != 0) {   /* blocking only now and then */
		if (r[7] == SYS_CALL || r[7] == SYS_SEND)
			r[7] = SYS_NBSEND;
		else if (r[7] == SYS_RECV || r[7] == SYS_REPLY_RECV)
			r[7] = SYS_NBRECV;
	}
	r[0] = fuzz_below(f, 4) ? C_EP + fuzz_below(f, 4) : fuzz_cptr(f);
	r[1] = MSGINFO(fuzz_below(f, 4), fuzz_below(f, 4), fuzz_below(f, 8) ? fuzz_below(f, 6) :
		       fuzz_below(f, 128));
	for (i = 2; i < 7; i++)
		r[i] = fuzz_arg(f);
	for (i = 0; i < MSG_MAX_CAPS; i++)
		buf->caps[i] = fuzz_cptr(f);
	buf->recv_cnode = fuzz_below(f, 3) ? C_CNODE : fuzz_cptr(f);
	buf->recv_slot = fuzz_below(f, (1u << CHILD_RADIX) + 2);
}

/* The main thread plays with its workers: their registers while they wait
 * (a queued sender's info word), suspend, resume, delete mid-call. */
static void fuzz_workers(struct fuzz *f)
{
	cptr_t w = C_WORKER1 + fuzz_below(f, 2);
	struct user_regs regs;

	switch (fuzz_below(f, 8)) {
	case 0:
		tcb_suspend(w);
		break;
	case 1:
		tcb_resume(w);
		break;
	case 2:
		if (fuzz_below(f, 8) == 0)
			cnode_delete(C_CNODE, w);
		break;
	default:
		if (tcb_read_registers(w, &regs) == ERR_OK) {
			regs.a1 = MSGINFO(fuzz_below(f, 4), fuzz_below(f, 4), fuzz_below(f, 128));
			tcb_write_registers(w, &regs);
		}
		break;
	}
}

static bool fuzz_known(uint64_t number)
{
#define FUZZ_KNOWN_ENTRY(NAME, num, name) number == num ||
	return SYSCALL_TABLE(FUZZ_KNOWN_ENTRY) false;
#undef FUZZ_KNOWN_ENTRY
}

static int child_main(uint64_t arg)
{
	unsigned id = (arg >> 1) & 3, i;
	struct fuzz f = { ((arg >> 8) + id) * 0x9e3779b97f4a7c15ul | 1 };
	struct counters *c = (struct counters *)SHARED_VA;
	uint64_t r[8], n = id == 0 ? FUZZ_CALLS / 2 : FUZZ_CALLS / 4, err;

	for (c->calls[id] = 0; c->calls[id] < n; c->calls[id]++) {
		switch (fuzz_below(&f, 20)) {
		case 0:
			r[7] = fuzz_below(&f, SYS_COUNT + 4);
			for (i = 0; i < 7; i++)
				r[i] = fuzz_below(&f, 2) ? fuzz_arg(&f) : fuzz_cptr(&f);
			if (r[7] == SYS_EXIT || r[7] == SYS_DEBUG_WRITE)
				r[7] = SYS_YIELD;
			break;
		case 1:
			if (id == 0) {
				fuzz_workers(&f);
				continue;
			}
			/* fall through */
		case 2: case 3: case 4: case 5: case 6:
			fuzz_ipc(&f, r);
			break;
		default:
			fuzz_invocation(&f, r);
			break;
		}
		err = fuzz_ecall(r);
		if (fuzz_known(r[7]) && err >= ERR_COUNT) {
			c->odd[id]++;
			c->odd_call[0] = err, c->odd_call[1] = r[7], c->odd_call[2] = r[1];
		}
	}
	return 0;
}

/* --- root ------------------------------------------------------------------ */

static struct spawn_pool pool;
static cptr_t runs_untyped;      /* each run carves its own from here */
static cptr_t root_ep, timer_ntfn;
static volatile struct counters *shared;
static uint64_t shared_va;

struct run {
	struct spawn_pool p;      /* objects of this run, from its Untyped */
	cptr_t untyped, first_slot;
	struct spawned child;
	cptr_t worker[2];
	cptr_t ep, ntfn[2];       /* root's copies of the child's, to wake its waiters */
};

/* A child slot gets a copy (or, badge != 0, a mint) of root's cap. */
static int give(struct run *run, cptr_t slot, cptr_t cap, unsigned rights, uint64_t badge)
{
	return badge ? cnode_mint(run->child.cnode, slot, BOOT_SLOT_CNODE, cap, rights, badge) :
		       cnode_copy(run->child.cnode, slot, BOOT_SLOT_CNODE, cap, rights);
}

/* A new object of `type` from the run, moved into the child's slot (an
 * Untyped or a page table cannot be copied), or copied if keep: root keeps
 * its cap in *keep. */
static int give_new(struct run *run, cptr_t slot, unsigned type, unsigned size_bits,
		    cptr_t *keep)
{
	cptr_t cap;
	int err = spawn_object(&run->p, type, size_bits, &cap);

	if (err == ERR_OK && keep)
		return *keep = cap, give(run, slot, cap, RIGHTS_ALL, 0);
	return err == ERR_OK ? cnode_move(run->child.cnode, slot, BOOT_SLOT_CNODE, cap) : err;
}

/* Worker i (0 or 1): a thread of the child's CSpace and address space. */
static int make_worker(struct run *run, unsigned i, uint64_t seed)
{
	uint64_t stack_va = WORKER_VA + i * 0x10000, ipc_va = stack_va + 0x2000;
	struct user_regs regs;
	cptr_t stack, ipc, *tcb = &run->worker[i];
	int err;

	if ((err = tcb_read_registers(run->child.tcb, &regs)) ||
	    (err = spawn_map_new(&run->p, run->child.vspace, stack_va, MAP_READ | MAP_WRITE, &stack)) ||
	    (err = spawn_map_new(&run->p, run->child.vspace, ipc_va, MAP_READ | MAP_WRITE, &ipc)) ||
	    (err = spawn_object(&run->p, OBJ_TCB, 0, tcb)) ||
	    (err = tcb_configure(*tcb, run->child.cnode, run->child.vspace, ipc, ipc_va, C_ROOT_EP,
				 CHILD_PRIORITY)) ||
	    (err = tcb_set_name(*tcb, i ? "fuzz_worker2" : "fuzz_worker1")))
		return err;
	regs.sp = stack_va + 4096;
	regs.tp = ipc_va;
	regs.a0 = (seed << 8) | ((i + 1) << 1) | 1;
	if ((err = tcb_write_registers(*tcb, &regs)))
		return err;
	return give(run, C_WORKER1 + i, *tcb, RIGHTS_ALL, 0);
}

/* The child and everything it holds, from a fresh Untyped. */
static int build_run(struct run *run, uint64_t seed)
{
	cptr_t frame, copy;
	int err;

	run->first_slot = pool.next_slot;
	run->untyped = run->first_slot;
	err = untyped_retype(runs_untyped, OBJ_UNTYPED, RUN_BITS, BOOT_SLOT_CNODE, run->untyped, 1);
	run->p = pool;
	run->p.untyped = run->untyped;
	run->p.next_slot = run->untyped + 1;
	run->p.end_slot = run->untyped + RUN_SLOTS;
	if (err == ERR_OK)
		err = playroot_spawn(&run->p, &run->child, "test_fuzzcaps", CHILD_RADIX, C_ROOT_EP,
				     CHILD_PRIORITY, (seed << 8) | 1, "fuzz_main");
	if (err == ERR_OK)
		err = give(run, C_CNODE, run->child.cnode, RIGHTS_ALL, 0);
	if (err == ERR_OK)
		err = give_new(run, C_CNODE2, OBJ_CNODE, 4, NULL);
	if (err == ERR_OK)
		err = give_new(run, C_UT12, OBJ_UNTYPED, 12, NULL);
	if (err == ERR_OK)
		err = give_new(run, C_UT14, OBJ_UNTYPED, 14, NULL);
	if (err == ERR_OK)
		err = give_new(run, C_UT16, OBJ_UNTYPED, 16, NULL);
	if (err == ERR_OK)
		err = give_new(run, C_EP, OBJ_ENDPOINT, 0, &run->ep);
	if (err == ERR_OK)
		err = cnode_mint(run->child.cnode, C_EP_BADGED, run->child.cnode, C_EP, RIGHTS_ALL, 7);
	if (err == ERR_OK)
		err = give_new(run, C_NTFN, OBJ_NOTIFICATION, 0, &run->ntfn[0]);
	if (err == ERR_OK)
		err = give_new(run, C_NTFN2, OBJ_NOTIFICATION, 0, &run->ntfn[1]);
	if (err == ERR_OK)
		err = give_new(run, C_FRAME, OBJ_FRAME, 0, NULL);
	if (err == ERR_OK)
		err = give_new(run, C_FRAME2, OBJ_FRAME, 0, NULL);
	if (err == ERR_OK)
		err = give_new(run, C_PT, OBJ_PAGE_TABLE, 0, NULL);
	if (err == ERR_OK)
		err = give(run, C_VSPACE, run->child.vspace, RIGHTS_ALL, 0);
	if (err == ERR_OK)
		err = irq_control_get(BOOT_SLOT_IRQ_CONTROL, IRQ_LINE, run->child.cnode, C_IRQ);
	if (err == ERR_OK)
		err = give(run, C_ROOT_EP, root_ep, RIGHT_WRITE, 0x100);
	/* The counters: mapped in the child and in root by root's caps, which
	 * the child cannot name. */
	if (err == ERR_OK)
		err = spawn_map_new(&run->p, run->child.vspace, SHARED_VA, MAP_READ | MAP_WRITE,
				    &frame);
	copy = run->p.next_slot++;
	if (err == ERR_OK)
		err = cnode_copy(BOOT_SLOT_CNODE, copy, BOOT_SLOT_CNODE, frame, RIGHTS_ALL);
	if (err == ERR_OK)
		err = spawn_map(&run->p, BOOT_SLOT_VSPACE, copy, shared_va, MAP_READ | MAP_WRITE);
	if (err == ERR_OK)
		err = make_worker(run, 0, seed);
	if (err == ERR_OK)
		err = make_worker(run, 1, seed);
	return err;
}

static uint64_t calls_made(void)
{
	return shared->calls[0] + shared->calls[1] + shared->calls[2];
}

/* Every 2 ms without a call made, root wakes the run's waiters: it
 * receives and sends on the child's endpoint and signals its
 * notifications; then, at most UNSTICKS times a run (a killed thread comes
 * back to be killed again, and says so), it ends every thread's wait
 * (suspend, resume: ERR_CANCELLED). After three such in a row the run is
 * over. */
#define UNSTICKS 16
static bool unstick(struct run *run, unsigned *still, unsigned *unsticks)
{
	const cptr_t tcbs[THREADS] = { run->child.tcb, run->worker[0], run->worker[1] };
	struct ipc_msg m = { 0 };
	unsigned i;

	for (i = 0; i < THREADS; i++) {
		ipc_nbrecv(run->ep, &m);
		m = (struct ipc_msg){ 0 };
		ipc_nbsend(run->ep, &m);
	}
	notify_signal(run->ntfn[0]);
	notify_signal(run->ntfn[1]);

	for (i = 0; i < THREADS && *unsticks < UNSTICKS; i++)
		if (tcb_suspend(tcbs[i]) == ERR_OK)
			tcb_resume(tcbs[i]);
	++*unsticks;
	return ++*still < 3;
}

/* Serve root's endpoint until every thread has made its calls or the run
 * is stuck (unstick). Unknown system calls are faults root answers (the
 * thread goes on after the ecall); other faults it leaves unanswered. */
static void serve(struct run *run)
{
	uint64_t last = ~0ul;
	unsigned still = 0, unsticks = 0;
	struct ipc_msg m;
	int err;

	notification_set_timer(timer_ntfn, time_now() + 20000);
	for (;;) {
		m = (struct ipc_msg){ 0 };
		err = ipc_recv(root_ep, &m);
		if (err != ERR_OK)
			continue;
		if (MSGINFO_FLAGS(m.info) & MSGINFO_FLAG_NOTIFY) {
			if (calls_made() == FUZZ_CALLS / 2 + 2 * (FUZZ_CALLS / 4))
				return;
			if (calls_made() != last)
				still = 0;
			else if (!unstick(run, &still, &unsticks))
				return;
			last = calls_made();
			notification_set_timer(timer_ntfn, time_now() + 20000);
			continue;
		}
		if ((MSGINFO_FLAGS(m.info) & MSGINFO_FLAG_FAULT) && m.mr[FAULT_MR_CAUSE] != EXC_ECALL_U)
			continue;
		m.info = MSGINFO(0, 0, 0);
		ipc_reply(&m);
	}
}

/* After the revoke: the books. Every root slot of the run is empty, the
 * whole Untyped is free (two halves retype from its first byte), and the
 * IRQ line can be claimed again. */
static bool books_clean(struct run *run)
{
	struct cap_info ci, half;
	bool clean = true;
	cptr_t s;

	for (s = run->untyped + 1; s < run->p.next_slot; s++)
		if (cnode_describe(BOOT_SLOT_CNODE, s, &ci) != ERR_OK || ci.type != OBJ_NULL) {
			printf("test_fuzzcaps: slot %lu still holds a %lu\n", s, ci.type);
			clean = false;
		}
	clean &= cnode_describe(BOOT_SLOT_CNODE, run->untyped, &ci) == ERR_OK;
	clean &= untyped_retype(run->untyped, OBJ_UNTYPED, RUN_BITS - 1, BOOT_SLOT_CNODE,
				run->untyped + 1, 2) == ERR_OK;
	clean &= cnode_describe(BOOT_SLOT_CNODE, run->untyped + 1, &half) == ERR_OK &&
		 half.paddr == ci.paddr;
	clean &= cnode_describe(BOOT_SLOT_CNODE, run->untyped + 2, &half) == ERR_OK &&
		 half.paddr == ci.paddr + (1ul << (RUN_BITS - 1));
	clean &= irq_control_get(BOOT_SLOT_IRQ_CONTROL, IRQ_LINE, BOOT_SLOT_CNODE,
				 run->untyped + 3) == ERR_OK;
	clean &= cnode_delete(BOOT_SLOT_CNODE, run->untyped + 3) == ERR_OK;
	clean &= cnode_revoke(BOOT_SLOT_CNODE, run->untyped) == ERR_OK;
	clean &= cnode_delete(BOOT_SLOT_CNODE, run->untyped) == ERR_OK;
	return clean;
}

int main(uint64_t arg)
{
	const struct bootinfo *bi = (const struct bootinfo *)arg;
	uint64_t seed, calls = 0, odd = 0;
	unsigned runs = 0, clean = 0;
	struct run run;
	bool ok;
	int err;

	if (arg & 1)
		return child_main(arg);
	check("make a pool of objects", playroot_init(bi, &pool, 23), ERR_OK);
	check("an endpoint for faults", spawn_object(&pool, OBJ_ENDPOINT, 0, &root_ep), ERR_OK);
	check("a notification for time", spawn_object(&pool, OBJ_NOTIFICATION, 0, &timer_ntfn),
	      ERR_OK);
	check("bound to root", tcb_bind_notification(BOOT_SLOT_TCB, timer_ntfn), ERR_OK);
	check("an Untyped for the runs", spawn_object(&pool, OBJ_UNTYPED, RUN_BITS + 1, &runs_untyped),
	      ERR_OK);
	shared_va = playroot_page();
	shared = (volatile struct counters *)shared_va;
	for (seed = FUZZ_SEED0; seed < FUZZ_SEED0 + FUZZ_SEEDS; seed++) {
		err = build_run(&run, seed);
		if (err == ERR_OK && (err = tcb_resume(run.worker[0])) == ERR_OK &&
		    (err = tcb_resume(run.worker[1])) == ERR_OK)
			err = tcb_resume(run.child.tcb);
		if (err != ERR_OK) {
			check("build the run", err, ERR_OK);
			break;
		}
		serve(&run);
		printf("test_fuzzcaps: seed %lu: %lu calls (%lu, %lu, %lu)\n", seed, calls_made(),
		       shared->calls[0], shared->calls[1], shared->calls[2]);
		calls += calls_made();
		if (shared->odd[0] + shared->odd[1] + shared->odd[2])
			printf("test_fuzzcaps: seed %lu: a call returned %#lx (a7 %lu, a1 %#lx)\n", seed,
			       shared->odd_call[0], shared->odd_call[1], shared->odd_call[2]);
		odd += shared->odd[0] + shared->odd[1] + shared->odd[2];
		ok = cnode_revoke(BOOT_SLOT_CNODE, run.untyped) == ERR_OK && books_clean(&run);
		clean += ok;
		runs++;
		if (!ok)
			printf("test_fuzzcaps: seed %lu: the books are not clean\n", seed);
	}
	check_eq("every known call returned an error code", odd, 0);
	check_eq("the books were clean after every run", clean, FUZZ_SEEDS);
	printf("fuzz: calls %lu seeds %u panics 0 books %s\n", calls, runs,
	       clean == FUZZ_SEEDS ? "clean" : "NOT CLEAN");
	return check_done();
}
