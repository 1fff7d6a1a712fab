/*
 * test_ipcslow.c - plays root: IPC that only the general path in ipc.c
 * does, never the fast path (docs/ipc.md section 9): calls taken by recv
 * and answered by reply, send, long messages, capabilities.
 *
 * Proves, with children (ipc_child) in address spaces of their own:
 *  1. a queued call taken by recv carries its badge; a 9-word reply from
 *     ipc_reply() arrives with badge 0 and none of the flags it forged;
 *  2. one endpoint's senders and callers are received in the order they
 *     blocked, each with its own badge;
 *  3. receivers queue too, in order: a 64-word send reaches the first,
 *     a 2-word send the second, both with the sending cap's badge;
 *  4. three caps land in three consecutive slots, as copies: same badge,
 *     a Frame unmapped, and a revoke of the sender's cap takes its copy;
 *  5. all or none: one cap that may not travel keeps the others home.
 */
#define CHECK_NAME "test_ipcslow"
#include "check.h"
#include "ipc_root.h"

static void fill(struct ipc_msg *m, uint64_t label, unsigned ncaps, unsigned len)
{
	unsigned j;

	m->info = MSGINFO(label, ncaps, len);
	for (j = 0; j < len; j++)
		*(j < MSG_REG_WORDS ? &m->mr[j] : &ipc_buffer()->mr[j]) = ipc_word(label, j);
}

/* The next report, which must come from child `id`. */
static struct report report_from(cptr_t report, uint64_t id)
{
	struct report r = report_get(report);

	check_eq("the report is from the child expected", r.id, id);
	return r;
}

static void test_recv_a_call(void)
{
	struct spawned c;
	struct report r;
	struct ipc_msg m;
	cptr_t ep = new_object(OBJ_ENDPOINT), report = new_object(OBJ_ENDPOINT);

	check("call: start a caller (badge 0x41)",
	      child_start(&c, ROLE_CALL, 1, CHILD_PRIO, ep, RIGHT_WRITE, 0x41, report), ERR_OK);
	settle();
	check("call: recv takes the queued call", ipc_recv(ep, &m), ERR_OK);
	check_eq("call: its info word", m.info, MSGINFO(1, 0, 1));
	check_eq("call: its badge", m.badge, 0x41);
	check_eq("call: its word", m.mr[0], ipc_word(1, 0));
	fill(&m, 77, 0, 9);
	m.info |= MSGINFO_FLAG_MASK;        /* forged: must not arrive */
	check("call: a 9-word reply with forged flags", ipc_reply(&m), ERR_OK);
	r = report_from(report, 1);
	check("call: the caller's call returned", (long)r.w[REPORT_ERR], ERR_OK);
	check_eq("call: with the reply's label and length, no flags", r.w[REPORT_INFO], MSGINFO(77, 0, 9));
	check_eq("call: a reply carries badge 0", r.w[REPORT_BADGE], 0);
	check_eq("call: and the reply's word 0", r.w[REPORT_X], ipc_word(77, 0));
	check("call: the reply was used up", ipc_reply(&m), ERR_NO_CALLER);
}

