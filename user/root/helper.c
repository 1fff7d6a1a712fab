/*
 * helper.c - root's second thread, which makes the calls root's main
 * thread must never wait in: it writes root's log lines through the
 * console and pings each server in turn. While it waits in a call it says
 * on whom, and numbers its calls (helper_waiting_on), so the main thread
 * can stop a server that keeps one call waiting through several
 * heartbeats; the call then ends with ERR_CANCELLED, or the restarted
 * server answers it.
 * The two threads share the variables below; each is written by one of
 * them only (atomics, as the main thread can preempt the helper anywhere).
 */
#include "errors.h"
#include "fmt.h"
#include "invoke.h"
#include "ipc.h"
#include "root.h"
#include "root_proto.h"
#include "spawn.h"
#include "str.h"
#include "sys.h"
#include "uart_proto.h"

#define LOG_LINES    32
#define LOG_LINE_MAX 160

struct log_line {
	unsigned len;
	char text[LOG_LINE_MAX];
};

static struct log_line log_ring[LOG_LINES];
static unsigned log_head;              /* helper: the next line to write */
static unsigned log_tail;              /* main: where the next line goes */
static bool console_up;                /* main */
static bool ping_due;                  /* main sets, helper clears */
static unsigned waiting_on = SERVER_NONE;   /* helper */
static uint64_t call_number;           /* helper: of the call it is in, or was in last */

static const cptr_t *server_eps;       /* set before the helper starts */
static unsigned servers, console_server;
static cptr_t helper_ntfn, ready_cap;
static struct uart_client console;

#define LOAD(x)     __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

/* Note that a call to server s starts (SERVER_NONE: it ended). */
static void helper_waits(unsigned s)
{
	STORE(call_number, call_number + 1);
	STORE(waiting_on, s);
}

static void helper_write_log(void)
{
	while (LOAD(log_head) != LOAD(log_tail)) {
		struct log_line *l = &log_ring[log_head % LOG_LINES];

		helper_waits(console_server);
		if (uart_write(&console, l->text, l->len) != ERR_OK)
			debug_write(l->text, l->len);    /* the line is not lost */
		helper_waits(SERVER_NONE);
		STORE(log_head, log_head + 1);
	}
}

static void helper_ping_all(void)
{
	struct ipc_msg m;
	unsigned s;

	STORE(ping_due, false);
	for (s = 0; s < servers; s++) {
		m = (struct ipc_msg){ .info = MSGINFO(SERVER_PING, 0, 0) };
		helper_waits(s);
		ipc_call(server_eps[s], &m);     /* an answer, or ERR_CANCELLED: both fine */
		helper_waits(SERVER_NONE);
	}
}

static void helper_main(uint64_t arg0, uint64_t arg1)
{
	uint64_t bits;

	(void)arg0, (void)arg1;
	for (;;) {
		helper_write_log();
		if (LOAD(ping_due))
			helper_ping_all();
		notify_signal(ready_cap);
		notify_wait(helper_ntfn, &bits);
	}
}

int helper_start(struct spawn_pool *pool, const struct helper_config *cfg)
{
	cptr_t tcb;
	int err;

	server_eps = cfg->server_eps;
	servers = cfg->servers;
	console_server = cfg->console_server;
	ready_cap = cfg->ready;
	uart_client_init(&console, cfg->console);
	if ((err = spawn_object(pool, OBJ_NOTIFICATION, 0, &helper_ntfn)) ||
	    (err = spawn_thread(pool, helper_main, 0, 0, PRIO_HELPER, "root-helper", cfg->stack_top,
				cfg->ipc_vaddr, cfg->fault_ep, &tcb)))
		return err;
	return tcb_resume(tcb);
}

void root_log(const char *fmt, ...)
{
	char text[LOG_LINE_MAX];
	unsigned tail = log_tail;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprint(text, sizeof(text) - 1, fmt, ap);
	va_end(ap);
	n = n < 0 ? 0 : n > (int)sizeof(text) - 2 ? (int)sizeof(text) - 2 : n;
	text[n++] = '\n';
	if (!console_up || tail - LOAD(log_head) == LOG_LINES) {
		debug_write(text, (size_t)n);    /* no console yet, or the helper is stuck */
		return;
	}
	memcpy(log_ring[tail % LOG_LINES].text, text, (size_t)n);
	log_ring[tail % LOG_LINES].len = (unsigned)n;
	STORE(log_tail, tail + 1);
	notify_signal(helper_ntfn);
}

void helper_console_up(bool up)
{
	STORE(console_up, up);
}

void helper_ping(void)
{
	STORE(ping_due, true);
	notify_signal(helper_ntfn);
}

unsigned helper_waiting_on(uint64_t *call)
{
	unsigned s = LOAD(waiting_on);

	*call = LOAD(call_number);
	return s;
}

bool helper_idle(void)
{
	return LOAD(log_head) == LOAD(log_tail) && !LOAD(ping_due) && LOAD(waiting_on) == SERVER_NONE;
}
