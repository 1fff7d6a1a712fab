/*
 * syscalls.h - the one table of Mica's system calls.
 *
 * The kernel's dispatch table (kernel/syscall.c) and the user library's
 * stubs and names (lib/sys.c) are both generated from SYSCALL_TABLE, so a
 * number can never mean one thing to the kernel and another to user space.
 *
 * The kernel's handler for NAME is sys_<name> in kernel/syscall.c; the user
 * stub is <name>() in lib/sys.c, except `call`, whose message registers
 * the user library fills in lib/invoke.c.
 *
 * Calling convention (ecall from U-mode): number in a7, arguments in
 * a0..a5; the kernel returns an error code (errors.h) in a0 and a value, if
 * the call has one, in a1. The IPC calls (5..11, and call on an endpoint)
 * use the message layout of msg.h and return a received badge in a6.
 * A number not in the table is a fault (docs/ipc.md), not an error code.
 */
#ifndef MICA_SYSCALLS_H
#define MICA_SYSCALLS_H

/*  NAME          number name          arguments -> value */
#define SYSCALL_TABLE(X)                                                        \
	X(DEBUG_WRITE,  1,   debug_write)  /* (const char *buf, size_t len): bytes to the console */ \
	X(EXIT,         2,   exit)         /* (int status): the calling thread ends */ \
	X(YIELD,        3,   yield)        /* (): let other threads run */       \
	X(CALL,         4,   call)         /* (cptr, info, mr0..mr3): invoke a kernel object, or IPC call on an endpoint (msg.h) */ \
	X(SEND,         5,   send)         /* (cptr, info, mr0..mr3): send on an endpoint (or answer a saved reply); blocks */ \
	X(NBSEND,       6,   nbsend)       /* (cptr, info, mr0..mr3): send only if a receiver waits */ \
	X(RECV,         7,   recv)         /* (cptr): wait on an endpoint or notification -> info, mr0..mr3, badge */ \
	X(NBRECV,       8,   nbrecv)       /* (cptr): receive only if a message or bits are there */ \
	X(REPLY,        9,   reply)        /* (-, info, mr0..mr3): answer the last call received */ \
	X(REPLY_RECV,  10,   reply_recv)   /* (cptr, info, mr0..mr3): reply, then recv on cptr */ \
	X(SIGNAL,      11,   signal)       /* (cptr): set the cap's badge bits on a notification */ \
	/* LAB 1 BEGIN: add UPTIME, number 15: () -> timer ticks since boot, in a1 */ \
	X(UPTIME,      15,   uptime)       /* (): timer ticks since boot (CLOCK_HZ a second) -> a1 */ \
	/* LAB 1 END */

enum syscall_number {
#define SYSCALL_ENUM_ENTRY(NAME, number, name) SYS_##NAME = number,
	SYSCALL_TABLE(SYSCALL_ENUM_ENTRY)
#undef SYSCALL_ENUM_ENTRY
	SYS_COUNT
};

/* DEBUG_WRITE refuses a longer buffer with ERR_RANGE: it is for lines of
 * text before the console server exists (printf writes one line at a time),
 * and the kernel copies the whole buffer onto its stack before printing. */
#define DEBUG_WRITE_MAX 256

#endif /* MICA_SYSCALLS_H */
