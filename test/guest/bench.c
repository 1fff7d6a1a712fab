/*
 * bench.c - plays root for `make bench`: counts the instructions each kernel
 * operation costs. tools/bench.py boots it (root=bench) and reads its lines.
 *
 * Under QEMU with -icount shift=0 -smp 1 the instret counter counts guest
 * instructions exactly: ours, the kernel's and OpenSBI's. A figure runs its
 * operation BENCH_BATCH times in a loop, BENCH_ROUNDS times over, and keeps
 * the cheapest round: a timer interrupt makes a round dearer, so the
 * cheapest is one that no tick landed in. The same loop around an operation
 * that does nothing is subtracted, leaving what the operation costs as a
 * program sees it, user-side stub included.
 *
 * Output: "bench: NAME X.Y" per figure (instructions per operation, one
 * decimal), then "bench: done". An operation that fails prints
 * "bench: FAIL NAME: ERROR" and the program exits with status 1.
 */
#include "bench_measure.h"
#include "bench_shared.h"
#include "bootinfo.h"
#include "errors.h"
#include "invoke.h"
#include "ipc.h"
#include "printf.h"
#include "spawn.h"
#include "sys.h"

/* 5 x 2,000 = 10,000 operations a figure. A tick comes every 10 M
 * instructions (CLOCK_HZ 100 at 1 G instructions a guest second), and no
 * round here costs more than a few M, so most rounds see no tick. */
#define BENCH_BATCH  2000
#define BENCH_ROUNDS 5
#define POOL_BITS    20      /* a 1 MiB Untyped for the objects we make */

static const struct bootinfo *bi;
static struct spawn_pool pool;

/* The objects the operations work on; their setup functions fill these in. */
static cptr_t copy_src;       /* an unmapped Frame to copy */
static cptr_t copy_dst;       /* an empty slot to copy it into */
static cptr_t map_frame;      /* a Frame to map and unmap... */
static uint64_t map_vaddr;    /* ...here, where the page tables exist */
static cptr_t echo_ep;        /* the echo server waits here */
static cptr_t ntfn;           /* a notification of our own */
static cptr_t pager_ep;       /* the pager child faults and calls here */
static struct spawned pager_child;
static cptr_t pager_frame;    /* the page root maps for it each time */
static struct ipc_msg echo_msg;

/* --- the operations: each does one of what its figure counts --------------- */

__attribute__((noinline)) static int bench_op_empty(void)
{
	return ERR_OK;
}

/* A system call that does nothing: with one runnable thread, yield() finds
 * nobody else to run and returns at once. */
__attribute__((noinline)) static int bench_op_null_syscall(void)
{
	return yield();
}

/* Copy a capability into an empty slot and delete the copy: one pair. */
__attribute__((noinline)) static int bench_op_cap_copy_delete(void)
{
	int err = cnode_copy(BOOT_SLOT_CNODE, copy_dst, BOOT_SLOT_CNODE, copy_src, RIGHTS_ALL);

	return err != ERR_OK ? err : cnode_delete(BOOT_SLOT_CNODE, copy_dst);
}

/* Map one frame where its page tables already are, and unmap it: one pair. */
__attribute__((noinline)) static int bench_op_page_map_unmap(void)
{
	int err = frame_map(map_frame, BOOT_SLOT_VSPACE, map_vaddr, MAP_READ | MAP_WRITE);

	return err != ERR_OK ? err : frame_unmap(map_frame);
}

/* One call to the echo server and its reply, with the message set up. */
__attribute__((noinline)) static int bench_op_ipc_call(void)
{
	return ipc_call(echo_ep, &echo_msg);
}

/* Signal our own notification and take the bit: two system calls, no
 * thread switch. */
__attribute__((noinline)) static int bench_op_notify_signal_wait(void)
{
	uint64_t bits;
	int err = notify_signal(ntfn);

	return err != ERR_OK ? err : notify_wait(ntfn, &bits);
}

