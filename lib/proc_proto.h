/*
 * proc_proto.h - the process server's protocol (docs/processes.md): how it
 * is started, what a process's CSpace holds, and the messages a process
 * sends it. Shared by user/proc/ (the server), user/ulib/syscalls.c (the
 * xv6 system calls, the only client) and whoever starts proc.
 *
 * Every xv6 system call is one `call` on the endpoint in slot
 * PROC_SLOT_SERVER of the caller's CSpace: label PROC_*, arguments in
 * words 0.., and the reply's word 0 is the result (-1 for an error, as in
 * xv6). Bytes (paths, data) travel in message words from a word the
 * request names on, packed by proc_msg_put() and read by proc_msg_get().
 * A process never holds any other capability, so everything it can do is
 * what proc answers. Never send proc a capability: it accepts none.
 * (This header uses __builtin_memcpy, not str.h, because xv6 programs
 * declare the string functions with xv6's own types.)
 */
#ifndef MICA_PROC_PROTO_H
#define MICA_PROC_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "ipc.h"
#include "msg.h"

/* --- starting proc --------------------------------------------------------- */
/* The slots of proc's own CSpace (a CNode of 2^PROC_CNODE_RADIX slots) that
 * its starter fills before resuming it (a0: SERVER_ARG_* flags, as root
 * gives every server). The rest must be empty. */
enum proc_slot {
	PROC_SLOT_CNODE = 1,     /* proc's CSpace, this CNode */
	PROC_SLOT_TCB,           /* proc's own thread */
	PROC_SLOT_VSPACE,        /* proc's address space */
	PROC_SLOT_EP,            /* the endpoint proc serves, with every right (it mints from it) */
	PROC_SLOT_UNTYPED,       /* the memory every process is made of */
	PROC_SLOT_CONSOLE,       /* the console driver (lib/uart_proto.h), or empty */
	PROC_SLOT_FS,            /* the file server (lib/fs_proto.h), or empty */
	PROC_SLOT_SUPERVISOR,    /* proc's own fault endpoint (its supervisor's) */
	PROC_SLOT_FIRST_FREE = 16,
};
#define PROC_CNODE_RADIX 16
/* The frames of the boot image's copy (root moves them here). */
#define PROC_SLOT_BOOTIMG_FIRST ((1u << PROC_CNODE_RADIX) - 1024)
#define PROC_PRIORITY    100     /* proc's own, and its threads' */
/* Every process's: below proc's, so that proc runs as soon as a message
 * comes, however many processes are runnable. */
#define PROC_PROCESS_PRIORITY (PROC_PRIORITY - 1)
#define PROC_UNTYPED_BITS 24     /* 16 MiB of processes */

/* A read-only copy of the boot image (where proc finds programs until a
 * file system holds them): a page with this header at PROC_BOOTIMG_VADDR,
 * the image from the next page on. */
#define PROC_BOOTIMG_VADDR 0x30000000ul
#define PROC_BOOTIMG_MAGIC 0x474d49544f4f4250ul    /* "PBOOTIMG" */
struct proc_bootimg {
	uint64_t magic;
	uint64_t size;
};

/*
 * proc starts no process by itself: whoever starts the system (root's
 * init program procboot, or a test playing root) calls PROC_BOOT with an
 * endpoint capability whose badge has no PROC_BADGE_PROCESS bit. Word 0:
 * PROC_BOOT_* flags; from word 1: "path\0arg1\0...\0", the first
 * process and its arguments (argv[0] is the path). The reply comes when
 * that process has exited (word 0: its status) or when a process asked to
 * power off (word 0: 0, every process ended). One boot at a time.
 */
#define PROC_BOOT_CONSOLE_FDS 1ul    /* the first process starts with fds 0-2 on the console */

/* --- a process's CSpace --------------------------------------------------- */
#define PROC_CLIENT_RADIX   2
#define PROC_SLOT_SERVER    1    /* proc's endpoint, badged with the process */
#define PROC_SLOT_FAULT     2    /* the same, badged as this process's faults */

/* Where proc puts things in a process's address space: the program from
 * 0x10000 up to its size (text, data, a guard page, one stack page, then
 * the heap sbrk grows), and the IPC buffer far above. */
#define PROC_IPC_VADDR   0x3ffff000ul
/* The word of the IPC buffer page (past struct ipc_buffer) where a copy
 * routine of the library notes where to resume should it fault on a bad
 * pointer (0: nowhere, a fault kills). */
#define PROC_IPC_FIXUP   0x7f8          /* within an sd offset's reach of tp */
#define PROC_MAX_SIZE    0x3fe00000ul    /* the image stays below this */

