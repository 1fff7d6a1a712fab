/*
 * ipc.c - endpoint IPC: send, receive, call and reply; capability transfer;
 * faults as messages. The general path: fastpath.c short-cuts the commonest
 * case and must give the same results.
 *
 * A message always sits in its sender's saved registers (a1 = info,
 * a2..a5 = words 0..3) and IPC buffer until the moment it is delivered, so
 * a queued sender needs no kernel buffer. A fault message is made up from
 * the faulting thread's fault_cause, fault_addr and pc instead, and the
 * reply to it never touches the thread's registers (they are its own).
 * Never leave a half-delivered message: all checks that can fail come
 * before the first write.
 */
#include "ipc.h"
#include "errors.h"
#include "invoke.h"
#include "object.h"
#include "printk.h"
#include "str.h"

struct ipc_buffer *ipc_buffer_of(const struct thread *t)
{
	return t->ipc_buffer ? pa_to_kva(t->ipc_buffer) : NULL;
}

/* Check the message in the running thread's registers before anything
 * happens: its length, and its caps (may_grant: the right to send any).
 * The info word that passed is the one delivered (send_info): registers
 * written while the thread waits in a queue cannot add caps or words. */
static int ipc_check_message(struct thread *t, bool may_grant)
{
	uint64_t info = t->send_info = t->regs.x[REG_A1];

	if (MSGINFO_LENGTH(info) > MSG_MAX_WORDS)
		return ERR_INVALID_ARGUMENT;
	if (MSGINFO_NCAPS(info) > 0 && !may_grant)
		return ERR_NO_RIGHTS;
	if ((MSGINFO_LENGTH(info) > MSG_REG_WORDS || MSGINFO_NCAPS(info) > 0) &&
	    ipc_buffer_of(t) == NULL)
		return ERR_BAD_ADDRESS;
	return ERR_OK;
}

/* Copy src's n caps into dst's receive slots, all or none; returns how
 * many landed. Either side may have changed since the send was checked
 * (a queued sender's caps deleted, no receive slots): then none land. */
static unsigned ipc_transfer_caps(struct thread *src, struct thread *dst, unsigned n)
{
	/* LAB 4 BEGIN: check every cap and every receive slot first, then copy all n as children of the sender's caps */
	/* LAB 4 HINT: the receive window is dst's IPC buffer: recv_cnode (a CNode cptr in dst's CSpace, RIGHT_WRITE) and recv_slot */
	/* LAB 4 HINT: cnode_slot() finds a slot or says NULL; object_copyable() says which caps may travel; cap_insert() links */
	/* LAB 4 HINT: a Frame copy starts unmapped, as in cnode_derive() */
	struct ipc_buffer *from_buf = ipc_buffer_of(src), *to_buf = ipc_buffer_of(dst);
	struct cte *from[MSG_MAX_CAPS], *to[MSG_MAX_CAPS], *cnode;
	unsigned i;

	if (from_buf == NULL || to_buf == NULL || to_buf->recv_cnode == CPTR_NULL ||
	    invoke_lookup(dst, to_buf->recv_cnode, OBJ_CNODE, RIGHT_WRITE, &cnode) != ERR_OK)
		return 0;
	for (i = 0; i < n; i++) {
		from[i] = cnode_slot(src->cspace, src->cspace_radix, from_buf->caps[i]);
		to[i] = cnode_slot(cnode->cap.paddr, cnode->cap.size_bits, to_buf->recv_slot + i);
		if (from[i] == NULL || !object_copyable(from[i]->cap.type) ||
		    to[i] == NULL || to[i]->cap.type != OBJ_NULL)
			return 0;
	}
	for (i = 0; i < n; i++) {
		struct cap copy = from[i]->cap;

		if (copy.type == OBJ_FRAME)
			copy.asid = 0, copy.data = 0;  /* a new capability is not mapped yet (as cnode_derive) */
		cap_insert(to[i], &copy, from[i]);
	}
	return n;
	/* LAB 4 STUB: (void)src, (void)dst, (void)n; */
	/* LAB 4 STUB: kprintf("lab 4: ipc_transfer_caps not implemented\n"); */
	/* LAB 4 STUB: return 0; */
	/* LAB 4 END */
}

/* The message a fault makes (docs/ipc.md section 8), from src's fault_cause,
 * fault_addr and pc: src's own registers are no message. */
static void ipc_deliver_fault(const struct thread *src, uint64_t *to, uint64_t badge)
{
	to[REG_A0] = ERR_OK;
	to[REG_A1] = MSGINFO(0, 0, FAULT_MSG_WORDS) | MSGINFO_FLAG_FAULT;
	to[REG_A2] = src->fault_cause;
	to[REG_A3] = src->fault_addr;
	to[REG_A4] = src->regs.pc;
	to[REG_A5] = 0;
	to[REG_A6] = badge;
}

