/*
 * uart.c - the console driver: the 16550 through its device frame, input
 * through its receive interrupt, the line discipline, and the protocol of
 * lib/uart_proto.h (docs/drivers.md).
 *
 * Root maps the registers at UART_DEVICE_VADDR and the state page, which
 * outlives this driver, at UART_STATE_VADDR. The driver runs one loop:
 * receive a request or an interrupt, act, answer. Each write goes to the
 * wire whole, between two requests, so lines never mix. Typed bytes are
 * edited into the line being typed in the state page, and finished lines
 * wait there until a reader acknowledges them. A read of a line not typed
 * yet keeps its reply (cnode_save_reply) until the line is finished.
 * The driver never trusts a message: every request is checked before it
 * acts, and the state page is checked at start, as a crash may have left it.
 */
#include <stdbool.h>

#include "errors.h"
#include "invoke.h"
#include "ipc.h"
#include "str.h"
#include "uart_proto.h"

/* 16550 registers (byte offsets) and bits. */
#define UART_RBR    0       /* receive buffer (read) */
#define UART_THR    0       /* transmit holding (write) */
#define UART_IER    1       /* interrupt enable */
#define UART_LSR    5       /* line status */
#define IER_RX_DATA 0x01
#define LSR_DATA    0x01
#define LSR_THRE    0x20

#define CTRL_C    UART_CTRL_C
#define CTRL_D    0x04
#define BACKSPACE 0x08
#define CTRL_U    0x15
#define DELETE    0x7f

#define WORD_BYTES 8

static volatile uint8_t *const regs = (volatile uint8_t *)UART_DEVICE_VADDR;
static struct uart_state *const state = (struct uart_state *)UART_STATE_VADDR;

/* A UART_READ waiting for its line: its reply is saved in slot reply. */
struct reader {
	bool waiting;
	uint64_t line;
	cptr_t reply;
};

static struct reader readers[UART_MAX_READERS];
static bool inject_enabled;
static bool receive_stopped;   /* every line slot is full: interrupts off until a read */
static bool after_cr;          /* the last byte was '\r': a '\n' right after it is the same end */

/* --- output ----------------------------------------------------------- */

static void uart_putc(char c)
{
	if (c == '\n')
		uart_putc('\r');
	while (!(regs[UART_LSR] & LSR_THRE))
		;
	regs[UART_THR] = (uint8_t)c;
}

static void uart_puts(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		uart_putc(s[i]);
}

/* --- the state page --------------------------------------------------- */

/* Is what a crash left behind usable? Every index and length in range. */
static bool state_sound(void)
{
	uint64_t n;

	if (state->magic != UART_STATE_MAGIC || state->first > state->next ||
	    state->next - state->first >= UART_LINES)
		return false;
	for (n = state->first; n <= state->next; n++)
		if (state->lines[n % UART_LINES].length > UART_LINE_MAX)
			return false;
	return true;
}

static void state_check(void)
{
	if (state_sound())
		return;
	if (state->magic != 0)
		uart_puts("uart: the saved state is damaged; starting empty\n", 50);
	memset(state, 0, sizeof(*state));
	state->magic = UART_STATE_MAGIC;
}

static struct uart_line *line_typed(void)
{
	return &state->lines[state->next % UART_LINES];
}

/* --- input ------------------------------------------------------------ */

/* The reply to a read of finished line n, in m (and the IPC buffer). */
static void reply_line(struct ipc_msg *m, uint64_t n)
{
	const struct uart_line *l = &state->lines[n % UART_LINES];
	uint64_t words[UART_LINE_MAX / WORD_BYTES + 1] = { 0 };
	unsigned count = (l->length + WORD_BYTES - 1) / WORD_BYTES, i;

	memcpy(words, l->text, l->length);
	m->info = MSGINFO(ERR_OK, 0, UART_REPLY_TEXT + count);
	m->mr[UART_REPLY_LINE] = n;
	m->mr[UART_REPLY_LENGTH] = l->length;
	m->mr[UART_REPLY_FLAGS] = l->flags;
	for (i = 0; i < count; i++) {
		if (UART_REPLY_TEXT + i < MSG_REG_WORDS)
			m->mr[UART_REPLY_TEXT + i] = words[i];
		else
			ipc_buffer()->mr[UART_REPLY_TEXT + i] = words[i];
	}
}

