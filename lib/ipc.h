/*
 * ipc.h - the user side of IPC: endpoints, replies and notifications
 * (docs/ipc.md). Each call returns the kernel's error code (errors.h).
 * User programs only; the kernel never includes this.
 *
 * A message is a struct ipc_msg: the info word (MSGINFO(label, ncaps, len)),
 * and message registers 0..3. Words 4..len-1 travel in the IPC buffer
 * (ipc_buffer()->mr[i]), and so do the cptrs of capabilities to send
 * (ipc_buffer()->caps[]) and where received ones should land
 * (ipc_buffer()->recv_cnode, recv_slot). After a receive, badge holds the
 * badge of the capability the sender used (or the notification bits), and
 * the info word may carry the kernel's MSGINFO_FLAG_* bits.
 *
 * Rules: a receive overwrites the whole struct. A thread's pending reply
 * (from the last call it received) is dropped, its caller woken with
 * ERR_CANCELLED, when it calls ipc_recv, ipc_nbrecv or ipc_reply_recv on an
 * endpoint again without replying or saving it (waiting on a notification
 * keeps it).
 */
#ifndef MICA_IPC_H
#define MICA_IPC_H

#include <stdint.h>

#include "msg.h"
#include "objects.h"

struct ipc_msg {
	uint64_t info;
	uint64_t badge;
	uint64_t mr[MSG_REG_WORDS];
};

/* The calling thread's IPC buffer (its address is in tp). */
static inline struct ipc_buffer *ipc_buffer(void)
{
	struct ipc_buffer *buf;

	__asm__("mv %0, tp" : "=r"(buf));
	return buf;
}

/* Send m on endpoint ep, waiting for a receiver (ipc_nbsend: ERR_WOULD_BLOCK
 * if none waits). On a Reply capability (cnode_save_reply), send answers
 * that saved call instead and uses the capability up. */
int ipc_send(cptr_t ep, const struct ipc_msg *m);
int ipc_nbsend(cptr_t ep, const struct ipc_msg *m);
/* Wait for a message on ep (or for bits of the bound notification) and put
 * it in m. ipc_nbrecv: ERR_WOULD_BLOCK if nothing is there. */
int ipc_recv(cptr_t ep, struct ipc_msg *m);
int ipc_nbrecv(cptr_t ep, struct ipc_msg *m);
/* Send m and wait for the reply, which overwrites m. The receiver gets a
 * one-shot right to reply. */
int ipc_call(cptr_t ep, struct ipc_msg *m);
/* Answer the last call received (ERR_NO_CALLER if there is none). */
int ipc_reply(const struct ipc_msg *m);
/* Reply with m (if there is a caller), then receive the next message on
 * ep into m: the server loop in one system call. */
int ipc_reply_recv(cptr_t ep, struct ipc_msg *m);

/* Set the badge bits of the capability (1 if it has no badge). */
int notify_signal(cptr_t ntfn);
/* Wait until some bits are set, then take them all: *bits gets them and the
 * notification is left at 0. notify_poll does not wait (ERR_WOULD_BLOCK). */
int notify_wait(cptr_t ntfn, uint64_t *bits);
int notify_poll(cptr_t ntfn, uint64_t *bits);

/* Sleep until the time counter (time_now()) reaches deadline, using the
 * notification ntfn (its timer is set, then waited on). A deadline of 0
 * would cancel the timer and wait forever: ERR_INVALID_ARGUMENT. */
int sleep_until(cptr_t ntfn, uint64_t deadline);

#endif /* MICA_IPC_H */