static void test_mixed_fifo(void)
{
	static const unsigned role[] = { ROLE_CALL, ROLE_SEND, ROLE_CALL };
	struct spawned c[3];
	struct report r[2];
	struct ipc_msg m, answer;
	cptr_t ep = new_object(OBJ_ENDPOINT), report = new_object(OBJ_ENDPOINT);
	unsigned i, in_order = 0, badged = 0, unforged = 0;

	for (i = 0; i < 3; i++) {
		check("fifo: start a caller or a sender and let it block",
		      child_start(&c[i], role[i], i + 2, CHILD_PRIO, ep, RIGHT_WRITE, 0x10 * (i + 2),
				  report), ERR_OK);
		settle();
	}
	for (i = 0; i < 3; i++) {
		if (ipc_recv(ep, &m) != ERR_OK)
			continue;
		in_order += MSGINFO_LABEL(m.info) == i + 2;
		badged += m.badge == 0x10 * (i + 2);
		unforged += MSGINFO_FLAGS(m.info) == 0;
		if (role[i] == ROLE_CALL) {
			answer = (struct ipc_msg){ .info = MSGINFO(0, 0, 1), .mr = { 1000 * (i + 2) } };
			check("fifo: answer the call", ipc_reply(&answer), ERR_OK);
		}
	}
	check_eq("fifo: a caller, a sender, a caller, received in the order they blocked", in_order, 3);
	check_eq("fifo: each with its own badge", badged, 3);
	check_eq("fifo: and no forged flags", unforged, 3);
	reports_by_id(report, 2, &r[0], 4, &r[1]);
	check_eq("fifo: both callers reported", (r[0].id == 2) + (r[1].id == 4), 2);
	check_eq("fifo: each caller got its own answer", (r[0].w[REPORT_X] == 2000) +
		 (r[1].w[REPORT_X] == 4000), 2);
	check("fifo: and then the endpoint is empty", ipc_nbrecv(ep, &m), ERR_WOULD_BLOCK);
}

static void test_receivers_queue(void)
{
	struct spawned c[2];
	struct report r, r2;
	struct ipc_msg m;
	cptr_t ep = new_object(OBJ_ENDPOINT), report = new_object(OBJ_ENDPOINT);
	cptr_t send = mint(ep, RIGHT_WRITE, 0x55);
	unsigned i;

	for (i = 0; i < 2; i++) {
		check("receivers: start a receiver and let it block",
		      child_start(&c[i], ROLE_RECV, i + 5, CHILD_PRIO, ep, RIGHT_READ, 0, report), ERR_OK);
		settle();
	}
	fill(&m, 30, 0, MSG_MAX_WORDS);
	check("receivers: send 64 words", ipc_send(send, &m), ERR_OK);
	fill(&m, 31, 0, 2);
	check("receivers: send 2 words", ipc_send(send, &m), ERR_OK);
	/* Both are ready now; they may report in either order. */
	reports_by_id(report, 5, &r, 6, &r2);
	check_eq("receivers: both reported", (r.id == 5) + (r2.id == 6), 2);
	check_eq("receivers: the first got the 64 words", r.w[REPORT_INFO], MSGINFO(30, 0, MSG_MAX_WORDS));
	check_eq("receivers: all 64 intact", r.w[REPORT_X], MSG_MAX_WORDS);
	check_eq("receivers: with the sending cap's badge", r.w[REPORT_BADGE], 0x55);
	check_eq("receivers: the second got the 2 words", r2.w[REPORT_INFO], MSGINFO(31, 0, 2));
	check_eq("receivers: both intact", r2.w[REPORT_X], 2);
	check_eq("receivers: with the same badge", r2.w[REPORT_BADGE], 0x55);
}

