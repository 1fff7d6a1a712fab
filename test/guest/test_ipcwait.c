/*
 * test_ipcwait.c - plays root: how IPC waits end, other than by a message.
 *
 * Proves, with children (ipc_child) in address spaces of their own:
 *  1. deleting an endpoint's last cap wakes every thread waiting on it
 *     (in recv, in call) with ERR_CANCELLED; deleting a copy wakes no one;
 *     a thread whose own call is cancelled still owes its caller a reply;
 *  2. a saved reply (cnode_save_reply) is answered later through its Reply
 *     cap, after a newer call; deleting it unanswered, or receiving again
 *     without replying, cancels the call; ipc_reply with no caller fails;
 *  3. nbsend/nbrecv never block; wrong cap types and missing rights fail
 *     with ERR_INVALID_CAP and ERR_NO_RIGHTS before anything happens;
 *  4. notifications: badges ORed by signal, taken by wait and poll; a bound
 *     notification wakes its thread blocked in recv on an endpoint.
 * test_ipc.c has the messages themselves.
 */
#define CHECK_NAME "test_ipcwait"
#include "check.h"
#include "ipc_root.h"

static void test_cancel(void)
{
	struct spawned rx, caller, client, relay;
	struct report r1 = { 0 }, r2 = { 0 };
	struct ipc_msg m;
	cptr_t ep_recv = new_object(OBJ_ENDPOINT), ep_call = new_object(OBJ_ENDPOINT);
	cptr_t ep_relay = new_object(OBJ_ENDPOINT), ep_void = new_object(OBJ_ENDPOINT);
	cptr_t report = new_object(OBJ_ENDPOINT);

	check("cancel: start a child that waits in recv",
	      child_start(&rx, ROLE_RECV, 1, CHILD_PRIO, ep_recv, RIGHT_READ, 0, report), ERR_OK);
	check("cancel: start a child that waits in call",
	      child_start(&caller, ROLE_CALL, 2, CHILD_PRIO, ep_call, RIGHT_WRITE, 0, report), ERR_OK);
	settle();
	check("cancel: delete the receiver's copy of its endpoint", cnode_delete(rx.cnode, IPC_SLOT_EP),
	      ERR_OK);
	check("cancel: delete the caller's copy of its endpoint", cnode_delete(caller.cnode, IPC_SLOT_EP),
	      ERR_OK);
	settle();
	check("cancel: deleting copies woke no one (no report)", ipc_nbrecv(report, &m), ERR_WOULD_BLOCK);
	check("cancel: delete the last cap of the receiver's endpoint",
	      cnode_delete(BOOT_SLOT_CNODE, ep_recv), ERR_OK);
	check("cancel: delete the last cap of the caller's endpoint",
	      cnode_delete(BOOT_SLOT_CNODE, ep_call), ERR_OK);
	reports_by_id(report, 1, &r1, 2, &r2);
	check("cancel: the child in recv woke with", (long)r1.w[REPORT_ERR], ERR_CANCELLED);
	check("cancel: the child in call woke with", (long)r2.w[REPORT_ERR], ERR_CANCELLED);

	/* A relay takes a call, then makes one of its own that is cancelled:
	 * its client's call is still its to answer. */
	check("cancel: start a relay", child_make(&relay, ROLE_RELAY, 3, CHILD_PRIO, ep_relay,
						  RIGHT_READ, 0, report), ERR_OK);
	check("cancel: give it an endpoint to call on",
	      cnode_copy(relay.cnode, IPC_SLOT_OTHER, BOOT_SLOT_CNODE, ep_void, RIGHT_WRITE), ERR_OK);
	check("cancel: and run it", tcb_resume(relay.tcb), ERR_OK);
	check("cancel: start its client",
	      child_start(&client, ROLE_CALL, 4, CHILD_PRIO, ep_relay, RIGHT_WRITE, 0, report), ERR_OK);
	settle();
	check("cancel: delete the relay's copy of that endpoint", cnode_delete(relay.cnode, IPC_SLOT_OTHER),
	      ERR_OK);
	check("cancel: delete the endpoint the relay waits on", cnode_delete(BOOT_SLOT_CNODE, ep_void),
	      ERR_OK);
	reports_by_id(report, 3, &r1, 4, &r2);
	check("cancel: the relay's own call was cancelled", (long)r1.w[REPORT_ERR], ERR_CANCELLED);
	check("cancel: it could still answer its client", (long)r1.w[REPORT_X], ERR_OK);
	check("cancel: the client's call succeeded", (long)r2.w[REPORT_ERR], ERR_OK);
	check_eq("cancel: with the relay's answer", r2.w[REPORT_X], ipc_word(3, 0));
}

