/*
 * test_fault.c - plays root and serves a child's faults (msg.h): the child
 * is this same program, started by spawn_program() with a0 = a CHILD_*
 * mode instead of the boot info. Root checks each fault message and:
 *  - for page faults on a load and a store, maps a fresh frame there and
 *    replies with length 0: the child runs the instruction again and
 *    reads (writes) the new page;
 *  - for an illegal instruction, replies with length 1: the child goes on
 *    at mr0 (two instructions further, so the resumption is mr0's doing);
 *  - for unknown system calls, replies with length 0: the child goes on
 *    after the ecall, its registers untouched;
 *  - its exit comes as a fault message of cause FAULT_CAUSE_EXIT.
 * A child without a fault endpoint, and one whose fault endpoint cap lacks
 * the write right, are stopped with one kernel line, and root goes on.
 * Since root and child run the same binary, root knows the address of each
 * faulting instruction: the fault_*_at labels.
 */
#define CHECK_NAME "test_fault"
#include "check.h"
#include "ipc.h"
#include "playroot.h"
#include "sys.h"
#include "syscalls.h"

enum { CHILD_SERVED = 1, CHILD_ORPHAN };
#define CHILD_SLOT_EP   1                  /* its fault endpoint, also its line to root */
#define LOAD_PAGE       0x50000000ul
#define LOAD_ADDR       (LOAD_PAGE + 8)
#define STORE_PAGE      0x50001000ul
#define STORE_ADDR      (STORE_PAGE + 0x10)
#define MAGIC           0x5eedf00dcafe1234ul
#define STORED          77
#define BAD_SYSCALL_GAP 12                 /* a hole in SYSCALL_TABLE */
#define BAD_SYSCALL_BIG (1ul << 40)
#define EXC_ILLEGAL     2
#define EXC_ECALL_U     8
#define EXC_LOAD_PAGE   13
#define EXC_STORE_PAGE  15
#define CHILD_PRIORITY  200
#define ROOT_PRIORITY   100
enum { REPORT_MEMORY = 1, REPORT_ILLEGAL, REPORT_SYSCALLS };

/* The faulting instructions, each at a global label root can name. */
extern const char fault_load_at[], fault_store_at[], fault_illegal_at[], fault_ecall_at[];