static void test_three_caps(void)
{
	struct spawned c;
	struct report r;
	struct cap_info ci, mine;
	struct ipc_msg m;
	struct ipc_buffer *buf = ipc_buffer();
	cptr_t ep = new_object(OBJ_ENDPOINT), report = new_object(OBJ_ENDPOINT);
	cptr_t gift = mint(new_object(OBJ_ENDPOINT), RIGHT_WRITE, 0x99);
	cptr_t ntfn = new_object(OBJ_NOTIFICATION);

	check("caps: start a receiver", child_start(&c, ROLE_RECV, 7, CHILD_PRIO, ep, RIGHT_READ, 0,
						    report), ERR_OK);
	settle();
	buf->caps[0] = gift;
	buf->caps[1] = ntfn;
	buf->caps[2] = BOOT_SLOT_IPC_BUFFER;        /* a Frame, mapped in root */
	fill(&m, 40, 3, 5);
	check("caps: send an endpoint, a notification and a frame", ipc_send(ep, &m), ERR_OK);
	r = report_from(report, 7);
	check_eq("caps: 3 caps and 5 words arrived, no flags", r.w[REPORT_INFO], MSGINFO(40, 3, 5));
	check_eq("caps: the words intact", r.w[REPORT_X], 5);
	check("caps: describe the first slot", cnode_describe(c.cnode, IPC_SLOT_RECV, &ci), ERR_OK);
	check_eq("caps: an Endpoint", ci.type, OBJ_ENDPOINT);
	check_eq("caps: with the badge sent", ci.data, 0x99);
	check_eq("caps: and only the rights sent", ci.rights, RIGHT_WRITE);
	check("caps: describe the second", cnode_describe(c.cnode, IPC_SLOT_RECV + 1, &ci), ERR_OK);
	check_eq("caps: a Notification", ci.type, OBJ_NOTIFICATION);
	check("caps: describe the third", cnode_describe(c.cnode, IPC_SLOT_RECV + 2, &ci), ERR_OK);
	check_eq("caps: a Frame", ci.type, OBJ_FRAME);
	check_eq("caps: not mapped", ci.data, 0);
	check("caps: describe root's frame", cnode_describe(BOOT_SLOT_CNODE, BOOT_SLOT_IPC_BUFFER, &mine),
	      ERR_OK);
	check_eq("caps: the same page", ci.paddr, mine.paddr);
	check_eq("caps: which root still has mapped", mine.data != 0, 1);
	check("caps: revoke the endpoint cap root sent", cnode_revoke(BOOT_SLOT_CNODE, gift), ERR_OK);
	check("caps: describe the first slot", cnode_describe(c.cnode, IPC_SLOT_RECV, &ci), ERR_OK);
	check_eq("caps: the copy went with the revoke", ci.type, OBJ_NULL);
	check("caps: describe the second slot", cnode_describe(c.cnode, IPC_SLOT_RECV + 1, &ci), ERR_OK);
	check_eq("caps: the notification stayed", ci.type, OBJ_NOTIFICATION);
}

static void test_all_or_none(void)
{
	struct spawned c;
	struct report r;
	struct cap_info ci;
	struct ipc_msg m;
	struct ipc_buffer *buf = ipc_buffer();
	cptr_t ep = new_object(OBJ_ENDPOINT), report = new_object(OBJ_ENDPOINT);
	cptr_t gift = new_object(OBJ_ENDPOINT);

	check("none: start a receiver", child_start(&c, ROLE_RECV, 8, CHILD_PRIO, ep, RIGHT_READ, 0,
						    report), ERR_OK);
	settle();
	buf->caps[0] = gift;
	buf->caps[1] = pool.untyped;                 /* may not travel */
	fill(&m, 41, 2, 1);
	check("none: send an endpoint and an Untyped", ipc_send(ep, &m), ERR_OK);
	r = report_from(report, 8);
	check_eq("none: the word arrived, 0 caps and MSGINFO_FLAG_CAPS_LOST", r.w[REPORT_INFO],
		 MSGINFO(41, 0, 1) | MSGINFO_FLAG_CAPS_LOST);
	check("none: describe the first slot", cnode_describe(c.cnode, IPC_SLOT_RECV, &ci), ERR_OK);
	check_eq("none: the endpoint did not land alone", ci.type, OBJ_NULL);
	check("none: describe the second slot", cnode_describe(c.cnode, IPC_SLOT_RECV + 1, &ci), ERR_OK);
	check_eq("none: nor the Untyped", ci.type, OBJ_NULL);
}

int main(const struct bootinfo *info)
{
	check("set up a pool and the lowest child", root_setup(info), ERR_OK);
	test_recv_a_call();
	test_mixed_fifo();
	test_receivers_queue();
	test_three_caps();
	test_all_or_none();
	return check_done();
}
