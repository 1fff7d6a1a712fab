/*
 * test_fastpath.c - plays root: the IPC fast path falls back whenever it
 * must (lab 5's hidden test; docs/ipc.md section 9 has the conditions).
 *
 * Proves, with children (ipc_child) in address spaces of their own, that
 * calls that look like fast-path calls get the general path's answers:
 *  1. a call on an endpoint cap without the write right, or on a
 *     notification, to a server waiting at our priority, fails as the
 *     general path says, and the server is left waiting, undisturbed;
 *  2. a server in reply_recv with a client already queued takes that
 *     client's call at once (it must not wait behind it);
 *  3. a call to a waiting server of lower priority lets a runnable thread
 *     between the two run first, as the scheduler would choose.
 * Nothing here reads instruction counts: the same results on either path.
 */
#define CHECK_NAME "test_fastpath"
#include "check.h"
#include "ipc_root.h"

/* One call of (label, 1 word) on ep; returns how many things were wrong
 * with the echo server's reply (ipc_shared.h), or 1 after a failed call. */
static unsigned echo_once(cptr_t ep, uint64_t label, uint64_t badge)
{
	struct ipc_msg m = { .info = MSGINFO(label, 0, 1), .mr = { ipc_word(label, 0) } };
	int err = ipc_call(ep, &m);

	if (err != ERR_OK) {
		check("echo: the call", err, ERR_OK);
		return 1;
	}
	return (m.info != MSGINFO(label + 1, 0, 1)) + (m.badge != 0) +
	       (m.mr[0] != ipc_echo_word(ipc_word(label, 0), 0, badge));
}

/* The label of the next message queued on ep, or 0 if there is none. */
static uint64_t next_label(cptr_t ep, struct ipc_msg *m)
{
	return ipc_nbrecv(ep, m) == ERR_OK ? MSGINFO_LABEL(m->info) : 0;
}

static void test_refused(void)
{
	struct spawned server;
	struct ipc_msg m = { .info = MSGINFO(50, 0, 1) };
	cptr_t ep = new_object(OBJ_ENDPOINT), ntfn = new_object(OBJ_NOTIFICATION);
	cptr_t read_only = mint(ep, RIGHT_READ, 0), to_server = mint(ep, RIGHT_WRITE, 0x33);

	check("refused: start an echo server at root's priority",
	      child_start(&server, ROLE_ECHO, 1, PRIORITY_MAX, ep, RIGHT_READ, 0, CPTR_NULL), ERR_OK);
	settle();
	check_eq("refused: a first call, the server then waits in reply_recv",
		 echo_once(to_server, 51, 0x33), 0);
	check("refused: a call on a cap without the write right", ipc_call(read_only, &m),
	      ERR_NO_RIGHTS);
	m = (struct ipc_msg){ .info = MSGINFO(52, 0, 1) };
	check("refused: a call on a notification (an invocation it does not have)",
	      ipc_call(ntfn, &m), ERR_INVALID_OPERATION);
	check_eq("refused: the server still answers the next call, badge and words right",
		 echo_once(to_server, 53, 0x33), 0);
}

/* Two clients above the server: the second queues while the server works
 * for the first, so the server's reply_recv finds it waiting. */
static void test_queued_sender(void)
{
	struct spawned server, c1, c2;
	struct ipc_msg m;
	cptr_t ep = new_object(OBJ_ENDPOINT), report = new_object(OBJ_ENDPOINT);
	unsigned i, answered = 0;

	check("queued: start an echo server below its clients",
	      child_start(&server, ROLE_ECHO, 2, CHILD_PRIO, ep, RIGHT_READ, 0, CPTR_NULL), ERR_OK);
	settle();
	check("queued: start client 3", child_start(&c1, ROLE_CALL, 3, CHILD_PRIO + 1, ep,
						    RIGHT_WRITE, 0x3, report), ERR_OK);
	check("queued: start client 4", child_start(&c2, ROLE_CALL, 4, CHILD_PRIO + 1, ep,
						    RIGHT_WRITE, 0x4, report), ERR_OK);
	settle();
	for (i = 0; i < 2; i++) {
		uint64_t id = next_label(report, &m);

		if ((id == 3 || id == 4) && m.mr[REPORT_ERR] == ERR_OK &&
		    m.mr[REPORT_X] == ipc_echo_word(ipc_word(id, 0), 0, id))
			answered++;
	}
	check_eq("queued: both clients got their own answers", answered, 2);
	check_eq("queued: and nothing else came", next_label(report, &m), 0);
}

/* A client above a runnable thread calls a waiting server below both:
 * the thread in between runs before the server does. */
static void test_priority(void)
{
	struct spawned server, middle, client;
	struct ipc_msg m;
	cptr_t ep = new_object(OBJ_ENDPOINT), report = new_object(OBJ_ENDPOINT);
	uint64_t first, second;

	check("priority: start an echo server",
	      child_start(&server, ROLE_ECHO, 5, CHILD_PRIO, ep, RIGHT_READ, 0, CPTR_NULL), ERR_OK);
	settle();
	check("priority: start a sender one above it (it sends to the report endpoint)",
	      child_start(&middle, ROLE_SEND, 6, CHILD_PRIO + 1, report, RIGHT_WRITE, 0, CPTR_NULL),
	      ERR_OK);
	check("priority: start a client two above it",
	      child_start(&client, ROLE_CALL, 7, CHILD_PRIO + 2, ep, RIGHT_WRITE, 0x7, report), ERR_OK);
	settle();
	first = next_label(report, &m);
	second = next_label(report, &m);
	check_eq("priority: the client's call answered", second == 7 &&
		 m.mr[REPORT_X] == ipc_echo_word(ipc_word(7, 0), 0, 0x7), 1);
	check_eq("priority: the sender in between ran before the server (its message came first)",
		 first, 6);
}

int main(const struct bootinfo *info)
{
	check("set up a pool and the lowest child", root_setup(info), ERR_OK);
	test_refused();
	test_queued_sender();
	test_priority();
	return check_done();
}