/* Write src's message into dst's registers (and IPC buffer), with badge.
 * Cannot fail: what does not fit (words with no buffer, caps with no
 * room) is cut, and the info word dst gets says so. */
static void ipc_deliver(struct thread *src, struct thread *dst, uint64_t badge)
{
	uint64_t *to = dst->regs.x, info = src->send_info, flags = 0;
	unsigned len = (unsigned)MSGINFO_LENGTH(info), ncaps = 0, i;
	struct ipc_buffer *to_buf = ipc_buffer_of(dst), *from_buf = ipc_buffer_of(src);

	trace_ipc(src, dst, badge);
	if (src->in_fault) {
		ipc_deliver_fault(src, to, badge);
		return;
	}
	/* LAB 4 BEGIN: copy words 0..3 and words 4 and up, pass the caps, then write dst's a0, a fresh info word and the badge */
	/* LAB 4 HINT: which registers hold what, going in and coming back: docs/ipc.md section 1; words 4 and up are mr[4..] */
	/* LAB 4 HINT: a missing IPC buffer on either side cuts the length to 4; never copy the sender's flag bits */
	/* LAB 4 HINT: caps that were sent but did not land set MSGINFO_FLAG_CAPS_LOST */
	for (i = 0; i < MSG_REG_WORDS; i++)
		to[REG_A2 + i] = src->regs.x[REG_A2 + i];
	if (len > MSG_REG_WORDS && (to_buf == NULL || from_buf == NULL))
		len = MSG_REG_WORDS;       /* the rest has nowhere to come from or go */
	if (len > MSG_REG_WORDS)
		memcpy(&to_buf->mr[MSG_REG_WORDS], &from_buf->mr[MSG_REG_WORDS],
		       (len - MSG_REG_WORDS) * sizeof(uint64_t));
	if (MSGINFO_NCAPS(info) > 0) {
		ncaps = ipc_transfer_caps(src, dst, (unsigned)MSGINFO_NCAPS(info));
		if (ncaps == 0)
			flags = MSGINFO_FLAG_CAPS_LOST;
	}
	to[REG_A0] = ERR_OK;
	to[REG_A1] = MSGINFO(MSGINFO_LABEL(info), ncaps, len) | flags;
	to[REG_A6] = badge;
	/* LAB 4 STUB: (void)info, (void)flags, (void)len, (void)ncaps, (void)i, (void)to_buf, (void)from_buf; */
	/* LAB 4 STUB: (void)ipc_transfer_caps; */
	/* LAB 4 STUB: kprintf("lab 4: ipc_deliver not implemented\n"); */
	/* LAB 4 STUB: to[REG_A0] = ERR_NOT_IMPLEMENTED; */
	/* LAB 4 STUB: to[REG_A1] = 0; */
	/* LAB 4 END */
}

/* src (queued, or the running thread) now waits for server's reply. */
static void ipc_await_reply(struct thread *src, struct thread *server)
{
	thread_leave_queue(src);
	src->state = THREAD_BLOCKED_REPLY;
	src->reply_holder = server;
	server->caller = src;
}

/* The reply from src reaches caller, which has been detached from its
 * holder (reply_holder or reply_cap) already. */
static void ipc_answer(struct thread *src, struct thread *caller)
{
	caller->reply_holder = NULL;
	if (!caller->in_fault) {
		ipc_deliver(src, caller, 0);
	} else {
		caller->in_fault = false;
		if (MSGINFO_LENGTH(src->regs.x[REG_A1]) >= 1)
			caller->regs.pc = src->regs.x[REG_A2];    /* resume elsewhere */
	}
	thread_wake(caller);
}

/* t receives again without answering its caller: the call is dropped. */
static void ipc_drop_caller(struct thread *t)
{
	struct thread *caller = t->caller;

	if (caller) {
		t->caller = NULL;
		caller->reply_holder = NULL;
		thread_cancel(caller, ERR_CANCELLED);
	}
}

static int ipc_send_reply_cap(struct thread *t, struct cte *slot)
{
	struct thread *caller = pa_to_kva(slot->cap.paddr);
	int err = ipc_check_message(t, true);

	if (err != ERR_OK)
		return err;
	caller->reply_cap = NULL;     /* answered: deleting the cap cancels nothing */
	cap_delete(slot);
	ipc_answer(t, caller);
	return ERR_OK;
}

int ipc_send(struct thread *t, struct cte *slot, bool blocking, bool call)
{
	struct endpoint *ep;
	struct thread *dst;
	int err;

	if (slot->cap.type == OBJ_REPLY && !call)
		return ipc_send_reply_cap(t, slot);
	if (slot->cap.type != OBJ_ENDPOINT)
		return ERR_INVALID_CAP;
	ep = pa_to_kva(slot->cap.paddr);
	dst = ep->queue.head;
	if (!(slot->cap.rights & RIGHT_WRITE))
		return ERR_NO_RIGHTS;
	err = t->in_fault ? ERR_OK : ipc_check_message(t, slot->cap.rights & RIGHT_GRANT);
	if (err != ERR_OK)
		return err;
	t->send_badge = slot->cap.data;
	if (dst == NULL || dst->state != THREAD_BLOCKED_RECV) {
		if (!blocking)
			return ERR_WOULD_BLOCK;
		thread_block(t, call ? THREAD_BLOCKED_CALL : THREAD_BLOCKED_SEND, &ep->queue);
		return ERR_OK;
	}
	ipc_deliver(t, dst, t->send_badge);
	thread_wake(dst);
	if (call)
		ipc_await_reply(t, dst);
	return ERR_OK;
}

