/*
 * syscall.c - the system calls, and the table that dispatches them.
 *
 * The table is generated from SYSCALL_TABLE in lib/syscalls.h, the same
 * table the user library's stubs come from. Each handler reads its
 * arguments from the saved registers and returns an error code; a handler
 * that ends the thread (exit) just changes its state, and the trap code then
 * runs whatever is next.
 */
#include "syscall.h"
#include "clock.h"
#include "errors.h"
#include "invoke.h"
#include "printk.h"
#include "syscalls.h"
#include "uaccess.h"

static int sys_debug_putc(struct thread *t)
{
	arch_console_putc((char)t->regs.x[REG_A0]);
	return ERR_OK;
}

/* One bounded copy: a bad pointer anywhere in the buffer prints nothing. */
static int sys_debug_write(struct thread *t)
{
	uaddr_t buf = t->regs.x[REG_A0];
	uint64_t len = t->regs.x[REG_A1];
	char text[DEBUG_WRITE_MAX];
	uint64_t i;
	int err;

	if (len > DEBUG_WRITE_MAX)
		return ERR_RANGE;
	err = uaccess_copy_in(&t->vspace, text, buf, len);
	if (err != ERR_OK)
		return err;
	for (i = 0; i < len; i++)
		arch_console_putc(text[i]);
	return ERR_OK;
}

static int sys_exit(struct thread *t)
{
	thread_exit(t, (int)t->regs.x[REG_A0]);
	return ERR_OK;
}

static int sys_yield(struct thread *t)
{
	(void)t;
	sched_yield();
	return ERR_OK;
}

/* Invocations of kernel objects (invoke.c); IPC joins them later. */
static int sys_call(struct thread *t)
{
	return invoke_call(t);
}

/* LAB 1 BEGIN: write sys_uptime(), the kernel's half of uptime: clock_interrupts() goes to a1 */
/* Timer ticks since boot, CLOCK_HZ a second: xv6's uptime(). */
static int sys_uptime(struct thread *t)
{
	t->regs.x[REG_A1] = clock_interrupts();
	return ERR_OK;
}
/* LAB 1 END */

/* A call in the table without a sys_<name> handler fails to compile. */
static int (*const syscall_handlers[SYS_COUNT])(struct thread *) = {
#define SYSCALL_HANDLER_ENTRY(NAME, number, name) [SYS_##NAME] = sys_##name,
	SYSCALL_TABLE(SYSCALL_HANDLER_ENTRY)
#undef SYSCALL_HANDLER_ENTRY
};

void syscall_dispatch(struct thread *t)
{
	uint64_t number = t->regs.x[REG_A7];
	int err = ERR_INVALID_SYSCALL;

	if (number < SYS_COUNT && syscall_handlers[number])
		err = syscall_handlers[number](t);
	/* A thread that destroyed its own TCB has no registers to return to. */
	if (thread_current() == t)
		t->regs.x[REG_A0] = (uint64_t)err;
}
