/*
 * root.h - root's own pieces: the table of servers it starts (servers.c),
 * the supervisor (root.c) and its helper thread, which pings the servers
 * and writes root's log lines to the console (helper.c).
 *
 * To add a server: write lib/NAME_proto.h with its slot layout, then add a
 * row to server_table[] in servers.c saying what goes in each slot. Root
 * makes the server's endpoint once and keeps it; every start (the first
 * and each restart) gets fresh objects from the server's own Untyped.
 */
#ifndef ROOT_H
#define ROOT_H

#include <stdbool.h>
#include <stdint.h>

#include "objects.h"

/* What root puts in one slot of a program's CSpace. */
enum grant_kind {
	GRANT_END,              /* ends a grants[] list */
	GRANT_OWN_CNODE,        /* the program's own CNode */
	GRANT_OWN_TCB,          /* its own TCB */
	GRANT_OWN_VSPACE,       /* its own VSpace */
	GRANT_ENDPOINT,         /* its endpoint, the one clients call (read right) */
	GRANT_FAULT,            /* root's fault endpoint, badged for it (the TCB's too) */
	GRANT_DEVICE_FRAME,     /* a Frame of the registers of the row's device */
	GRANT_DEVICE_IRQ,       /* the IRQHandler of the row's device's line */
	GRANT_NOTIFICATION,     /* a fresh notification */
	GRANT_UNTYPED,          /* a fresh Untyped of 2^bits bytes */
	GRANT_STATE_FRAME,      /* a Frame made once, kept across restarts (zero at first) */
	GRANT_CLIENT,           /* a badged endpoint to the server named `server` */
	GRANT_ENDPOINT_ALL,     /* its endpoint with every right, for a server that mints its own clients */
	GRANT_BOOTIMG,          /* a read-only copy of the boot image at vaddr (lib/proc_proto.h's layout) */
};

struct grant {
	uint8_t slot;           /* where, in the program's CNode */
	uint8_t kind;           /* enum grant_kind */
	uint8_t bits;           /* GRANT_UNTYPED: its size */
	const char *server;     /* GRANT_CLIENT: whose endpoint */
	uint64_t vaddr;         /* GRANT_*_FRAME: root maps it there for the program (0: not) */
};

#define GRANTS_MAX 12

/* One server: a program from the boot image that root starts, supervises
 * and restarts. */
struct server_spec {
	const char *name;       /* its program in the boot image, and its name in logs */
	unsigned priority;      /* below root's helper's, so the helper is never starved */
	unsigned radix;         /* its CNode has 2^radix slots */
	unsigned pool_bits;     /* every object of one start comes from 2^pool_bits bytes */
	const char *device;     /* the boot info's name of its device, or NULL */
	uint64_t arg;           /* its a0 at start (ORed with SERVER_ARG_INJECT if enabled) */
	struct grant grants[GRANTS_MAX];
};

extern const struct server_spec server_table[];
extern const unsigned server_count;
/* What each init program gets (lib/root_proto.h). */
extern const struct grant init_grants[];

/* Priorities: root's main thread (the kernel's PRIORITY_MAX), its helper,
 * servers, init programs. Root outranks everything it must be able to stop. */
#define PRIO_HELPER  240
#define PRIO_PROBE   0         /* root's idle probe: it runs only when nothing else would */
#define PRIO_INIT    100

/* --- helper.c: root's second thread -------------------------------------- */

/* Heartbeat: every HEARTBEAT_PERIOD ticks of time_now() root pings the
 * servers; one that keeps one call of the helper's waiting through
 * HEARTBEAT_MISSES heartbeats (40 to 60 ms) is stopped and restarted. */
#define HEARTBEAT_PERIOD   200000ul    /* 20 ms */
#define HEARTBEAT_MISSES   3
#define HEARTBEAT_MISSES_CLIENT 250    /* busy ones, for servers without a device (root.c says why) */

/* No server (helper_waiting_on() when the helper waits on nobody). */
#define SERVER_NONE (~0u)

/* What the helper needs: the servers' endpoints (root's own caps, pinged
 * in order), which of them is the console, root's badged console
 * endpoint, a badged cap to the main thread's notification to signal
 * when it has nothing more to do, and where its stack and IPC buffer go. */
struct helper_config {
	const cptr_t *server_eps;
	unsigned servers, console_server;
	cptr_t console, ready, fault_ep;
	uint64_t stack_top, ipc_vaddr;
};

struct spawn_pool;
/* Start the helper thread, its objects from pool. */
int helper_start(struct spawn_pool *pool, const struct helper_config *cfg);
/* Write a log line (a newline is added): through the console once
 * helper_console_up(true), else (or if the helper is stuck) through the
 * kernel. Never blocks. Main thread only. */
void root_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void helper_console_up(bool up);
/* Ask the helper to ping every server once. */
void helper_ping(void);
/* The server whose call the helper waits in (SERVER_NONE: none), and
 * that call's number: every call the helper makes has a new one. */
unsigned helper_waiting_on(uint64_t *call);
/* True when no log line waits, no ping is due and no call is under way. */
bool helper_idle(void);

#endif /* ROOT_H */
