/*
 * test_console.c - an init program (init=test_console) that checks the
 * console driver from a client's side: every bad request gets its error
 * from lib/uart_proto.h and the driver still answers after a few thousand
 * random ones; then it reads the lines the test types and prints each as
 * it arrived, so the case can check the line editing (backspace, Ctrl-U,
 * Ctrl-C, Ctrl-D in a line and at its start).
 */
#define CHECK_NAME "test_console"
#include <stdbool.h>

#include "check.h"
#include "ipc.h"
#include "root_proto.h"
#include "str.h"
#include "uart_proto.h"

#define FUZZ_REQUESTS 3000

static struct uart_client console;

/* One raw request: label, n words (the first four, then the IPC buffer). */
static int raw_call(unsigned label, const uint64_t *words, unsigned n, struct ipc_msg *m)
{
	unsigned i;
	int err;

	*m = (struct ipc_msg){ .info = MSGINFO(label, 0, n) };
	for (i = 0; i < n; i++) {
		if (i < MSG_REG_WORDS)
			m->mr[i] = words[i];
		else
			ipc_buffer()->mr[i] = words[i];
	}
	err = ipc_call(INIT_SLOT_CONSOLE, m);
	return err != ERR_OK ? err : (int)MSGINFO_LABEL(m->info);
}

static int raw(unsigned label, const uint64_t *words, unsigned n)
{
	struct ipc_msg m;

	return raw_call(label, words, n, &m);
}

static void check_bad_requests(void)
{
	uint64_t w[UART_MR_TEXT + UART_WRITE_MAX / 8 + 2] = { UART_PROTO_VERSION, 0, 3, 0x0a6968 };
	uint64_t old = 0x1234;
	struct ipc_msg m;

	check("a ping", raw(SERVER_PING, NULL, 0), ERR_OK);
	check("a ping with words", raw(SERVER_PING, w, 1), ERR_BAD_FORMAT);
	check("a write of 3 bytes", raw(UART_WRITE, w, 4), ERR_OK);
	check("a request of another version", raw(UART_WRITE, &old, 1), ERR_NOT_IMPLEMENTED);
	check("a request without words", raw(UART_WRITE, NULL, 0), ERR_TRUNCATED);
	check("no such label", raw(77, w, 1), ERR_INVALID_OPERATION);
	check("a write without its length", raw(UART_WRITE, w, 2), ERR_TRUNCATED);
	check("a write shorter than its length", raw(UART_WRITE, w, 3), ERR_TRUNCATED);
	check("a write longer than its length", raw(UART_WRITE, w, 5), ERR_BAD_FORMAT);
	w[UART_MR_LENGTH] = UART_WRITE_MAX + 1;
	check("a write over UART_WRITE_MAX", raw(UART_WRITE, w, UART_MR_TEXT + UART_WRITE_MAX / 8 + 1),
	      ERR_RANGE);
	w[UART_MR_LENGTH] = 3;
	/* A capability on a request: the driver takes none. */
	ipc_buffer()->caps[0] = INIT_SLOT_CNODE;
	m = (struct ipc_msg){ .info = MSGINFO(UART_WRITE, 1, 4),
			      .mr = { w[0], w[1], w[2], w[3] } };
	check("a write with a capability", ipc_call(INIT_SLOT_CONSOLE, &m), ERR_OK);
	check("is refused", (int)MSGINFO_LABEL(m.info), ERR_BAD_FORMAT);
	w[UART_MR_LINE] = 1ul << 40;
	check("a read of a line far ahead", raw(UART_READ, w, 2), ERR_RANGE);
	check("a read with a word too many", raw(UART_READ, w, 3), ERR_BAD_FORMAT);
	check("a read without its line", raw(UART_READ, w, 1), ERR_TRUNCATED);
	w[UART_MR_FAULT] = FAULT_NULL_POINTER;
	check("fault injection while it is off", raw(SERVER_INJECT, w, 2), ERR_NO_RIGHTS);
}

/* Random requests: every one gets an answer, none kills the driver. */
static void check_fuzz(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ul, w[MSG_MAX_WORDS];
	unsigned i, j, answered = 0;

	static const unsigned labels[] = { SERVER_PING, UART_WRITE, UART_READ, SERVER_INJECT, 77, 0 };

	for (i = 0; i < FUZZ_REQUESTS; i++) {
		unsigned label, n;

		for (j = 0; j < MSG_MAX_WORDS; j++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			w[j] = x;
		}
		label = labels[w[0] % 6];
		n = (unsigned)(w[1] % (MSG_MAX_WORDS + 1));
		if (w[2] & 1)
			w[UART_MR_VERSION] = UART_PROTO_VERSION;
		if (label == UART_READ)
			w[UART_MR_LINE] = 1ul << 40;           /* never wait for a line */
		if (label == UART_WRITE && (w[UART_MR_LENGTH] & 1))
			w[UART_MR_LENGTH] = 0;                /* printed noise would garble the console */
		else if (label == UART_WRITE)
			w[UART_MR_LENGTH] = UART_WRITE_MAX + 1 + (w[3] & 0xff);
		if (raw(label, w, n) < ERR_COUNT)
			answered++;
	}
	check_eq("random requests answered", answered, FUZZ_REQUESTS);
	check("and the driver still answers a ping", raw(SERVER_PING, NULL, 0), ERR_OK);
}

/* Print a line with its control characters visible. */
static void show_line(unsigned n, const char *line, size_t len, bool eof)
{
	char shown[2 * UART_LINE_MAX + 1];
	size_t i, k = 0;

	for (i = 0; i < len; i++) {
		if (line[i] == '\n') {
			shown[k++] = '\\';
			shown[k++] = 'n';
		} else {
			shown[k++] = line[i];
		}
	}
	shown[k] = '\0';
	printf("test_console: line %u: \"%s\"%s\n", n, shown, eof ? " (end of input)" : "");
}

int main(void)
{
	char line[UART_LINE_MAX + 1];
	unsigned n = 0;
	size_t len;
	bool eof = false;
	int err = ERR_OK;

	uart_client_init(&console, INIT_SLOT_CONSOLE);
	uart_printf_to(&console);
	check_bad_requests();
	check_fuzz();
	printf("test_console: type lines\n");
	check("a line too long for the buffer", uart_read_line(&console, line, 2, &len, &eof),
	      ERR_RANGE);
	while (err == ERR_OK && !eof) {
		err = uart_read_line(&console, line, sizeof(line), &len, &eof);
		if (err == ERR_OK)
			show_line(++n, line, len, eof);
	}
	check("reading until the end of input", err, ERR_OK);
	return check_done();
}
