/*
 * test_fuzz.c - a thread that does nothing but bad system calls leaves the
 * kernel running. Plays root and spawns itself as the child (a0 = CHILD_FUZZ
 * instead of the boot info). The child makes FUZZ_CALLS ecalls from a
 * fixed-seed xorshift64: numbers in and around the table (and huge ones),
 * random capability addresses, info words, lengths, cap counts and
 * pointers, kernel addresses among them. It skips only exit (which
 * would end it), and debug_write gets only unmapped buffers.
 *
 * Nothing the child does can block forever: its CSpace holds its fault
 * endpoint (write only: it can send and call, never receive), a Frame and
 * its own TCB (read only), and root, which outranks it, is always waiting
 * on that endpoint. Root answers every fault (an unknown system call) and
 * every message with an empty reply and counts them; the child counts the
 * same things from its side and reports. Both counts must agree, every
 * known call must return an error code, and afterwards IPC, exit and
 * revoke still work.
 */
#define CHECK_NAME "test_fuzz"
#include <stdbool.h>

#include "check.h"
#include "fuzz.h"
#include "ipc.h"
#include "playroot.h"
#include "syscalls.h"
#include "sys.h"

#define CHILD_FUZZ    1
#define FUZZ_CALLS    100000
#define FUZZ_SEED     0x9e3779b97f4a7c15ul
#define SLOT_EP       1      /* the child's fault endpoint (write only) */
#define SLOT_FRAME    2
#define SLOT_TCB      3      /* its own TCB, read only */
#define CHILD_RADIX   3
#define REPORT_LABEL  0xf0221e5ul
#define REPORT_WORDS  4
#define PONG          0x90e6ul
#define EXC_ECALL_U   8

/* --- the child ----------------------------------------------------------- */

static struct fuzz fz = { FUZZ_SEED };

/* Addresses that are never mapped in the child, kernel ones among them. */
static const uint64_t bad_pointers[] = {
	0, 8, 0xfff, 0x20000000, 0x3ffffffff0, 0x4000000000, 0x8000000000000000,
	0xffffffc000000000, 0xffffffc080200000, 0xffffffc080201234, 0xfffffffffffffff8,
};

static uint64_t fuzz_bad_pointer(void)
{
	uint64_t p = FUZZ_PICK(&fz, bad_pointers);

	return p == 8 ? (fuzz_next(&fz) | (1ul << 63)) : p;
}

/* A capability address: mostly the child's few caps and empty slots. */
static uint64_t fuzz_cptr(void)
{
	static const uint64_t cptrs[] = { 0, SLOT_EP, SLOT_FRAME, SLOT_TCB, 4, 7, 8, 255, 1ul << 40,
					  ~0ul, SLOT_EP, SLOT_FRAME, SLOT_TCB };
	uint64_t c = FUZZ_PICK(&fz, cptrs);

	return c == 255 ? fuzz_next(&fz) : c;
}

/* An info word: random, or a real-looking one with a label near the
 * invocation table's and any length and cap count. */
static uint64_t fuzz_info(void)
{
	if (fuzz_next(&fz) % 2)
		return fuzz_next(&fz);
	return MSGINFO(fuzz_next(&fz) % 64, fuzz_next(&fz) % 4, fuzz_next(&fz) % 128);
}

/* Any word: a small number, a pointer (good or bad), or noise. */
static uint64_t fuzz_word(void)
{
	static const uint64_t words[] = { 0, 1, 2, 3, 12, 0x10000, SPAWN_IPC, SPAWN_STACK_TOP - 64,
					  SPAWN_STACK_TOP, 0x3ffffffff0, 0xffffffc080200000, ~0ul };

	return fuzz_next(&fz) % 3 ? FUZZ_PICK(&fz, words) : fuzz_next(&fz);
}

/* A system call number: in the table's range mostly, just past it, or huge. */
static uint64_t fuzz_number(void)
{
	switch (fuzz_next(&fz) % 10) {
	case 7:
		return SYS_COUNT + fuzz_next(&fz) % 100;
	case 8:
		return fuzz_next(&fz);
	case 9:
		return ~0ul - fuzz_next(&fz) % 4;
	default:
		return fuzz_next(&fz) % (SYS_COUNT + 1);
	}
}

static bool fuzz_known(uint64_t number)
{
#define FUZZ_KNOWN_ENTRY(NAME, num, name) number == num ||
	return SYSCALL_TABLE(FUZZ_KNOWN_ENTRY) false;
#undef FUZZ_KNOWN_ENTRY
}

