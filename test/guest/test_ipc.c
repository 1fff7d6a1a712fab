/*
 * test_ipc.c - plays root: messages over endpoints between address spaces.
 *
 * Proves, each against children (ipc_child) in address spaces of their own:
 *  1. ping-pong: many calls answered by a reply_recv server, both sides
 *     checking every word, from 0 words to 64 (through the IPC buffers);
 *  2. badges: the receiver tells senders apart by their caps' badges, and
 *     a sender cannot forge the kernel's flag bits;
 *  3. capability transfer: needs the grant right, lands in the receiver's
 *     window and works there; a full window loses the caps, all of them,
 *     and only them (MSGINFO_FLAG_CAPS_LOST);
 *  4. senders blocked on one endpoint are received in the order they blocked;
 *  5. the fast path and the general path give the same replies.
 * test_ipcwait.c has the ways a wait ends: cancellation, saved replies,
 * errors and notifications.
 */
#define CHECK_NAME "test_ipc"
#include "check.h"
#include "ipc_root.h"

#define PINGS 200

/* Call the echo server on ep with a test message of len words; *reply gets
 * the answer. Returns how many things were wrong with it (0: all right),
 * after reporting the call's error (if any) as a failed check. */
static unsigned echo_call(cptr_t ep, uint64_t label, unsigned len, uint64_t badge,
			  struct ipc_msg *reply)
{
	struct ipc_buffer *buf = ipc_buffer();
	unsigned j, wrong = 0;
	int err;

	reply->info = MSGINFO(label, 0, len) | MSGINFO_FLAG_MASK;   /* forged: must not arrive */
	for (j = 0; j < len; j++)
		*(j < MSG_REG_WORDS ? &reply->mr[j] : &buf->mr[j]) = ipc_word(label, j);
	err = ipc_call(ep, reply);
	if (err != ERR_OK) {
		check("echo: the call", err, ERR_OK);
		return 1;
	}
	wrong += reply->info != MSGINFO(label + 1, 0, len);   /* label + 1: the server saw it intact;
								 * no flags: the server's were dropped */
	wrong += reply->badge != 0;
	for (j = 0; j < len; j++) {
		uint64_t got = j < MSG_REG_WORDS ? reply->mr[j] : buf->mr[j];

		wrong += got != ipc_echo_word(ipc_word(label, j), j, badge);
	}
	return wrong;
}

static void test_pingpong(void)
{
	struct spawned server;
	struct ipc_msg m;
	cptr_t ep = new_object(OBJ_ENDPOINT);
	unsigned i, good = 0;

	check("ping-pong: start an echo server in its own address space",
	      child_start(&server, ROLE_ECHO, 1, PRIORITY_MAX, ep, RIGHT_READ, 0, CPTR_NULL), ERR_OK);
	for (i = 0; i < PINGS; i++)
		good += echo_call(ep, 1000 + i, i % (MSG_REG_WORDS + 1), 0, &m) == 0;
	check_eq("ping-pong: 200 calls of 0..4 words, every request and reply intact", good, PINGS);
	check_eq("ping-pong: a 0-word call, and its 0-word reply (labels only)",
		 echo_call(ep, 7, 0, 0, &m), 0);
	check_eq("ping-pong: the 0-word reply has length 0", MSGINFO_LENGTH(m.info), 0);
	check_eq("ping-pong: a 5-word call, one word in the IPC buffer each way",
		 echo_call(ep, 8, 5, 0, &m), 0);
	check_eq("ping-pong: a 64-word call, 60 words in the IPC buffer each way",
		 echo_call(ep, 9, MSG_MAX_WORDS, 0, &m), 0);
	check_eq("ping-pong: the 64-word reply has length 64", MSGINFO_LENGTH(m.info), MSG_MAX_WORDS);
	for (i = 0, good = 0; i < 20; i++)
		good += echo_call(ep, 2000 + i, (i * 7) % (MSG_MAX_WORDS + 1), 0, &m) == 0;
	check_eq("ping-pong: 20 calls of mixed lengths up to 64 words, all intact", good, 20);
}

static void test_badges(void)
{
	static const uint64_t badge[] = { 0x11, 0x22, 0 };
	struct spawned c[3];
	struct ipc_msg m;
	cptr_t ep = new_object(OBJ_ENDPOINT);
	unsigned i, right = 0, unforged = 0;

	for (i = 0; i < 3; i++)
		check("badges: start a sender with its own badge (the last: none)",
		      child_start(&c[i], ROLE_SEND, i + 1, CHILD_PRIO, ep, RIGHT_WRITE, badge[i],
				  CPTR_NULL), ERR_OK);
	for (i = 0; i < 3; i++) {
		if (ipc_recv(ep, &m) != ERR_OK || m.mr[0] < 1 || m.mr[0] > 3)
			continue;
		right += m.badge == badge[m.mr[0] - 1];
		unforged += MSGINFO_FLAGS(m.info) == 0;
	}
	check_eq("badges: each message carries its sender's badge (0 for the unbadged cap)", right, 3);
	check_eq("badges: no sender could set the kernel's flag bits", unforged, 3);
}

