/*
 * uart_proto.h - the console driver's protocol (user/uart/, docs/drivers.md):
 * message labels and formats, the driver's CSpace, and the client stubs
 * (lib/uart_client.c).
 *
 * Output: a client writes bytes (UART_WRITE) and the driver puts each
 * request on the wire whole, so lines of different clients never mix as
 * long as each request holds whole lines (the stubs see to that). Input:
 * the driver edits the line being typed (echo, backspace, Ctrl-U, Ctrl-C,
 * Ctrl-D) and numbers each finished line; a client reads line n
 * (UART_READ), which waits until it is typed. Every request is an ipc_call
 * whose word 0 is UART_PROTO_VERSION; the reply's label is an error code
 * (errors.h). A client must never share its badge with another writer: the
 * driver drops a repeated write by its (badge, sequence number).
 */
#ifndef MICA_UART_PROTO_H
#define MICA_UART_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "objects.h"
#include "root_proto.h"

/* "UART" and the version: a client of another version (or one that calls
 * another server) is refused with ERR_NOT_IMPLEMENTED. */
#define UART_PROTO_VERSION 0x5541525400000001ul

#define UART_LINE_MAX    120u    /* bytes of one input line, its newline included */
#define UART_LINES       16u     /* finished lines the driver keeps until read */
#define UART_WRITE_MAX   448u    /* bytes of one UART_WRITE (56 words) */
#define UART_MAX_CLIENTS 32u     /* badges 1..32 */
#define UART_MAX_READERS 4u      /* UART_READs that can wait at once */

/*
 * The messages (words are message words; a request's word 0 is the
 * version). Text travels in words from UART_MR_TEXT on, 8 bytes a word.
 *
 *  label       request words                  reply words
 *  UART_WRITE  version, sequence, length, text  -
 *  UART_READ   version, line number            line number, length, flags, text
 *  SERVER_PING (root_proto.h)                  -
 *  SERVER_INJECT version, enum server_fault    never, if honoured
 *
 * UART_WRITE's sequence number makes a write idempotent: a write whose
 * number equals the last one the driver wrote for this badge is answered
 * ERR_OK and not written again (0: no number, always written). The numbers
 * survive a restart of the driver, so a client can send a write again when
 * the driver died with it.
 *
 * UART_READ of line n acknowledges every line before n: the driver forgets
 * them. Line UART_LINE_OLDEST is the oldest line not yet acknowledged. The
 * reply is that line, whole: its newline is included unless it ended with
 * Ctrl-D; an empty line with UART_FLAG_EOF is the end of input (Ctrl-D at
 * the start of a line); a line of the one byte UART_CTRL_C is a Ctrl-C,
 * which threw away what was typed before it on its line. Finished lines and the one being typed survive a
 * restart of the driver, so a line is never lost or read twice: ask for
 * line n again until it comes, then for n + 1.
 */
enum uart_label {
	UART_WRITE = 1,
	UART_READ,
};
#define UART_LINE_OLDEST (~0ul)
#define UART_FLAG_EOF    1ul
#define UART_CTRL_C      0x03    /* a line of this byte alone: Ctrl-C was typed */

enum { UART_MR_VERSION, UART_MR_SEQ, UART_MR_LENGTH, UART_MR_TEXT };       /* UART_WRITE */
enum { UART_MR_LINE = 1 };                                                 /* UART_READ */
enum { UART_REPLY_LINE, UART_REPLY_LENGTH, UART_REPLY_FLAGS, UART_REPLY_TEXT };
enum { UART_MR_FAULT = 1 };                                                /* SERVER_INJECT */

/*
 * The errors a request can get back (besides what ipc_call itself returns):
 *  ERR_NOT_IMPLEMENTED    word 0 is not UART_PROTO_VERSION
 *  ERR_INVALID_OPERATION  no such label
 *  ERR_TRUNCATED          fewer words than the label or the length needs
 *  ERR_BAD_FORMAT         capabilities attached, or more words than the length needs
 *  ERR_NO_RIGHTS          the badge is 0 or over UART_MAX_CLIENTS; SERVER_INJECT
 *                         while injection is off
 *  ERR_RANGE              a write over UART_WRITE_MAX; a line already acknowledged,
 *                         or after the one being typed
 *  ERR_IN_USE             UART_MAX_READERS reads wait already
 *  ERR_INVALID_ARGUMENT   no such fault kind
 * and a request the driver took but could not finish before it died wakes
 * its caller with ERR_CANCELLED (send it again: every request is
 * idempotent but SERVER_INJECT).
 */