static void test_saved_reply(void)
{
	struct spawned c1, c2, c3, c4;
	struct report r1 = { 0 }, r2 = { 0 };
	struct cap_info ci;
	struct ipc_msg m, answer = { .info = MSGINFO(0, 0, 1) };
	cptr_t ep = new_object(OBJ_ENDPOINT), report = new_object(OBJ_ENDPOINT);
	cptr_t saved = pool.next_slot++, saved2 = pool.next_slot++;

	check("reply: ipc_reply with no caller", ipc_reply(&answer), ERR_NO_CALLER);
	check("reply: cnode_save_reply with no caller", cnode_save_reply(BOOT_SLOT_CNODE, saved),
	      ERR_NO_CALLER);
	check("reply: start client 1", child_start(&c1, ROLE_CALL, 1, CHILD_PRIO, ep, RIGHT_WRITE, 0,
						   report), ERR_OK);
	settle();
	check("reply: start client 2", child_start(&c2, ROLE_CALL, 2, CHILD_PRIO, ep, RIGHT_WRITE, 0,
						   report), ERR_OK);
	settle();
	check("reply: receive the first call", ipc_recv(ep, &m), ERR_OK);
	check_eq("reply: it is client 1's", MSGINFO_LABEL(m.info), 1);
	check("reply: save it", cnode_save_reply(BOOT_SLOT_CNODE, saved), ERR_OK);
	check("reply: describe its slot", cnode_describe(BOOT_SLOT_CNODE, saved, &ci), ERR_OK);
	check_eq("reply: the slot holds a Reply cap", ci.type, OBJ_REPLY);
	check("reply: the saved call is no longer the one ipc_reply answers", ipc_reply(&answer),
	      ERR_NO_CALLER);
	check("reply: receive the second call (the saved one stays)", ipc_recv(ep, &m), ERR_OK);
	check_eq("reply: it is client 2's", MSGINFO_LABEL(m.info), 2);
	answer.mr[0] = 2002;
	check("reply: answer the second call first", ipc_reply(&answer), ERR_OK);
	answer.mr[0] = 1001;
	check("reply: then the first, through its Reply cap", ipc_send(saved, &answer), ERR_OK);
	check("reply: describe its slot", cnode_describe(BOOT_SLOT_CNODE, saved, &ci), ERR_OK);
	check_eq("reply: the Reply cap is used up", ci.type, OBJ_NULL);
	check("reply: sending on its slot again", ipc_send(saved, &answer), ERR_INVALID_CAP);
	reports_by_id(report, 1, &r1, 2, &r2);
	check("reply: client 1's call", (long)r1.w[REPORT_ERR], ERR_OK);
	check_eq("reply: client 1 got its own answer", r1.w[REPORT_X], 1001);
	check("reply: client 2's call", (long)r2.w[REPORT_ERR], ERR_OK);
	check_eq("reply: client 2 got its own answer", r2.w[REPORT_X], 2002);

	/* Unanswered: a deleted Reply cap, and a receive without a reply. */
	check("reply: start client 3", child_start(&c3, ROLE_CALL, 3, CHILD_PRIO, ep, RIGHT_WRITE, 0,
						   report), ERR_OK);
	check("reply: receive its call", ipc_recv(ep, &m), ERR_OK);
	check("reply: save it", cnode_save_reply(BOOT_SLOT_CNODE, saved2), ERR_OK);
	check("reply: delete the Reply cap unanswered", cnode_delete(BOOT_SLOT_CNODE, saved2), ERR_OK);
	r1 = report_get(report);
	check_eq("reply: the report is client 3's", r1.id, 3);
	check("reply: client 3's call ended with", (long)r1.w[REPORT_ERR], ERR_CANCELLED);
	check("reply: start client 4", child_start(&c4, ROLE_CALL, 4, CHILD_PRIO, ep, RIGHT_WRITE, 0,
						   report), ERR_OK);
	check("reply: receive its call", ipc_recv(ep, &m), ERR_OK);
	check("reply: receive again without replying", ipc_nbrecv(ep, &m), ERR_WOULD_BLOCK);
	r1 = report_get(report);
	check_eq("reply: the report is client 4's", r1.id, 4);
	check("reply: client 4's call was dropped with", (long)r1.w[REPORT_ERR], ERR_CANCELLED);
	check("reply: and there is no caller left", ipc_reply(&answer), ERR_NO_CALLER);
}