/* One page fault served by a user-level pager (us). The child is blocked
 * in its "done" call: take the page away, let it run (it faults on the
 * page), map the page, resume it (it reads and calls "done" again). */
__attribute__((noinline)) static int bench_op_pager_fault(void)
{
	struct ipc_msg m = { 0 };
	int err = frame_unmap(pager_frame);

	if (err == ERR_OK)
		err = ipc_reply_recv(pager_ep, &m);
	if (err == ERR_OK && !(m.info & MSGINFO_FLAG_FAULT))
		err = ERR_INVALID_OPERATION;     /* it should have faulted */
	if (err == ERR_OK)
		err = frame_map(pager_frame, pager_child.vspace, BENCH_PAGER_VADDR,
				MAP_READ | MAP_WRITE);
	m.info = 0;
	if (err == ERR_OK)
		err = ipc_reply_recv(pager_ep, &m);
	if (err == ERR_OK && m.badge != BENCH_BADGE_DONE)
		err = ERR_INVALID_OPERATION;
	return err;
}

/* --- set-up, once per figure before its rounds --------------------------- */

/* A program started from the boot image at our priority, with `ep` (a cap
 * of ours, badged) in its slot 1 and, if fault_badge, a second badged copy
 * in slot 2 as its fault endpoint. */
static int bench_spawn(struct spawned *p, uint64_t mode, cptr_t ep, uint64_t fault_badge)
{
	int err = spawn_program(&pool, p, (const void *)bi->bootimg, bi->bootimg_size,
				"bench_server", 4, fault_badge ? 2 : CPTR_NULL, PRIORITY_MAX, mode);

	if (err == ERR_OK)
		err = cnode_mint(p->cnode, 1, BOOT_SLOT_CNODE, ep, RIGHTS_ALL, BENCH_BADGE_DONE);
	if (err == ERR_OK && fault_badge)
		err = cnode_mint(p->cnode, 2, BOOT_SLOT_CNODE, ep, RIGHTS_ALL, fault_badge);
	return err == ERR_OK ? tcb_resume(p->tcb) : err;
}

/* The echo server, started once; each figure sets the message it sends. */
static int bench_setup_echo(unsigned words)
{
	struct spawned server;
	int err = ERR_OK;

	if (echo_ep == CPTR_NULL) {
		err = spawn_object(&pool, OBJ_ENDPOINT, 0, &echo_ep);
		if (err == ERR_OK)
			err = bench_spawn(&server, BENCH_ECHO, echo_ep, 0);
		if (err == ERR_OK)
			err = yield();       /* it runs up to its first recv */
	}
	echo_msg = (struct ipc_msg){ .info = MSGINFO(1, 0, words) };
	return err;
}

static int bench_setup_call_reply(void)
{
	return bench_setup_echo(0);
}

static int bench_setup_call_reply_4w(void)
{
	return bench_setup_echo(4);
}

/* Five words: the fifth travels in the IPC buffers, off the fast path. */
static int bench_setup_call_reply_slow(void)
{
	return bench_setup_echo(5);
}

static int bench_setup_notify(void)
{
	return spawn_object(&pool, OBJ_NOTIFICATION, 0, &ntfn);
}

/* The pager child, run until it first calls "done" with its page mapped. */
static int bench_setup_pager(void)
{
	struct ipc_msg m = { 0 };
	int err = spawn_object(&pool, OBJ_ENDPOINT, 0, &pager_ep);

	if (err == ERR_OK)
		err = bench_spawn(&pager_child, BENCH_PAGER_CHILD, pager_ep, BENCH_BADGE_FAULT);
	if (err == ERR_OK)
		err = spawn_map_new(&pool, pager_child.vspace, BENCH_PAGER_VADDR, MAP_READ | MAP_WRITE,
				    &pager_frame);
	if (err == ERR_OK)
		err = ipc_recv(pager_ep, &m);
	if (err == ERR_OK && m.badge != BENCH_BADGE_DONE)
		err = ERR_INVALID_OPERATION;
	return err;
}

