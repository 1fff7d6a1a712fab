/*
 * ipc_child.c - the program test_ipc and test_ipcwait start in address
 * spaces of its own: a0 = IPC_CHILD_ARG(role, id) says what it does
 * (ipc_shared.h has the roles and the slots root fills). It checks nothing
 * itself; it does one kind of IPC and reports what came back, so root
 * judges. Every role exits 0 when it is done; some wait forever instead.
 */
#include "errors.h"
#include "invoke.h"
#include "ipc.h"
#include "ipc_shared.h"

static void report(uint64_t id, int err, const struct ipc_msg *got, uint64_t x)
{
	struct ipc_msg r = { .info = MSGINFO(id, 0, REPORT_WORDS) };

	r.mr[REPORT_ERR] = (uint64_t)err;
	r.mr[REPORT_INFO] = got->info;
	r.mr[REPORT_BADGE] = got->badge;
	r.mr[REPORT_X] = x;
	ipc_send(IPC_SLOT_REPORT, &r);
}

/* Word j of the message just received (or the one about to be sent). */
static uint64_t *word(struct ipc_msg *m, unsigned j)
{
	return j < MSG_REG_WORDS ? &m->mr[j] : &ipc_buffer()->mr[j];
}

/* How many of m's words are what a test message with its label holds. */
static unsigned words_intact(struct ipc_msg *m)
{
	unsigned j, len = (unsigned)MSGINFO_LENGTH(m->info), n = 0;

	for (j = 0; j < len && j < MSG_MAX_WORDS; j++)
		n += *word(m, j) == ipc_word(MSGINFO_LABEL(m->info), j);
	return n;
}

/* Answer every message with ipc_echo_word(), in one reply_recv loop. */
static void echo(void)
{
	struct ipc_msg m;
	int err = ipc_recv(IPC_SLOT_EP, &m);
	unsigned j, len;

	while (err == ERR_OK) {
		uint64_t label = MSGINFO_LABEL(m.info);

		len = (unsigned)MSGINFO_LENGTH(m.info);
		label = words_intact(&m) == len && MSGINFO_FLAGS(m.info) == 0 ? label + 1 : 0;
		for (j = 0; j < len; j++)
			*word(&m, j) = ipc_echo_word(*word(&m, j), j, m.badge);
		m.info = MSGINFO(label, 0, len) | MSGINFO_FLAG_MASK;   /* forged: must not arrive */
		err = ipc_reply_recv(IPC_SLOT_EP, &m);
	}
}

/* Receive until a receive fails, reporting each message; caps land in the
 * window (SELF, RECV). */
static void receive_loop(uint64_t id)
{
	struct ipc_msg m, use = { .info = MSGINFO(IPC_LABEL_USE_CAP, 0, 1), .mr = { IPC_MAGIC } };
	int err;

	do {
		ipc_buffer()->recv_cnode = IPC_SLOT_SELF;
		ipc_buffer()->recv_slot = IPC_SLOT_RECV;
		err = ipc_recv(IPC_SLOT_EP, &m);
		if (err == ERR_OK && !(m.info & MSGINFO_FLAG_MASK) &&
		    MSGINFO_LABEL(m.info) == IPC_LABEL_USE_CAP)
			ipc_send(IPC_SLOT_RECV, &use);
		report(id, err, &m, err == ERR_OK ? words_intact(&m) : 0);
	} while (err == ERR_OK);
}

/* Receive a call, make a call of our own on OTHER, then answer the first. */
static void relay(uint64_t id)
{
	struct ipc_msg m, answer = { .info = MSGINFO(id, 0, 1), .mr = { ipc_word(id, 0) } };
	int err = ipc_recv(IPC_SLOT_EP, &m);

	if (err == ERR_OK)
		err = ipc_call(IPC_SLOT_OTHER, &m);
	report(id, err, &m, (uint64_t)ipc_reply(&answer));
}

int main(uint64_t arg)
{
	uint64_t id = IPC_CHILD_ID(arg), bits = 0;
	struct ipc_msg m = { .info = MSGINFO(id, 0, 1), .mr = { ipc_word(id, 0) } };
	int err;

	switch (IPC_CHILD_ROLE(arg)) {
	case ROLE_ECHO:
		echo();
		break;
	case ROLE_SEND:
		m.info |= MSGINFO_FLAG_MASK;          /* the kernel must drop these */
		m.mr[0] = id;
		ipc_send(IPC_SLOT_EP, &m);
		break;
	case ROLE_RECV:
		receive_loop(id);
		break;
	case ROLE_CALL:
		err = ipc_call(IPC_SLOT_EP, &m);
		report(id, err, &m, m.mr[0]);
		break;
	case ROLE_WAIT:
		err = notify_wait(IPC_SLOT_OTHER, &bits);
		m.badge = bits;
		report(id, err, &m, 0);
		break;
	case ROLE_RELAY:
		relay(id);
		break;
	case ROLE_LOWEST:
		while (notify_wait(IPC_SLOT_OTHER, &bits) == ERR_OK)
			notify_signal(IPC_SLOT_REPORT);
		break;
	}
	return 0;
}