static void test_errors(void)
{
	struct ipc_msg m = { .info = MSGINFO(1, 0, 0) };
	cptr_t ep = new_object(OBJ_ENDPOINT), ntfn = new_object(OBJ_NOTIFICATION);
	cptr_t ep_ro = mint(ep, RIGHT_READ, 0), ep_wo = mint(ep, RIGHT_WRITE, 0);
	cptr_t ntfn_ro = mint(ntfn, RIGHT_READ, 0), ntfn_wo = mint(ntfn, RIGHT_WRITE, 0);
	cptr_t empty = pool.next_slot++;
	uint64_t bits;

	check("errors: nbsend with no receiver", ipc_nbsend(ep, &m), ERR_WOULD_BLOCK);
	check("errors: nbrecv with no sender", ipc_nbrecv(ep, &m), ERR_WOULD_BLOCK);
	check("errors: notify_poll with no bits", notify_poll(ntfn, &bits), ERR_WOULD_BLOCK);
	m.info = MSGINFO(1, 0, MSG_MAX_WORDS + 1);
	check("errors: a message of 65 words", ipc_nbsend(ep, &m), ERR_INVALID_ARGUMENT);
	m.info = MSGINFO(1, 0, 0);
	check("errors: send on an empty slot", ipc_send(empty, &m), ERR_INVALID_CAP);
	check("errors: recv on an empty slot", ipc_recv(empty, &m), ERR_INVALID_CAP);
	check("errors: send on a Notification", ipc_send(ntfn, &m), ERR_INVALID_CAP);
	check("errors: recv on a Frame", ipc_recv(BOOT_SLOT_IPC_BUFFER, &m), ERR_INVALID_CAP);
	check("errors: reply_recv on a Frame", ipc_reply_recv(BOOT_SLOT_IPC_BUFFER, &m), ERR_INVALID_CAP);
	check("errors: signal an Endpoint", notify_signal(ep), ERR_INVALID_CAP);
	check("errors: signal an empty slot", notify_signal(empty), ERR_INVALID_CAP);
	check("errors: send on a read-only Endpoint cap", ipc_send(ep_ro, &m), ERR_NO_RIGHTS);
	check("errors: call on a read-only Endpoint cap", ipc_call(ep_ro, &m), ERR_NO_RIGHTS);
	m.info = MSGINFO(1, 0, 0);
	check("errors: recv on a write-only Endpoint cap", ipc_recv(ep_wo, &m), ERR_NO_RIGHTS);
	check("errors: nbrecv on a write-only Endpoint cap", ipc_nbrecv(ep_wo, &m), ERR_NO_RIGHTS);
	check("errors: signal a read-only Notification cap", notify_signal(ntfn_ro), ERR_NO_RIGHTS);
	check("errors: wait on a write-only Notification cap", notify_wait(ntfn_wo, &bits), ERR_NO_RIGHTS);
	check("errors: the refused signal set no bits", notify_poll(ntfn, &bits), ERR_WOULD_BLOCK);
}