static __attribute__((noinline, noclone)) uint64_t load_at(uint64_t addr)
{
	uint64_t v;

	__asm__ volatile(".globl fault_load_at\nfault_load_at: ld %0, 0(%1)"
			 : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static __attribute__((noinline, noclone)) void store_at(uint64_t addr, uint64_t v)
{
	__asm__ volatile(".globl fault_store_at\nfault_store_at: sd %0, 0(%1)"
			 : : "r"(v), "r"(addr) : "memory");
}

/* 0 + 10 + 100 if the illegal instruction is simply skipped; 100 if the
 * thread resumes two instructions after it. */
static __attribute__((noinline, noclone)) uint64_t illegal_then_add(void)
{
	uint64_t n = 0;

	__asm__ volatile(".option push\n.option norvc\n"
			 ".globl fault_illegal_at\nfault_illegal_at: .4byte 0xc0001073\n"
			 "addi %0, %0, 10\naddi %0, %0, 100\n.option pop"
			 : "+r"(n));
	return n;
}

/* System call `number` with a0 = arg; returns a0 afterwards. */
static __attribute__((noinline, noclone)) uint64_t bad_syscall(uint64_t number, uint64_t arg)
{
	register uint64_t a0 __asm__("a0") = arg;
	register uint64_t a7 __asm__("a7") = number;

	__asm__ volatile(".globl fault_ecall_at\nfault_ecall_at: ecall"
			 : "+r"(a0) : "r"(a7) : "memory");
	return a0;
}

static void child_report(uint64_t label, uint64_t v0, uint64_t v1)
{
	struct ipc_msg m = { .info = MSGINFO(label, 0, 2), .mr = { v0, v1 } };

	ipc_call(CHILD_SLOT_EP, &m);
}

static int child_main(uint64_t mode)
{
	uint64_t loaded, stored;

	if (mode == CHILD_ORPHAN) {
		load_at(LOAD_ADDR);
		return 3;             /* never: it is stopped at the load */
	}
	loaded = load_at(LOAD_ADDR);
	store_at(STORE_ADDR, STORED);
	stored = load_at(STORE_ADDR);
	child_report(REPORT_MEMORY, loaded, stored);
	child_report(REPORT_ILLEGAL, illegal_then_add(), 0);
	child_report(REPORT_SYSCALLS, bad_syscall(BAD_SYSCALL_GAP, 5), bad_syscall(BAD_SYSCALL_BIG, 6));
	return 0;
}

/* --- root ------------------------------------------------------------- */

static struct spawn_pool pool;

/* m must be a fault message of `cause` for `addr` at `pc`. */
static void check_fault(const char *what, const struct ipc_msg *m, uint64_t cause, uint64_t addr,
			uint64_t pc)
{
	printf("test_fault: %s: info %#lx cause %lu addr %#lx pc %#lx\n", what, m->info, m->mr[0],
	       m->mr[1], m->mr[2]);
	check_eq("it is a fault message", MSGINFO_FLAGS(m->info), MSGINFO_FLAG_FAULT);
	check_eq("of three words", MSGINFO_LENGTH(m->info), FAULT_MSG_WORDS);
	check_eq("FAULT_MR_CAUSE", m->mr[FAULT_MR_CAUSE], cause);
	check_eq("FAULT_MR_ADDR", m->mr[FAULT_MR_ADDR], addr);
	check_eq("FAULT_MR_PC", m->mr[FAULT_MR_PC], pc);
}

/* A fresh frame holding MAGIC at LOAD_ADDR's offset, written through a
 * page of root's own, then unmapped there. */
static int magic_frame(cptr_t *frame)
{
	uint64_t page = playroot_page();
	int err = spawn_map_new(&pool, BOOT_SLOT_VSPACE, page, MAP_READ | MAP_WRITE, frame);

	if (err != ERR_OK)
		return err;
	*(volatile uint64_t *)(page + (LOAD_ADDR - LOAD_PAGE)) = MAGIC;
	return frame_unmap(*frame);
}

/* What the child stored, read through a second capability to its frame. */
static uint64_t peek_frame(cptr_t frame, uint64_t offset)
{
	uint64_t page = playroot_page();
	cptr_t copy = pool.next_slot++;

	if (cnode_copy(BOOT_SLOT_CNODE, copy, BOOT_SLOT_CNODE, frame, RIGHT_READ) != ERR_OK ||
	    spawn_map(&pool, BOOT_SLOT_VSPACE, copy, page, MAP_READ) != ERR_OK)
		return 0;
	return *(volatile uint64_t *)(page + offset);
}

static void serve_child(cptr_t ep, const struct spawned *c)
{
	struct ipc_msg m;
	cptr_t frame;

	check("wait for the child's first fault", ipc_recv(ep, &m), ERR_OK);
	check_fault("load fault", &m, EXC_LOAD_PAGE, LOAD_ADDR, (uint64_t)fault_load_at);
	check("make a frame with a magic word", magic_frame(&frame), ERR_OK);
	check("map it where the child faulted", spawn_map(&pool, c->vspace, frame, LOAD_PAGE,
							  MAP_READ), ERR_OK);
	m.info = MSGINFO(0, 0, 0);
	check("reply (length 0) and wait again", ipc_reply_recv(ep, &m), ERR_OK);
	check_fault("store fault", &m, EXC_STORE_PAGE, STORE_ADDR, (uint64_t)fault_store_at);
	check("map a fresh frame there", spawn_map_new(&pool, c->vspace, STORE_PAGE,
						       MAP_READ | MAP_WRITE, &frame), ERR_OK);
	m.info = MSGINFO(0, 0, 0);
	check("reply (length 0) and wait again", ipc_reply_recv(ep, &m), ERR_OK);
	check_eq("the child reports (no fault flag)", MSGINFO_FLAGS(m.info), 0);
	check_eq("its memory report", MSGINFO_LABEL(m.info), REPORT_MEMORY);
	check_eq("the child read the magic word", m.mr[0], MAGIC);
	check_eq("the child read back what it stored", m.mr[1], STORED);
	check_eq("the store is in root's frame", peek_frame(frame, STORE_ADDR - STORE_PAGE), STORED);

	m.info = MSGINFO(0, 0, 0);
	check("answer the report and wait again", ipc_reply_recv(ep, &m), ERR_OK);
	printf("test_fault: the illegal instruction is %#lx\n", m.mr[FAULT_MR_ADDR]);
	m.mr[FAULT_MR_ADDR] = 0;     /* stval: the instruction's bits, if the CPU gives them */
	check_fault("illegal instruction", &m, EXC_ILLEGAL, 0, (uint64_t)fault_illegal_at);
	m.info = MSGINFO(0, 0, 1);
	m.mr[0] = (uint64_t)fault_illegal_at + 8;
	check("reply (length 1: resume at pc + 8)", ipc_reply_recv(ep, &m), ERR_OK);
	check_eq("its illegal-instruction report", MSGINFO_LABEL(m.info), REPORT_ILLEGAL);
	check_eq("it resumed at mr0: only the second add ran", m.mr[0], 100);

	m.info = MSGINFO(0, 0, 0);
	check("answer the report and wait again", ipc_reply_recv(ep, &m), ERR_OK);
	/* The pc is where a length-0 reply resumes: after the ecall. */
	check_fault("system call 12", &m, EXC_ECALL_U, BAD_SYSCALL_GAP, (uint64_t)fault_ecall_at + 4);
	m.info = MSGINFO(0, 0, 0);
	check("reply (length 0) and wait again", ipc_reply_recv(ep, &m), ERR_OK);
	check_fault("system call 2^40", &m, EXC_ECALL_U, BAD_SYSCALL_BIG, (uint64_t)fault_ecall_at + 4);
	m.info = MSGINFO(0, 0, 0);
	check("reply (length 0) and wait again", ipc_reply_recv(ep, &m), ERR_OK);
	check_eq("its system call report", MSGINFO_LABEL(m.info), REPORT_SYSCALLS);
	check_eq("after system call 12 its a0 was untouched", m.mr[0], 5);
	check_eq("after system call 2^40 too", m.mr[1], 6);
	m.info = MSGINFO(0, 0, 0);
	check("answer the last report and wait again", ipc_reply_recv(ep, &m), ERR_OK);
	/* Its exit comes as a fault message too, since it has a fault endpoint:
	 * the supervisor hears of it and the kernel says nothing. */
	printf("test_fault: exit: info %#lx cause %#lx status %lu\n", m.info, m.mr[FAULT_MR_CAUSE],
	       m.mr[FAULT_MR_ADDR]);
	check_eq("the exit is a fault message", MSGINFO_FLAGS(m.info), MSGINFO_FLAG_FAULT);
	check_eq("of cause FAULT_CAUSE_EXIT", m.mr[FAULT_MR_CAUSE], FAULT_CAUSE_EXIT);
	check_eq("with its exit status", m.mr[FAULT_MR_ADDR], 0);
	check("stop the exited child without answering", tcb_suspend(c->tcb), ERR_OK);
}

/* A child whose fault nobody can hear is stopped; root goes on. It
 * outranks root, so it has run by the time tcb_resume returns. */
static void check_unserved(const struct spawned *c, const char *name)
{
	struct user_regs regs;

	check("resume a child that faults unheard", tcb_resume(c->tcb), ERR_OK);
	printf("test_fault: root goes on after %s\n", name);
	check("read its registers", tcb_read_registers(c->tcb, &regs), ERR_OK);
	check_eq("it stopped at the load", regs.pc, (uint64_t)fault_load_at);
}

int main(uint64_t arg)
{
	const struct bootinfo *bi = (const struct bootinfo *)arg;
	struct spawned c, orphan, deaf;
	struct user_regs regs;
	cptr_t ep;

	if (arg == CHILD_SERVED || arg == CHILD_ORPHAN)
		return child_main(arg);
	check("make a pool of objects", playroot_init(bi, &pool, 20), ERR_OK);
	check("make an endpoint", spawn_object(&pool, OBJ_ENDPOINT, 0, &ep), ERR_OK);
	/* The children outrank root once it lowers itself below them: each
	 * runs as soon as it can, so nothing here waits on time. */
	check("spawn the child (fault endpoint in its slot 1)",
	      playroot_spawn(&pool, &c, "test_fault", 2, CHILD_SLOT_EP, CHILD_PRIORITY,
			     CHILD_SERVED, "fault_child"), ERR_OK);
	check("give it the endpoint (write only)",
	      cnode_copy(c.cnode, CHILD_SLOT_EP, BOOT_SLOT_CNODE, ep, RIGHT_WRITE), ERR_OK);
	check("spawn a child without a fault endpoint",
	      playroot_spawn(&pool, &orphan, "test_fault", 2, CPTR_NULL, CHILD_PRIORITY,
			     CHILD_ORPHAN, "fault_orphan"), ERR_OK);
	check("spawn a child whose fault endpoint cap cannot send",
	      playroot_spawn(&pool, &deaf, "test_fault", 2, CHILD_SLOT_EP, CHILD_PRIORITY,
			     CHILD_ORPHAN, "fault_deaf"), ERR_OK);
	check("give it the endpoint (read only)",
	      cnode_copy(deaf.cnode, CHILD_SLOT_EP, BOOT_SLOT_CNODE, ep, RIGHT_READ), ERR_OK);
	check("root goes below the children", tcb_set_priority(BOOT_SLOT_TCB, ROOT_PRIORITY), ERR_OK);

	check("resume the child", tcb_resume(c.tcb), ERR_OK);
	serve_child(ep, &c);
	check("read the child's registers", tcb_read_registers(c.tcb, &regs), ERR_OK);
	check_eq("it stopped in its exit ecall", regs.a7, SYS_EXIT);

	check_unserved(&orphan, "fault_orphan");
	check_unserved(&deaf, "fault_deaf");
	return check_done();
}