/* The typed line is finished: number it, start the next, answer readers. */
static void line_finish(uint16_t flags)
{
	struct ipc_msg m;
	unsigned i;

	line_typed()->flags = flags;
	state->next++;
	line_typed()->length = 0;
	line_typed()->flags = 0;
	/* LAB 7 BEGIN: answer every reader whose line is now finished, through the reply it saved */
	for (i = 0; i < UART_MAX_READERS; i++) {
		if (readers[i].waiting && readers[i].line < state->next) {
			reply_line(&m, readers[i].line);
			ipc_send(readers[i].reply, &m);     /* uses the saved reply up */
			readers[i].waiting = false;
		}
	}
	/* LAB 7 STUB: (void)m; (void)i; */
	/* LAB 7 END */
}

static void line_erase_one(void)
{
	line_typed()->length--;
	uart_puts("\b \b", 3);
}

/* The line discipline: one typed byte. */
static void line_edit(char c)
{
	struct uart_line *l = line_typed();
	bool cr = after_cr;

	after_cr = c == '\r';
	switch (c) {
	case '\n':
		if (cr)
			break;              /* "\r\n" ends one line, not two */
		/* fall through */
	case '\r':
		l->text[l->length++] = '\n';
		uart_putc('\n');
		line_finish(0);
		break;
	case BACKSPACE:
	case DELETE:
		if (l->length > 0)
			line_erase_one();
		break;
	case CTRL_U:
		while (l->length > 0)
			line_erase_one();
		break;
	case CTRL_C:
		/* The line typed so far is thrown away, and a line of the one
		 * byte Ctrl-C says so to the reader (proc ends the foreground
		 * job). */
		uart_puts("^C\n", 3);
		l->text[0] = CTRL_C;
		l->length = 1;
		line_finish(0);
		break;
	case CTRL_D:
		line_finish(l->length == 0 ? UART_FLAG_EOF : 0);
		break;
	default:
		if ((unsigned char)c >= ' ' && l->length < UART_LINE_MAX - 1) {
			l->text[l->length++] = c;
			uart_putc(c);
		}
		break;
	}
}

/* Take every byte the 16550 holds, while a line slot is free: a full
 * ring leaves the bytes in the device (and in QEMU behind it) and turns
 * the interrupt off until a read frees a slot. */
static void uart_receive(void)
{
	/* LAB 7 BEGIN: take every byte the 16550 holds into the line discipline, until the ring of lines is full */
	/* LAB 7 HINT: LSR_DATA says a byte waits in UART_RBR; with UART_LINES - 1 lines unread, stop: interrupts off (UART_IER) and receive_stopped, which request_read() undoes */
	while (regs[UART_LSR] & LSR_DATA) {
		if (state->next - state->first >= UART_LINES - 1) {
			receive_stopped = true;
			regs[UART_IER] = 0;
			return;
		}
		line_edit((char)regs[UART_RBR]);
	}
	/* LAB 7 STUB: (void)line_edit; */
	/* LAB 7 STUB: receive_stopped = true; */
	/* LAB 7 STUB: regs[UART_IER] = 0; */
	/* LAB 7 STUB: uart_puts("lab 7: uart_receive not implemented\n", 36); */
	/* LAB 7 END */
}

/* --- requests --------------------------------------------------------- */

static uint64_t word(const struct ipc_msg *m, unsigned i)
{
	return i < MSG_REG_WORDS ? m->mr[i] : ipc_buffer()->mr[i];
}

static int request_write(const struct ipc_msg *m)
{
	uint64_t words[UART_WRITE_MAX / WORD_BYTES];
	uint64_t length = word(m, UART_MR_LENGTH), seq = word(m, UART_MR_SEQ), badge = m->badge;
	unsigned count, i;

	if (MSGINFO_LENGTH(m->info) < UART_MR_TEXT)
		return ERR_TRUNCATED;
	if (length > UART_WRITE_MAX)
		return ERR_RANGE;
	count = (unsigned)(length + WORD_BYTES - 1) / WORD_BYTES;
	if (MSGINFO_LENGTH(m->info) < UART_MR_TEXT + count)
		return ERR_TRUNCATED;
	if (MSGINFO_LENGTH(m->info) > UART_MR_TEXT + count)
		return ERR_BAD_FORMAT;
	if (seq != 0 && seq == state->write_seq[badge])
		return ERR_OK;              /* sent again after a restart: written already */
	for (i = 0; i < count; i++)
		words[i] = word(m, UART_MR_TEXT + i);
	uart_puts((const char *)words, length);
	state->write_seq[badge] = seq;
	return ERR_OK;
}

