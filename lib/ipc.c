/*
 * ipc.c - IPC system call stubs: the message goes in and out of registers
 * as msg.h lays it out; the IPC buffer is the caller's business.
 */
#include "ipc.h"
#include "errors.h"
#include "invoke.h"
#include "syscalls.h"

/* One ecall carrying a whole message each way: a0 = cap, a1 = info,
 * a2..a5 = words 0..3; back come the error, info, words and badge (a6). */
static int ipc_syscall(unsigned number, cptr_t cap, struct ipc_msg *m)
{
	register uint64_t a0 __asm__("a0") = cap;
	register uint64_t a1 __asm__("a1") = m->info;
	register uint64_t a2 __asm__("a2") = m->mr[0];
	register uint64_t a3 __asm__("a3") = m->mr[1];
	register uint64_t a4 __asm__("a4") = m->mr[2];
	register uint64_t a5 __asm__("a5") = m->mr[3];
	register uint64_t a6 __asm__("a6") = 0;
	register uint64_t a7 __asm__("a7") = number;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6)
			 : "r"(a7)
			 : "memory");
	m->info = a1;
	m->mr[0] = a2;
	m->mr[1] = a3;
	m->mr[2] = a4;
	m->mr[3] = a5;
	m->badge = a6;
	return (int)a0;
}

/* Sends leave the caller's message alone. */
static int ipc_send_only(unsigned number, cptr_t cap, const struct ipc_msg *m)
{
	struct ipc_msg copy = *m;

	return ipc_syscall(number, cap, &copy);
}

int ipc_send(cptr_t ep, const struct ipc_msg *m)
{
	return ipc_send_only(SYS_SEND, ep, m);
}

int ipc_nbsend(cptr_t ep, const struct ipc_msg *m)
{
	return ipc_send_only(SYS_NBSEND, ep, m);
}

int ipc_recv(cptr_t ep, struct ipc_msg *m)
{
	return ipc_syscall(SYS_RECV, ep, m);
}

int ipc_nbrecv(cptr_t ep, struct ipc_msg *m)
{
	return ipc_syscall(SYS_NBRECV, ep, m);
}

int ipc_call(cptr_t ep, struct ipc_msg *m)
{
	return ipc_syscall(SYS_CALL, ep, m);
}

int ipc_reply(const struct ipc_msg *m)
{
	return ipc_send_only(SYS_REPLY, CPTR_NULL, m);
}

int ipc_reply_recv(cptr_t ep, struct ipc_msg *m)
{
	return ipc_syscall(SYS_REPLY_RECV, ep, m);
}

int notify_signal(cptr_t ntfn)
{
	struct ipc_msg m = { 0 };

	return ipc_syscall(SYS_SIGNAL, ntfn, &m);
}

static int notify_take(unsigned number, cptr_t ntfn, uint64_t *bits)
{
	struct ipc_msg m = { 0 };
	int err = ipc_syscall(number, ntfn, &m);

	if (err == ERR_OK)
		*bits = m.badge;
	return err;
}

int notify_wait(cptr_t ntfn, uint64_t *bits)
{
	return notify_take(SYS_RECV, ntfn, bits);
}

int notify_poll(cptr_t ntfn, uint64_t *bits)
{
	return notify_take(SYS_NBRECV, ntfn, bits);
}

int sleep_until(cptr_t ntfn, uint64_t deadline)
{
	uint64_t bits;
	int err = deadline == 0 ? ERR_INVALID_ARGUMENT : notification_set_timer(ntfn, deadline);

	if (err == ERR_OK)
		err = notify_wait(ntfn, &bits);
	return err;
}