static int child_main(void)
{
	uint64_t r[8], err, unknown = 0, delivered = 0, odd = 0;
	struct ipc_msg m;
	unsigned i, j;

	for (i = 0; i < FUZZ_CALLS; i++) {
		do
			r[7] = fuzz_number();
		while (r[7] == SYS_EXIT);
		r[0] = r[7] == SYS_DEBUG_WRITE ? fuzz_bad_pointer() : fuzz_cptr();
		r[1] = fuzz_info();
		for (j = 2; j < 7; j++)
			r[j] = fuzz_word();
		err = fuzz_ecall(r);
		if (!fuzz_known(r[7]))
			unknown++;              /* a fault: root resumed it, a0 untouched */
		else if (err >= ERR_COUNT)
			odd++;                  /* not an error code */
		else if (err == ERR_OK && r[0] == SLOT_EP &&
			 (r[7] == SYS_CALL || r[7] == SYS_SEND || r[7] == SYS_NBSEND))
			delivered++;
	}
	m = (struct ipc_msg){ .info = MSGINFO(REPORT_LABEL, 0, REPORT_WORDS),
			      .mr = { FUZZ_CALLS, unknown, delivered, odd } };
	err = ipc_call(SLOT_EP, &m);
	return err == ERR_OK && m.mr[0] == PONG ? 0 : 1;
}

/* --- root -------------------------------------------------------------- */

static struct spawn_pool pool;

struct served {
	uint64_t faults, not_ecall, messages;
};

/* Answer everything on ep with an empty reply until the child's report,
 * which is left in *m, its call unanswered. */
static void serve(cptr_t ep, struct ipc_msg *m, struct served *s)
{
	int err = ipc_recv(ep, m);

	while (err == ERR_OK) {
		if (MSGINFO_FLAGS(m->info) & MSGINFO_FLAG_FAULT) {
			s->faults++;
			s->not_ecall += m->mr[FAULT_MR_CAUSE] != EXC_ECALL_U;
		} else if (MSGINFO_LABEL(m->info) == REPORT_LABEL &&
			   MSGINFO_LENGTH(m->info) == REPORT_WORDS) {
			return;
		} else {
			s->messages++;
		}
		m->info = MSGINFO(0, 0, 0);
		err = ipc_reply_recv(ep, m);
	}
	check("serving the child", err, ERR_OK);
}

int main(uint64_t arg)
{
	const struct bootinfo *bi = (const struct bootinfo *)arg;
	struct served s = { 0 };
	struct spawned c;
	struct user_regs regs;
	struct ipc_msg m;
	uint64_t start, ms;
	cptr_t ep, frame;

	if (arg == CHILD_FUZZ)
		return child_main();
	check("make a pool of objects", playroot_init(bi, &pool, 20), ERR_OK);
	check("make an endpoint", spawn_object(&pool, OBJ_ENDPOINT, 0, &ep), ERR_OK);
	check("make a frame", spawn_object(&pool, OBJ_FRAME, 0, &frame), ERR_OK);
	check("spawn the child", playroot_spawn(&pool, &c, "test_fuzz", CHILD_RADIX, SLOT_EP, 100,
						CHILD_FUZZ, "fuzz_child"), ERR_OK);
	check("its fault endpoint, write only",
	      cnode_copy(c.cnode, SLOT_EP, BOOT_SLOT_CNODE, ep, RIGHT_WRITE), ERR_OK);
	check("a frame", cnode_copy(c.cnode, SLOT_FRAME, BOOT_SLOT_CNODE, frame, RIGHT_READ | RIGHT_WRITE),
	      ERR_OK);
	check("its own TCB, read only", cnode_copy(c.cnode, SLOT_TCB, BOOT_SLOT_CNODE, c.tcb, RIGHT_READ),
	      ERR_OK);

	start = time_now();
	check("resume it", tcb_resume(c.tcb), ERR_OK);
	serve(ep, &m, &s);
	ms = (time_now() - start) / 10000;
	printf("test_fuzz: %lu calls in %lu ms: %lu unknown (root answered %lu faults), "
	       "%lu messages delivered (root got %lu), %lu odd results\n",
	       m.mr[0], ms, m.mr[1], s.faults, m.mr[2], s.messages, m.mr[3]);
	check_eq("the child made every call", m.mr[0], FUZZ_CALLS);
	check_eq("every unknown call was a fault root answered", s.faults, m.mr[1]);
	check_eq("and some were", s.faults > 0, 1);
	check_eq("no other fault", s.not_ecall, 0);
	check_eq("every message it sent reached root", s.messages, m.mr[2]);
	check_eq("every known call returned an error code", m.mr[3], 0);

	/* Still fine: a normal round trip, an exit, and a revoke of it all. */
	m = (struct ipc_msg){ .info = MSGINFO(0, 0, 1), .mr = { PONG } };
	check("answer the report", ipc_reply(&m), ERR_OK);
	check("let the child run (root goes below it)", tcb_set_priority(BOOT_SLOT_TCB, 50), ERR_OK);
	check("read its registers", tcb_read_registers(c.tcb, &regs), ERR_OK);
	check_eq("it called exit", regs.a7, SYS_EXIT);
	check("which its fault endpoint hears of", ipc_nbrecv(ep, &m), ERR_OK);
	check_eq("as a fault message", MSGINFO_FLAGS(m.info), MSGINFO_FLAG_FAULT);
	check_eq("of cause FAULT_CAUSE_EXIT", m.mr[FAULT_MR_CAUSE], FAULT_CAUSE_EXIT);
	check_eq("with status 0: it got the answer", m.mr[FAULT_MR_ADDR], 0);
	check("revoke everything it had", cnode_revoke(BOOT_SLOT_CNODE, pool.untyped), ERR_OK);
	return check_done();
}