static int bench_setup_cap_copy_delete(void)
{
	int err = spawn_object(&pool, OBJ_FRAME, 0, &copy_src);

	if (err == ERR_OK && pool.next_slot >= pool.end_slot)
		err = ERR_RANGE;
	if (err == ERR_OK)
		copy_dst = pool.next_slot++;
	return err;
}

/* Map the frame once, which makes its page tables, and take it away again. */
static int bench_setup_page_map_unmap(void)
{
	int err;

	map_vaddr = bi->free_vaddr;
	err = spawn_map_new(&pool, BOOT_SLOT_VSPACE, map_vaddr, MAP_READ | MAP_WRITE, &map_frame);
	return err == ERR_OK ? frame_unmap(map_frame) : err;
}

/*
 * The figures, in the order they are printed. The ipc_call_reply figures
 * are one round trip to a server in another address space: call, and its
 * reply_recv (the fast path for 0 and 4 words; 5 words take the general
 * path). pager_fault is one whole cycle of a user-level pager: unmap, the
 * child's fault, the handler's map, the reply that resumes the child, and
 * the child's 0-word call that hands control back.
 */
struct bench {
	const char *name;
	int (*setup)(void);       /* NULL, or run once first; returns an error code */
	int (*op)(void);          /* one operation; returns an error code */
};

static const struct bench benches[] = {
	{ "null_syscall", NULL, bench_op_null_syscall },
	{ "cap_copy_delete", bench_setup_cap_copy_delete, bench_op_cap_copy_delete },
	{ "page_map_unmap", bench_setup_page_map_unmap, bench_op_page_map_unmap },
	{ "ipc_call_reply", bench_setup_call_reply, bench_op_ipc_call },
	{ "ipc_call_reply_4w", bench_setup_call_reply_4w, bench_op_ipc_call },
	{ "ipc_call_reply_slow", bench_setup_call_reply_slow, bench_op_ipc_call },
	{ "notify_signal_wait", bench_setup_notify, bench_op_notify_signal_wait },
	{ "pager_fault", bench_setup_pager, bench_op_pager_fault },
};

/* Run one figure and print its line. Returns an error code. */
static int bench_run(const struct bench *b, uint64_t empty)
{
	uint64_t cost, tenths;
	int err = b->setup != NULL ? b->setup() : ERR_OK;

	if (err == ERR_OK)
		cost = bench_min(b->op, BENCH_BATCH, BENCH_ROUNDS, &err);
	if (err != ERR_OK) {
		printf("bench: FAIL %s: %s\n", b->name, err_name(err));
		return err;
	}
	cost = cost > empty ? cost - empty : 0;
	tenths = (cost * 10 + BENCH_BATCH / 2) / BENCH_BATCH;
	printf("bench: %s %lu.%lu\n", b->name, tenths / 10, tenths % 10);
	return ERR_OK;
}

int main(const struct bootinfo *info)
{
	uint64_t empty;
	unsigned i;
	int err;

	bi = info;
	if (bi->magic != BOOTINFO_MAGIC) {
		printf("bench: FAIL no boot info at %p\n", (void *)bi);
		return 1;
	}
	err = spawn_pool_init(&pool, bi, POOL_BITS, 0x200000);
	if (err != ERR_OK) {
		printf("bench: FAIL retype the pool: %s\n", err_name(err));
		return 1;
	}
	empty = bench_min(bench_op_empty, BENCH_BATCH, BENCH_ROUNDS, &err);
	printf("bench: %u operations a figure; the empty loop takes %lu instructions a round\n",
	       BENCH_BATCH * BENCH_ROUNDS, empty);
	for (i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		if (bench_run(&benches[i], empty) != ERR_OK)
			return 1;
	printf("bench: done\n");
	return 0;
}
