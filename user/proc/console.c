/*
 * console.c - the console device behind every console file: output goes
 * to the console driver (lib/uart_proto.h) in whole requests, input comes
 * a line at a time and is handed out to readers as xv6's console does
 * (a read gets at most the rest of one line).
 *
 * Reading a line means waiting for someone to type it, and proc's main
 * thread never waits on another server. So a reader thread of proc's own
 * does the waiting: it calls the driver, and hands each line to the main
 * thread in a call of its own (badge PROC_BADGE_WORKER), whose reply is
 * the order to read the next one. The main thread keeps that reply saved
 * while it holds a line no process has read yet; otherwise the reader
 * always waits for the next line, so that a Ctrl-C (a line of the byte
 * UART_CTRL_C) reaches proc while the foreground job runs without reading
 * (proc_interrupt()). Without a console driver (tests that play root),
 * output goes to the kernel's debug console and input is empty.
 */
#include "proc.h"
#include "errors.h"
#include "invoke.h"
#include "str.h"
#include "sys.h"
#include "syscalls.h"
#include "uart_proto.h"

#define READER_STACK_TOP 0x2000003000ul   /* two pages, a guard page below */
#define READER_IPC       0x2000004000ul
#define SLOT_READER_EP    18u             /* proc's endpoint, badged for the reader */
#define SLOT_READER_REPLY 19u             /* the reader's call, saved while idle */
#define SLOT_READER_TCB   20u

enum { READER_LINE = 1 };                 /* reader -> main: words len, eof, err, text */

static bool have_driver;
static struct uart_client writer;         /* the main thread's */
static struct uart_client reader;         /* the reader thread's */
static char line[UART_LINE_MAX];          /* the line being handed out */
static uint32_t line_len, line_pos;
static bool line_eof;                     /* an end of input waits for a reader */
static bool reader_idle;                  /* its call is saved in SLOT_READER_REPLY */

void console_write(const void *buf, uint32_t n)
{
	const char *p = buf;
	uint32_t done, k;

	if (have_driver) {
		uart_write(&writer, buf, n);
		uart_flush(&writer);             /* a prompt has no newline */
		return;
	}
	for (done = 0; done < n; done += k) {
		k = n - done < DEBUG_WRITE_MAX ? n - done : DEBUG_WRITE_MAX;
		debug_write(p + done, k);
	}
}

/* The reader thread: read a line, hand it over, wait for the next order. */
static void reader_main(void)
{
	struct ipc_msg m = { .info = MSGINFO(READER_LINE, 0, 3), .mr = { 0, 0, ERR_OK } };
	static char text[UART_LINE_MAX + 1];

	for (;;) {
		size_t len = 0;
		bool eof = false;
		int err;

		ipc_call(SLOT_READER_EP, &m);    /* the reply is the order to read */
		err = uart_read_line(&reader, text, sizeof(text), &len, &eof);
		m = (struct ipc_msg){ .info = MSGINFO(READER_LINE, 0, 3 + (len + 7) / 8),
				      .mr = { len, eof, (uint64_t)err } };
		proc_msg_put(&m, 3, text, len);
	}
}

int console_init(void)
{
	struct cap_info info;
	int err = cnode_describe(PROC_SLOT_CNODE, PROC_SLOT_CONSOLE, &info);

	have_driver = err == ERR_OK && info.type == OBJ_ENDPOINT;
	if (!have_driver)
		return ERR_OK;
	uart_client_init(&writer, PROC_SLOT_CONSOLE);
	uart_client_init(&reader, PROC_SLOT_CONSOLE);
	return worker_start(SLOT_READER_TCB, SLOT_READER_EP, PROC_BADGE_WORKER | WORKER_CONSOLE,
			    reader_main, READER_STACK_TOP, READER_IPC, "proc-console");
}

/* Answer the oldest waiting reader from the line, while there is one. */
static void console_serve(void)
{
	struct proc *p;
	struct ipc_msg m;

	while ((line_pos < line_len || line_eof) && (p = proc_waiter(W_CONSOLE, NULL)) != NULL) {
		uint32_t k = line_len - line_pos < p->wait_n ? line_len - line_pos : p->wait_n;

		if (k == 0)
			line_eof = false;        /* this reader gets the end of input */
		file_read_reply(&m, (const unsigned char *)line + line_pos, k);
		line_pos += k;
		proc_answer(p, &m);
	}
	/* The line is used up: read the next one, wanted yet or not. */
	if (reader_idle && line_pos == line_len && !line_eof) {
		struct ipc_msg order = { .info = MSGINFO(0, 0, 0) };

		reader_idle = false;
		ipc_send(SLOT_READER_REPLY, &order);
	}
}

void console_read(struct proc *p, uint32_t n, struct ipc_msg *m, bool *reply)
{
	if (!have_driver) {
		file_read_reply(m, NULL, 0);     /* no input without a driver */
		return;
	}
	if (proc_park(p, W_CONSOLE, NULL, n, m, reply))
		console_serve();
}

void console_reader_message(struct ipc_msg *m, bool *reply)
{
	uint64_t len = m->mr[0];

	if (MSGINFO_LABEL(m->info) == READER_LINE && m->mr[2] == ERR_OK && len <= sizeof(line)) {
		proc_msg_get(m, 3, line, len);
		if (len == 1 && line[0] == UART_CTRL_C) {
			proc_interrupt();
			len = 0;             /* no process reads it */
		}
		line_len = (uint32_t)len;
		line_pos = 0;
		line_eof = m->mr[1] != 0 && len == 0;
	}
	*reply = false;
	if (cnode_save_reply(PROC_SLOT_CNODE, SLOT_READER_REPLY) == ERR_OK)
		reader_idle = true;
	console_serve();
}