/* UART_READ: answer now (m is the reply, *answered) or keep the reply. */
static int request_read(struct ipc_msg *m, bool *answered)
{
	uint64_t n = word(m, UART_MR_LINE);
	unsigned i;

	if (MSGINFO_LENGTH(m->info) != 2)
		return MSGINFO_LENGTH(m->info) < 2 ? ERR_TRUNCATED : ERR_BAD_FORMAT;
	if (n == UART_LINE_OLDEST)
		n = state->first;
	if (n < state->first || n > state->next)
		return ERR_RANGE;
	state->first = n;               /* every line before n is acknowledged */
	if (receive_stopped) {
		receive_stopped = false;
		regs[UART_IER] = IER_RX_DATA;
		uart_receive();
	}
	if (n < state->next) {
		reply_line(m, n);
		*answered = true;
		return ERR_OK;
	}
	/* LAB 7 BEGIN: line n is not typed yet: keep the caller's reply in a free reader's slot until line_finish() answers it */
	/* LAB 7 HINT: cnode_save_reply() moves the reply right of the call being served into a slot; ERR_IN_USE if every reader waits already */
	for (i = 0; i < UART_MAX_READERS && readers[i].waiting; i++)
		;
	if (i == UART_MAX_READERS)
		return ERR_IN_USE;
	if (cnode_save_reply(UART_SLOT_CNODE, readers[i].reply) != ERR_OK)
		return ERR_IN_USE;
	readers[i].waiting = true;
	readers[i].line = n;
	*answered = false;
	return ERR_OK;
	/* LAB 7 STUB: (void)i; */
	/* LAB 7 STUB: uart_puts("lab 7: request_read not implemented (waiting for a line)\n", 57); */
	/* LAB 7 STUB: return ERR_NOT_IMPLEMENTED; */
	/* LAB 7 END */
}

static int request_inject(const struct ipc_msg *m)
{
	if (MSGINFO_LENGTH(m->info) != 2)
		return MSGINFO_LENGTH(m->info) < 2 ? ERR_TRUNCATED : ERR_BAD_FORMAT;
	if (!inject_enabled)
		return ERR_NO_RIGHTS;
	if (word(m, UART_MR_FAULT) >= FAULT_KINDS)
		return ERR_INVALID_ARGUMENT;
	server_fault((unsigned)word(m, UART_MR_FAULT));
}

/* One request in m; the reply replaces it. False: no reply now (a read
 * waits for its line). */
static bool uart_request(struct ipc_msg *m)
{
	unsigned label = (unsigned)MSGINFO_LABEL(m->info);
	bool answered = true;
	int err;

	if (MSGINFO_NCAPS(m->info) > 0 || (m->info & MSGINFO_FLAG_CAPS_LOST))
		err = ERR_BAD_FORMAT;
	else if (label == SERVER_PING)
		err = MSGINFO_LENGTH(m->info) == 0 ? ERR_OK : ERR_BAD_FORMAT;
	else if (MSGINFO_LENGTH(m->info) < 1)
		err = ERR_TRUNCATED;
	else if (m->mr[UART_MR_VERSION] != UART_PROTO_VERSION)
		err = ERR_NOT_IMPLEMENTED;
	else if (m->badge == 0 || m->badge > UART_MAX_CLIENTS)
		err = ERR_NO_RIGHTS;
	else if (label == UART_WRITE)
		err = request_write(m);
	else if (label == UART_READ)
		err = request_read(m, &answered);
	else if (label == SERVER_INJECT)
		err = request_inject(m);
	else
		err = ERR_INVALID_OPERATION;
	if (err != ERR_OK || label != UART_READ)
		*m = (struct ipc_msg){ .info = MSGINFO(err, 0, 0) };
	return answered || err != ERR_OK;
}

int main(uint64_t flags)
{
	struct ipc_msg m;
	unsigned i;

	inject_enabled = flags & SERVER_ARG_INJECT;
	for (i = 0; i < UART_MAX_READERS; i++)
		readers[i].reply = UART_SLOT_FIRST_FREE + i;
	state_check();
	regs[UART_IER] = 0;
	if (tcb_bind_notification(UART_SLOT_TCB, UART_SLOT_NOTIFICATION) != ERR_OK ||
	    irq_handler_set_notification(UART_SLOT_IRQ, UART_SLOT_NOTIFICATION) != ERR_OK)
		return 1;
	uart_receive();                 /* typed while no driver ran */
	if (!receive_stopped)
		regs[UART_IER] = IER_RX_DATA;
	ipc_recv(UART_SLOT_ENDPOINT, &m);
	for (;;) {
		if (m.info & MSGINFO_FLAG_NOTIFY) {
			uart_receive();
			irq_handler_ack(UART_SLOT_IRQ);
			ipc_recv(UART_SLOT_ENDPOINT, &m);
		} else if (uart_request(&m)) {
			ipc_reply_recv(UART_SLOT_ENDPOINT, &m);
		} else {
			ipc_recv(UART_SLOT_ENDPOINT, &m);
		}
	}
}