/*
 * The driver's CSpace, as root fills it before it starts (a0 is the
 * SERVER_ARG_* flags). It needs nothing else.
 */
enum uart_slot {
	UART_SLOT_CNODE = 1,     /* its own CNode (radix UART_CNODE_RADIX) */
	UART_SLOT_TCB,           /* its own TCB, to bind its notification */
	UART_SLOT_DEVICE,        /* a Frame of the 16550's registers */
	UART_SLOT_IRQ,           /* the IRQHandler of the uart's line */
	UART_SLOT_NOTIFICATION,  /* fresh at each start: interrupts signal it */
	UART_SLOT_STATE,         /* a Frame that outlives the driver: struct uart_state */
	UART_SLOT_ENDPOINT,      /* where clients call (read right) */
	UART_SLOT_FAULT,         /* root's fault endpoint (the TCB's) */
	UART_SLOT_FIRST_FREE,    /* the driver's own from here (saved replies) */
};
#define UART_CNODE_RADIX 6

/* Where the driver maps things in its address space. */
#define UART_DEVICE_VADDR 0x10000000ul
#define UART_STATE_VADDR  0x10001000ul

/*
 * The state that survives the driver: input lines and write numbers. A
 * new driver checks it (magic, every index in range) and starts from an
 * empty one if it is not sound. Line n lives in lines[n % UART_LINES];
 * lines first..next-1 are finished, line `next` is being typed.
 */
struct uart_line {
	uint16_t length;
	uint16_t flags;          /* UART_FLAG_EOF */
	char text[UART_LINE_MAX];
};

struct uart_state {
	uint64_t magic;
	uint64_t first;          /* the oldest line not acknowledged */
	uint64_t next;           /* the line being typed */
	uint64_t write_seq[UART_MAX_CLIENTS + 1];   /* last write done, by badge */
	struct uart_line lines[UART_LINES];
};
#define UART_STATE_MAGIC 0x4554415453545255ul   /* "URTSTATE" */
_Static_assert(sizeof(struct uart_state) <= 4096, "the state fits one page");

/*
 * The client side (lib/uart_client.c). A struct uart_client is one
 * client: its endpoint capability, a buffer of output that does not end
 * in a newline yet, and the next line to read. One thread uses one.
 * Every stub returns an error code; a request the driver died with
 * (ERR_CANCELLED) is sent again, at most UART_CLIENT_RETRIES times in a
 * row. retries counts how often that happened.
 */
#define UART_CLIENT_RETRIES 16

struct uart_client {
	cptr_t ep;
	uint64_t write_seq;      /* the last write's number */
	uint64_t next_line;      /* UART_LINE_OLDEST until the first read */
	unsigned pending;        /* bytes in out[] not yet sent */
	char out[UART_WRITE_MAX];
	unsigned long retries;
};

void uart_client_init(struct uart_client *c, cptr_t ep);
/* Buffer len bytes; send every whole line (and the buffer when full). */
int uart_write(struct uart_client *c, const void *data, size_t len);
/* Send what is buffered, newline or not (a prompt). */
int uart_flush(struct uart_client *c);
/* Flush, then wait for the next input line: up to max - 1 bytes of it in
 * buf, NUL-terminated, *len its length (newline included), *eof for the
 * end of input. ERR_RANGE if max cannot hold the line (it is not consumed). */
int uart_read_line(struct uart_client *c, char *buf, size_t max, size_t *len, bool *eof);
/* SERVER_PING once (no retry). */
int uart_ping(struct uart_client *c);
/* Ask the driver to make fault `kind` (enum server_fault); never retried:
 * ERR_CANCELLED means it did. */
int uart_inject(struct uart_client *c, unsigned kind);
/* Make printf() write through c (its lines, flushed at each newline). */
void uart_printf_to(struct uart_client *c);

#endif /* MICA_UART_PROTO_H */