/* Send m (with caps from root's IPC buffer) on ep, then read the receiver's report. */
static struct report send_and_report(cptr_t ep, struct ipc_msg *m, cptr_t report)
{
	check("caps: send to the receiver", ipc_send(ep, m), ERR_OK);
	return report_get(report);
}

static void test_cap_transfer(void)
{
	struct spawned rx;
	struct cap_info ci;
	struct report r;
	struct ipc_msg m;
	struct ipc_buffer *buf = ipc_buffer();
	cptr_t ep = new_object(OBJ_ENDPOINT), report = new_object(OBJ_ENDPOINT);
	cptr_t gift_ep = new_object(OBJ_ENDPOINT);
	cptr_t no_grant = mint(ep, RIGHT_READ | RIGHT_WRITE, 0);
	cptr_t gift = mint(gift_ep, RIGHT_WRITE, 0x77), gift2 = mint(gift_ep, RIGHT_WRITE, 0x88);
	unsigned j;

	check("caps: start a receiver", child_start(&rx, ROLE_RECV, 5, CHILD_PRIO, ep, RIGHT_READ,
						    0, report), ERR_OK);
	settle();
	buf->caps[0] = gift;
	m = (struct ipc_msg){ .info = MSGINFO(IPC_LABEL_USE_CAP, 1, 0) };
	check("caps: send a cap on an endpoint cap without the grant right", ipc_send(no_grant, &m),
	      ERR_NO_RIGHTS);
	check("caps: describe the receiver's window", cnode_describe(rx.cnode, IPC_SLOT_RECV, &ci), ERR_OK);
	check_eq("caps: nothing landed there", ci.type, OBJ_NULL);
	m = (struct ipc_msg){ .info = MSGINFO(20, 0, 2), .mr = { ipc_word(20, 0), ipc_word(20, 1) } };
	r = send_and_report(ep, &m, report);
	check_eq("caps: the receiver's first message is the plain one after the refused send",
		 r.w[REPORT_INFO], MSGINFO(20, 0, 2));

	/* With the grant right: the cap lands, and works in the receiver's hands. */
	m = (struct ipc_msg){ .info = MSGINFO(IPC_LABEL_USE_CAP, 1, 0) };
	check("caps: send an endpoint cap with the grant right", ipc_send(ep, &m), ERR_OK);
	check("caps: receive what the child sent through the cap it got", ipc_recv(gift_ep, &m), ERR_OK);
	check_eq("caps: its message came through", m.mr[0], IPC_MAGIC);
	check_eq("caps: with the badge of the cap sent", m.badge, 0x77);
	r = report_get(report);
	check_eq("caps: the receiver was told 1 cap arrived, no flags", r.w[REPORT_INFO],
		 MSGINFO(IPC_LABEL_USE_CAP, 1, 0));
	check("caps: describe the receiver's window", cnode_describe(rx.cnode, IPC_SLOT_RECV, &ci), ERR_OK);
	check_eq("caps: it holds an Endpoint", ci.type, OBJ_ENDPOINT);
	check_eq("caps: the very cap sent (badge 0x77)", ci.data, 0x77);
	check("caps: describe the sender's cap", cnode_describe(BOOT_SLOT_CNODE, gift, &ci), ERR_OK);
	check_eq("caps: the sender still has it (transfer copies)", ci.type, OBJ_ENDPOINT);

	/* The window is full now: the message arrives, the cap does not. */
	buf->caps[0] = gift2;
	m = (struct ipc_msg){ .info = MSGINFO(21, 1, 6) };
	for (j = 0; j < 6; j++)
		*(j < MSG_REG_WORDS ? &m.mr[j] : &buf->mr[j]) = ipc_word(21, j);
	r = send_and_report(ep, &m, report);
	check("caps: a full window: the message still arrives", (long)r.w[REPORT_ERR], ERR_OK);
	check_eq("caps: with 0 caps and MSGINFO_FLAG_CAPS_LOST", r.w[REPORT_INFO],
		 MSGINFO(21, 0, 6) | MSGINFO_FLAG_CAPS_LOST);
	check_eq("caps: and all 6 of its words intact", r.w[REPORT_X], 6);
	check("caps: describe the full window", cnode_describe(rx.cnode, IPC_SLOT_RECV, &ci), ERR_OK);
	check_eq("caps: the cap in the full window is the old one (badge 0x77)", ci.data, 0x77);

	/* Two caps, the second slot full: all or none, so none. */
	check("caps: empty the first slot of the window", cnode_delete(rx.cnode, IPC_SLOT_RECV), ERR_OK);
	check("caps: fill the second", cnode_copy(rx.cnode, IPC_SLOT_RECV + 1, BOOT_SLOT_CNODE, report,
						  RIGHT_WRITE), ERR_OK);
	buf->caps[1] = gift;
	m = (struct ipc_msg){ .info = MSGINFO(22, 2, 1), .mr = { ipc_word(22, 0) } };
	r = send_and_report(ep, &m, report);
	check_eq("caps: 2 caps, second slot full: 0 caps and CAPS_LOST", r.w[REPORT_INFO],
		 MSGINFO(22, 0, 1) | MSGINFO_FLAG_CAPS_LOST);
	check("caps: describe the window", cnode_describe(rx.cnode, IPC_SLOT_RECV, &ci), ERR_OK);
	check_eq("caps: the first cap did not land alone", ci.type, OBJ_NULL);
}