/* --- messages -------------------------------------------------------------- */
enum proc_label {
	PROC_BOOT = 1,     /* from a non-process only: see above */
	PROC_GETPID,       /* () -> pid */
	PROC_FORK,         /* () -> child's pid (the child sees 0) */
	PROC_EXIT,         /* (status): never answered */
	PROC_WAIT,         /* () -> pid, status in word 1 */
	PROC_KILL,         /* (pid) -> 0 */
	PROC_EXEC,         /* (address, length of "path\0arg0\0arg1\0...") -> only on error */
	PROC_SBRK,         /* (n) -> old size */
	PROC_SLEEP,        /* (ticks) -> 0 */
	PROC_READ,         /* (fd, n) -> count, bytes from word 2; word 1: PROC_READ_MORE */
	PROC_WRITE,        /* (fd, n, bytes from word 2) -> count */
	PROC_CLOSE,        /* (fd) -> 0 */
	PROC_DUP,          /* (fd) -> new fd */
	PROC_PIPE,         /* () -> 0, the read fd in word 1, the write fd in word 2 */
	PROC_OPEN,         /* (mode, path from word 1) -> fd */
	PROC_MKNOD,        /* (major, minor, path from word 2) -> 0 */
	PROC_UNLINK,       /* (path from word 0) -> 0 */
	PROC_FSTAT,        /* (fd) -> 0, struct stat from word 1 */
	PROC_LINK,         /* (length of target with nul, target then path from word 1) -> 0 */
	PROC_MKDIR,        /* (path from word 0) -> 0 */
	PROC_CHDIR,        /* (path from word 0) -> 0 */
	PROC_MEMINFO,      /* () -> free pages; word 1 free slots, 2 free files, 3 processes */
	PROC_POWEROFF,     /* () -> never answered: every process ends */
	PROC_SYMLINK,      /* (as PROC_LINK) -> 0 */
	PROC_DRIVER_CRASH, /* (name from word 0) -> 0 once the driver was told to fault */
};

/* sleep() and uptime() count ticks of 10 ms: this many of the 10 MHz time
 * counter (rdtime, readable in user mode). */
#define PROC_TIME_PER_TICK 100000ul

/* Bytes one message carries from word `first` on. */
#define PROC_MSG_BYTES(first) ((MSG_MAX_WORDS - (first)) * 8)
/* Bytes one read or write moves at most (the stubs make several calls). */
#define PROC_IO_MAX 448
/* A read reply says PROC_READ_MORE when the next read may go on without
 * waiting (a file, not a pipe or the console). */
#define PROC_READ_MORE 1

/* Badges proc mints: PROC_BADGE_PROCESS | a process's slot index, with
 * PROC_BADGE_FAULT on its fault endpoint; PROC_BADGE_WORKER | n on proc's
 * own helper threads. Any other badge is a client outside: its
 * supervisor's (SERVER_PING) or procboot (PROC_BOOT). */
#define PROC_BADGE_PROCESS (1ul << 20)
#define PROC_BADGE_FAULT   (1ul << 21)
#define PROC_BADGE_WORKER  (1ul << 22)
#define PROC_BADGE_INDEX   0xffffu

/* Copy n bytes into message words first.. of m: words 0..3 live in m,
 * the rest in the caller's IPC buffer. n <= PROC_MSG_BYTES(first). */
static inline void proc_msg_put(struct ipc_msg *m, unsigned first, const void *data, size_t n)
{
	const unsigned char *src = data;
	size_t in_regs = first < MSG_REG_WORDS ? (MSG_REG_WORDS - first) * 8 : 0;
	size_t k = n < in_regs ? n : in_regs;

	if (k > 0)
		__builtin_memcpy((unsigned char *)&m->mr[first], src, k);
	if (n > k)
		__builtin_memcpy((unsigned char *)&ipc_buffer()->mr[first + k / 8], src + k, n - k);
}

/* The other way: n bytes from message words first.. into data. */
static inline void proc_msg_get(const struct ipc_msg *m, unsigned first, void *data, size_t n)
{
	unsigned char *dst = data;
	size_t in_regs = first < MSG_REG_WORDS ? (MSG_REG_WORDS - first) * 8 : 0;
	size_t k = n < in_regs ? n : in_regs;

	if (k > 0)
		__builtin_memcpy(dst, (const unsigned char *)&m->mr[first], k);
	if (n > k)
		__builtin_memcpy(dst + k, (const unsigned char *)&ipc_buffer()->mr[first + k / 8], n - k);
}

/* A Mica extension for tests: what proc has free (PROC_MEMINFO). */
struct proc_meminfo {
	long free_pages, free_slots, free_files, processes;
};
int proc_meminfo(struct proc_meminfo *info);

#endif /* MICA_PROC_PROTO_H */