int ipc_recv(struct thread *t, struct cte *slot, bool blocking)
{
	struct endpoint *ep = pa_to_kva(slot->cap.paddr);
	struct thread *src = ep->queue.head;

	if (!(slot->cap.rights & RIGHT_READ))
		return ERR_NO_RIGHTS;
	ipc_drop_caller(t);
	if (ntfn_deliver_bound(t))
		return ERR_OK;
	/* LAB 4 BEGIN: no sender at the head: wait at the tail (or ERR_WOULD_BLOCK); else take the head's message */
	/* LAB 4 HINT: ipc_send() is the other half: read it first, and mirror it */
	/* LAB 4 HINT: a plain sender is done and runs again with a0 = ERR_OK; a caller now waits for t's reply */
	if (src == NULL || src->state == THREAD_BLOCKED_RECV) {
		if (!blocking)
			return ERR_WOULD_BLOCK;
		thread_block(t, THREAD_BLOCKED_RECV, &ep->queue);
		return ERR_OK;
	}
	ipc_deliver(src, t, src->send_badge);
	if (src->state == THREAD_BLOCKED_CALL) {
		ipc_await_reply(src, t);
	} else {
		src->regs.x[REG_A0] = ERR_OK;
		thread_wake(src);
	}
	return ERR_OK;
	/* LAB 4 STUB: (void)ep, (void)src, (void)blocking; */
	/* LAB 4 STUB: kprintf("lab 4: ipc_recv not implemented\n"); */
	/* LAB 4 STUB: return ERR_NOT_IMPLEMENTED; */
	/* LAB 4 END */
}

int ipc_reply(struct thread *t)
{
	/* LAB 4 BEGIN: answer t's caller, if it has one, with t's message: the reply right is used up */
	/* LAB 4 HINT: a reply is checked like any message, and may always carry caps; ipc_send_reply_cap() is its twin */
	struct thread *caller = t->caller;
	int err = ipc_check_message(t, true);

	if (caller == NULL)
		return ERR_NO_CALLER;
	if (err != ERR_OK)
		return err;
	t->caller = NULL;
	ipc_answer(t, caller);
	return ERR_OK;
	/* LAB 4 STUB: (void)t; */
	/* LAB 4 STUB: kprintf("lab 4: ipc_reply not implemented\n"); */
	/* LAB 4 STUB: return ERR_NOT_IMPLEMENTED; */
	/* LAB 4 END */
}

int ipc_save_reply(struct thread *t, struct cte *dest)
{
	struct thread *caller = t->caller;

	if (caller == NULL)
		return ERR_NO_CALLER;
	cap_insert(dest, &(struct cap){ .type = OBJ_REPLY, .rights = RIGHT_WRITE,
					.paddr = kva_to_pa(caller) }, NULL);
	t->caller = NULL;
	caller->reply_holder = NULL;
	caller->reply_cap = dest;
	return ERR_OK;
}

bool ipc_fault(struct thread *t, uint64_t cause, uint64_t addr)
{
	struct cte *slot;

	if (invoke_lookup(t, t->fault_endpoint, OBJ_ENDPOINT, RIGHT_WRITE, &slot) != ERR_OK)
		return false;
	t->in_fault = true;
	t->fault_cause = cause;
	t->fault_addr = addr;
	ipc_send(t, slot, true, true);
	return true;
}

void ipc_abandon(struct thread *t)
{
	struct cte *reply_cap = t->reply_cap;

	ipc_drop_caller(t);
	if (t->state != THREAD_BLOCKED_REPLY)
		return;
	if (t->reply_holder)
		t->reply_holder->caller = NULL;
	t->reply_holder = NULL;
	t->reply_cap = NULL;
	if (reply_cap)
		cap_delete(reply_cap);
}

void ep_destroy(struct endpoint *ep)
{
	while (ep->queue.head)
		thread_cancel(ep->queue.head, ERR_CANCELLED);
}

void reply_destroyed(const struct cap *cap)
{
	struct thread *caller = pa_to_kva(cap->paddr);

	/* cap_delete empties the slot before it destroys: an empty reply_cap
	 * slot is this very cap, deleted unanswered. */
	if (caller->reply_cap && caller->reply_cap->cap.type == OBJ_NULL) {
		caller->reply_cap = NULL;
		thread_cancel(caller, ERR_CANCELLED);
	}
}