static void test_notifications(void)
{
	struct spawned waiter, bound;
	struct report r;
	struct ipc_msg m;
	cptr_t n = new_object(OBJ_NOTIFICATION), nb = new_object(OBJ_NOTIFICATION);
	cptr_t n1 = mint(n, RIGHT_WRITE, 0x1), n4 = mint(n, RIGHT_WRITE, 0x4), plain = mint(n, RIGHT_WRITE, 0);
	cptr_t nb20 = mint(nb, RIGHT_WRITE, 0x20), nb40 = mint(nb, RIGHT_WRITE, 0x40);
	cptr_t nb80 = mint(nb, RIGHT_WRITE, 0x80);
	cptr_t ep = new_object(OBJ_ENDPOINT), report = new_object(OBJ_ENDPOINT);
	uint64_t bits = 0;

	check("notify: signal badge 0x1", notify_signal(n1), ERR_OK);
	check("notify: signal badge 0x4", notify_signal(n4), ERR_OK);
	check("notify: signal badge 0x4 again", notify_signal(n4), ERR_OK);
	check("notify: poll", notify_poll(n, &bits), ERR_OK);
	check_eq("notify: the badges ORed together", bits, 0x5);
	check("notify: poll again: poll took them all", notify_poll(n, &bits), ERR_WOULD_BLOCK);
	check("notify: signal with an unbadged cap", notify_signal(plain), ERR_OK);
	check("notify: wait (bits already there)", notify_wait(n, &bits), ERR_OK);
	check_eq("notify: an unbadged cap signals bit 0", bits, 1);

	check("notify: start a child waiting on the notification",
	      child_make(&waiter, ROLE_WAIT, 1, CHILD_PRIO, CPTR_NULL, 0, 0, report), ERR_OK);
	check("notify: give it the notification (read right)",
	      cnode_copy(waiter.cnode, IPC_SLOT_OTHER, BOOT_SLOT_CNODE, n, RIGHT_READ), ERR_OK);
	check("notify: and run it", tcb_resume(waiter.tcb), ERR_OK);
	settle();
	check("notify: signal it (badge 0x4)", notify_signal(n4), ERR_OK);
	r = report_get(report);
	check("notify: the waiter woke", (long)r.w[REPORT_ERR], ERR_OK);
	check_eq("notify: with the bits 0x4", r.w[REPORT_BADGE], 0x4);
	check("notify: nothing was left behind", notify_poll(n, &bits), ERR_WOULD_BLOCK);

	/* Bound to a thread: the bits come to it in recv on an endpoint. */
	check("notify: make a child that receives on an endpoint",
	      child_make(&bound, ROLE_RECV, 2, CHILD_PRIO, ep, RIGHT_READ, 0, report), ERR_OK);
	check("notify: bind a notification to it", tcb_bind_notification(bound.tcb, nb), ERR_OK);
	check("notify: bind a second time", tcb_bind_notification(bound.tcb, nb), ERR_IN_USE);
	check("notify: signal it before it runs (badge 0x20)", notify_signal(nb20), ERR_OK);
	check("notify: and again (badge 0x40)", notify_signal(nb40), ERR_OK);
	check("notify: run the bound child", tcb_resume(bound.tcb), ERR_OK);
	r = report_get(report);
	check("notify: its recv returned", (long)r.w[REPORT_ERR], ERR_OK);
	check_eq("notify: with MSGINFO_FLAG_NOTIFY", r.w[REPORT_INFO], MSGINFO_FLAG_NOTIFY);
	check_eq("notify: and the bits signalled before, ORed (0x60)", r.w[REPORT_BADGE], 0x60);
	settle();
	check("notify: signal it while it is blocked in recv (badge 0x80)", notify_signal(nb80), ERR_OK);
	r = report_get(report);
	check_eq("notify: it woke with MSGINFO_FLAG_NOTIFY", r.w[REPORT_INFO], MSGINFO_FLAG_NOTIFY);
	check_eq("notify: and the bits 0x80", r.w[REPORT_BADGE], 0x80);
	settle();
	m = (struct ipc_msg){ .info = MSGINFO(9, 0, 2), .mr = { ipc_word(9, 0), ipc_word(9, 1) } };
	check("notify: now send it a message on the endpoint", ipc_send(mint(ep, RIGHT_WRITE, 0x5), &m),
	      ERR_OK);
	r = report_get(report);
	check_eq("notify: it arrives as a message, no NOTIFY flag", r.w[REPORT_INFO], MSGINFO(9, 0, 2));
	check_eq("notify: with the endpoint cap's badge", r.w[REPORT_BADGE], 0x5);
	check_eq("notify: and its 2 words", r.w[REPORT_X], 2);
	check("notify: the bound notification has no bits left", notify_poll(nb, &bits), ERR_WOULD_BLOCK);
}

int main(const struct bootinfo *info)
{
	check("set up a pool and the lowest child", root_setup(info), ERR_OK);
	test_cancel();
	test_saved_reply();
	test_errors();
	test_notifications();
	return check_done();
}
