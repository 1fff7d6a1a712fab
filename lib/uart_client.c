/*
 * uart_client.c - the console's client stubs (uart_proto.h): output
 * buffered to whole lines, input read line by line, and every request sent
 * again when the driver died with it (its numbers make that safe).
 */
#include "uart_proto.h"
#include "errors.h"
#include "ipc.h"
#include "printf.h"
#include "str.h"
#include "sys.h"

#define WORD_BYTES 8

void uart_client_init(struct uart_client *c, cptr_t ep)
{
	memset(c, 0, sizeof(*c));
	c->ep = ep;
	c->next_line = UART_LINE_OLDEST;
}

/* Call with words[0..n-1]; *reply gets the answer. A call the driver died
 * with (ERR_CANCELLED) is sent again if `retry`. Returns ipc_call's error,
 * or else the reply's label (the driver's error code). */
static int uart_call(struct uart_client *c, unsigned label, const uint64_t *words, unsigned n,
		     bool retry, struct ipc_msg *reply)
{
	unsigned tries, i;
	int err;

	for (tries = 0;; tries++) {
		*reply = (struct ipc_msg){ .info = MSGINFO(label, 0, n) };
		for (i = 0; i < n; i++) {
			if (i < MSG_REG_WORDS)
				reply->mr[i] = words[i];
			else
				ipc_buffer()->mr[i] = words[i];
		}
		err = ipc_call(c->ep, reply);
		if (err != ERR_CANCELLED || !retry || tries == UART_CLIENT_RETRIES)
			break;
		__atomic_add_fetch(&c->retries, 1, __ATOMIC_RELAXED);
	}
	return err != ERR_OK ? err : (int)MSGINFO_LABEL(reply->info);
}

/* Word i of a received message. */
static uint64_t uart_word(const struct ipc_msg *m, unsigned i)
{
	return i < MSG_REG_WORDS ? m->mr[i] : ipc_buffer()->mr[i];
}

/* Send out[0..n-1] as one UART_WRITE and keep the rest. A write number is
 * the time, or one more than the last if that is later: numbers only grow,
 * even across a restart of this program (a call takes many ticks). */
static int uart_send(struct uart_client *c, unsigned n)
{
	uint64_t words[UART_MR_TEXT + UART_WRITE_MAX / WORD_BYTES] = { 0 };
	uint64_t now = time_now();
	struct ipc_msg reply;
	int err;

	c->write_seq = now > c->write_seq ? now : c->write_seq + 1;
	words[UART_MR_VERSION] = UART_PROTO_VERSION;
	words[UART_MR_SEQ] = c->write_seq;
	words[UART_MR_LENGTH] = n;
	memcpy(&words[UART_MR_TEXT], c->out, n);
	err = uart_call(c, UART_WRITE, words, UART_MR_TEXT + (n + WORD_BYTES - 1) / WORD_BYTES, true,
			&reply);
	if (err == ERR_OK) {
		memmove(c->out, c->out + n, c->pending - n);
		c->pending -= n;
	}
	return err;
}

/* Send the whole lines in out[], all of it if it is full. */
static int uart_send_lines(struct uart_client *c)
{
	unsigned end = c->pending;

	while (end > 0 && c->out[end - 1] != '\n')
		end--;
	if (end == 0 && c->pending == sizeof(c->out))
		end = c->pending;          /* one line longer than a write: cut it */
	return end > 0 ? uart_send(c, end) : ERR_OK;
}

int uart_write(struct uart_client *c, const void *data, size_t len)
{
	const char *bytes = data;
	int err = ERR_OK;

	while (len > 0 && err == ERR_OK) {
		size_t room = sizeof(c->out) - c->pending, n = len < room ? len : room;

		memcpy(c->out + c->pending, bytes, n);
		c->pending += (unsigned)n;
		bytes += n;
		len -= n;
		err = uart_send_lines(c);
	}
	return err;
}

int uart_flush(struct uart_client *c)
{
	return c->pending > 0 ? uart_send(c, c->pending) : ERR_OK;
}

int uart_read_line(struct uart_client *c, char *buf, size_t max, size_t *len, bool *eof)
{
	uint64_t words[2] = { UART_PROTO_VERSION, c->next_line }, length, i;
	struct ipc_msg reply;
	int err = uart_flush(c);

	if (err == ERR_OK)
		err = uart_call(c, UART_READ, words, 2, true, &reply);
	if (err != ERR_OK)
		return err;
	length = uart_word(&reply, UART_REPLY_LENGTH);
	if (length > UART_LINE_MAX ||
	    MSGINFO_LENGTH(reply.info) < UART_REPLY_TEXT + (length + WORD_BYTES - 1) / WORD_BYTES)
		return ERR_BAD_FORMAT;
	if (length >= max)
		return ERR_RANGE;
	for (i = 0; i < length; i++)
		buf[i] = (char)(uart_word(&reply, UART_REPLY_TEXT + i / WORD_BYTES) >> (8 * (i % 8)));
	buf[length] = '\0';
	*len = length;
	*eof = uart_word(&reply, UART_REPLY_FLAGS) & UART_FLAG_EOF;
	c->next_line = uart_word(&reply, UART_REPLY_LINE) + 1;
	return ERR_OK;
}

int uart_ping(struct uart_client *c)
{
	struct ipc_msg reply;

	return uart_call(c, SERVER_PING, NULL, 0, false, &reply);
}

int uart_inject(struct uart_client *c, unsigned kind)
{
	uint64_t words[2] = { UART_PROTO_VERSION, kind };
	struct ipc_msg reply;

	return uart_call(c, SERVER_INJECT, words, 2, false, &reply);
}

static int uart_printf_output(void *ctx, const void *buf, size_t len)
{
	return uart_write(ctx, buf, len);
}

void uart_printf_to(struct uart_client *c)
{
	printf_set_output(uart_printf_output, c);
}