static void test_fifo(void)
{
	static const unsigned order[] = { 3, 1, 4, 2 };
	struct spawned c[4];
	struct ipc_msg m;
	cptr_t ep = new_object(OBJ_ENDPOINT);
	unsigned i, in_order = 0;

	for (i = 0; i < 4; i++) {
		check("FIFO: start a sender and let it block in send",
		      child_start(&c[i], ROLE_SEND, order[i], CHILD_PRIO, ep, RIGHT_WRITE, 0, CPTR_NULL),
		      ERR_OK);
		settle();
	}
	for (i = 0; i < 4; i++) {
		if (ipc_recv(ep, &m) == ERR_OK && m.mr[0] == order[i])
			in_order++;
		else
			printf("test_ipc: message %u came from sender %lu, want %u\n", i, m.mr[0], order[i]);
	}
	check_eq("FIFO: 4 blocked senders (3, 1, 4, 2) received in the order they blocked", in_order, 4);
	check("FIFO: and then the endpoint is empty", ipc_nbrecv(ep, &m), ERR_WOULD_BLOCK);
}

/* The fast path takes a call of at most 4 words to a waiting server of at
 * least the caller's priority; the same call to a lower-priority server,
 * or with 5 words, goes the general way. All must answer alike. */
static void test_fast_slow(void)
{
	struct spawned fast, slow;
	struct ipc_msg a, b, c;
	cptr_t ep_fast = new_object(OBJ_ENDPOINT), ep_slow = new_object(OBJ_ENDPOINT);
	cptr_t to_fast = mint(ep_fast, RIGHT_WRITE, 0xb0b), to_slow = mint(ep_slow, RIGHT_WRITE, 0xb0b);
	unsigned j, same = 0;

	check("paths: start a server at root's priority",
	      child_start(&fast, ROLE_ECHO, 2, PRIORITY_MAX, ep_fast, RIGHT_READ, 0, CPTR_NULL), ERR_OK);
	check("paths: start a server one below",
	      child_start(&slow, ROLE_ECHO, 3, PRIORITY_MAX - 1, ep_slow, RIGHT_READ, 0, CPTR_NULL), ERR_OK);
	/* The first call finds neither server waiting yet: warm them up. */
	check_eq("paths: a first call to each", echo_call(to_fast, 40, 1, 0xb0b, &a) +
		 echo_call(to_slow, 40, 1, 0xb0b, &b), 0);
	check_eq("paths: 4 words, equal priority (fast path): reply right",
		 echo_call(to_fast, 41, 4, 0xb0b, &a), 0);
	check_eq("paths: 4 words, lower-priority server (general path): reply right",
		 echo_call(to_slow, 41, 4, 0xb0b, &b), 0);
	check_eq("paths: 5 words, equal priority (general path): reply right",
		 echo_call(to_fast, 41, 5, 0xb0b, &c), 0);
	check_eq("paths: fast and general replies have the same info word", a.info, b.info);
	check_eq("paths: and the same badge", a.badge, b.badge);
	for (j = 0; j < MSG_REG_WORDS; j++)
		same += a.mr[j] == b.mr[j] && a.mr[j] == c.mr[j];
	check_eq("paths: all three replies agree on words 0..3 (badge folded into word 0)", same,
		 MSG_REG_WORDS);
	check_eq("paths: the 5-word reply differs only in its length",
		 c.info, MSGINFO(MSGINFO_LABEL(a.info), 0, 5));
}

int main(const struct bootinfo *info)
{
	check("set up a pool and the lowest child", root_setup(info), ERR_OK);
	test_pingpong();
	test_badges();
	test_cap_transfer();
	test_fifo();
	test_fast_slow();
	return check_done();
}
