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
#include "ipc.h"
#include "syscalls.h"
#include "uaccess.h"

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

/* A thread with a fault endpoint tells its supervisor (a fault message of
 * cause FAULT_CAUSE_EXIT, msg.h) and waits there to be destroyed; one
 * without stops here, with the kernel's one line. */
static int sys_exit(struct thread *t)
{
	if (!ipc_fault(t, FAULT_CAUSE_EXIT, t->regs.x[REG_A0]))
		thread_exit(t, (int)t->regs.x[REG_A0]);
	return ERR_OK;
}

static int sys_yield(struct thread *t)
{
	(void)t;
	sched_yield();
	return ERR_OK;
}

/* The capability in a0, for the IPC calls. */
static struct cte *sys_cap(struct thread *t)
{
	struct cte *slot = NULL;

	invoke_lookup(t, t->regs.x[REG_A0], OBJ_NULL, 0, &slot);
	return slot;
}

/* call: IPC on an endpoint; on any other object, an invocation. The cap
 * is looked up once, here, for both. */
static int sys_call(struct thread *t)
{
	struct cte *slot = sys_cap(t);

	if (slot == NULL)
		return ERR_INVALID_CAP;
	if (slot->cap.type == OBJ_ENDPOINT)
		return ipc_send(t, slot, true, true);
	return invoke_call(t, slot);
}

/* send, and nbsend (its number, in a7, says it never waits). */
static int sys_send(struct thread *t)
{
	struct cte *slot = sys_cap(t);

	return slot ? ipc_send(t, slot, t->regs.x[REG_A7] != SYS_NBSEND, false) : ERR_INVALID_CAP;
}

static int sys_nbsend(struct thread *t)
{
	return sys_send(t);
}

/* recv on an endpoint, or wait on a notification; nbrecv never waits
 * (reply_recv, which ends here too, does). */
static int sys_recv(struct thread *t)
{
	struct cte *slot = sys_cap(t);
	bool blocking = t->regs.x[REG_A7] != SYS_NBRECV;

	if (slot && slot->cap.type == OBJ_ENDPOINT)
		return ipc_recv(t, slot, blocking);
	if (slot && slot->cap.type == OBJ_NOTIFICATION)
		return ntfn_wait(t, slot, blocking);
	return ERR_INVALID_CAP;
}

static int sys_nbrecv(struct thread *t)
{
	return sys_recv(t);
}

static int sys_reply(struct thread *t)
{
	return ipc_reply(t);
}

/* Reply if there is a caller, then receive; a bad reply message stops
 * there, before the receive. */
static int sys_reply_recv(struct thread *t)
{
	int err = t->caller ? ipc_reply(t) : ERR_OK;

	return err == ERR_OK ? sys_recv(t) : err;
}

static int sys_signal(struct thread *t)
{
	struct cte *slot = sys_cap(t);

	return slot ? ntfn_signal_cap(slot) : ERR_INVALID_CAP;
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

bool syscall_dispatch(struct thread *t)
{
	uint64_t number = t->regs.x[REG_A7];
	int err;

	if (number >= SYS_COUNT || syscall_handlers[number] == NULL)
		return false;
	clock_call_begins();
	err = syscall_handlers[number](t);
	/* A thread that destroyed its own TCB has no registers to return to,
	 * and one that waits gets its a0 when the wait ends. */
	if (thread_current() != t || thread_blocked(t))
		return true;
	if (err == INVOKE_RESTART)
		t->regs.pc -= 4;        /* back to the ecall, after the interrupt */
	else
		t->regs.x[REG_A0] = (uint64_t)err;
	return true;
}
