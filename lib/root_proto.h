/*
 * root_proto.h - what root promises every program it starts, and what it
 * asks of them (docs/supervisor.md): the requests every server answers
 * (a heartbeat ping and, for tests, fault injection), the fault kinds, and
 * the CSpace of a program that is not a server (init programs).
 *
 * Root is every server's supervisor: a server's TCB has root's fault
 * endpoint, so a fault or an exit becomes a message to root, and root pings
 * each server's endpoint on a timer. A server must answer SERVER_PING at
 * once (the reply's label ERR_OK), from any badge, and must never make a
 * SERVER_INJECT fault unless root enabled it at start (the `inject=1` boot
 * argument). Each server's own CSpace layout is in its lib/NAME_proto.h.
 */
#ifndef MICA_ROOT_PROTO_H
#define MICA_ROOT_PROTO_H

/* Labels every server answers, above any server's own labels. A reply's
 * label is an error code (errors.h), as in every Mica protocol. */
enum server_label {
	SERVER_PING = 0x7f00,   /* no words -> ERR_OK at once: "I still answer" */
	SERVER_INJECT,          /* word 0: the protocol version, word 1: an enum
	                         * server_fault -> the server makes that fault
	                         * (never answers), or ERR_NO_RIGHTS if injection
	                         * is off, ERR_INVALID_ARGUMENT for no such kind */
};

/* The faults a server makes on SERVER_INJECT: each is a different way for a
 * driver to die, and root must notice every one. */
enum server_fault {
	FAULT_NULL_POINTER,     /* a load from address 0 */
	FAULT_WILD_POINTER,     /* a store to an address nothing is mapped at */
	FAULT_ILLEGAL,          /* an illegal instruction */
	FAULT_LOOP,             /* loop forever: only the heartbeat notices */
	FAULT_EXIT,             /* exit(FAULT_EXIT_STATUS) */
	FAULT_KINDS,
};
#define FAULT_EXIT_STATUS 42
#define FAULT_WILD_ADDRESS 0x5ead0000ul   /* in no program's address space */

/* A server's a0 at start: flags from root. Bit 0 is common to all. */
#define SERVER_ARG_INJECT 1ul   /* honour SERVER_INJECT */

/* Make fault `kind` (lib/server.c): never returns. A server calls it for
 * a SERVER_INJECT it honours, after checking kind < FAULT_KINDS. */
void server_fault(unsigned kind) __attribute__((noreturn));

/*
 * An init program (the program root starts once the servers run: the
 * `init=` boot argument, a comma-separated list; lineecho by default, none
 * for `init=none`) gets this CSpace. a0 is its index in the list; a1 the number in
 * the `initarg=` boot argument (0 if absent). When every init program has
 * ended, root stops the servers and exits, which powers the machine off.
 */
enum init_slot {
	INIT_SLOT_CNODE = 1,    /* its own CNode */
	INIT_SLOT_CONSOLE,      /* the console (lib/uart_proto.h), badged for it */
	INIT_SLOT_FAULT,        /* root's fault endpoint (the TCB's) */
	INIT_SLOT_PROC,         /* the process server (lib/proc_proto.h), badged for it */
	INIT_SLOT_FIRST_FREE,
};
#define INIT_CNODE_RADIX 8

#endif /* MICA_ROOT_PROTO_H */
