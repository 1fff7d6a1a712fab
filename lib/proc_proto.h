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
 * its starter fills before resuming it. The rest must be empty. */
enum proc_slot {
	PROC_SLOT_TCB = 1,       /* proc's own thread */
	PROC_SLOT_CNODE,         /* proc's CSpace, this CNode */
	PROC_SLOT_VSPACE,        /* proc's address space */
	PROC_SLOT_EP,            /* the endpoint proc serves (all rights) */
	PROC_SLOT_UNTYPED,       /* the memory every process is made of */
	PROC_SLOT_CONSOLE,       /* the console driver's endpoint (lib/uart_proto.h), or empty */
	PROC_SLOT_FS,            /* the file server's endpoint (lib/fs_proto.h), or empty */
	PROC_SLOT_FIRST_FREE = 16,
};
#define PROC_CNODE_RADIX 16
/* Stack pages proc needs below SPAWN_STACK_TOP (spawn_program maps one). */
#define PROC_STACK_PAGES 8

/* proc starts with a0 = PROC_CONFIG_VADDR, where its starter mapped a
 * read-only page holding this; the boot image (if any) follows it. */
#define PROC_CONFIG_VADDR  0x30000000ul
#define PROC_BOOTIMG_VADDR 0x30001000ul
#define PROC_CONFIG_MAGIC 0x4749464e434f5250ul    /* "PROCNFIG" */
struct proc_config {
	uint64_t magic;
	uint64_t bootimg;        /* where the boot image is mapped in proc, or 0 */
	uint64_t bootimg_size;
	uint64_t console_fds;    /* 1: init starts with fds 0, 1, 2 on the console */
	uint64_t priority;       /* proc's own priority, which every process gets */
	char init[32];           /* the first process: a boot-image program (no fs) or a path */
	char init_arg[64];       /* its argv[1], or "" for none */
};

/* --- a process's CSpace --------------------------------------------------- */
#define PROC_CLIENT_RADIX   2
#define PROC_SLOT_SERVER    1    /* proc's endpoint, badged with the process */
#define PROC_SLOT_FAULT     2    /* the same, badged as this process's faults */

/* Where proc puts things in a process's address space: the program from
 * 0x10000 up to its size (text, data, a guard page, one stack page, then
 * the heap sbrk grows), and the IPC buffer far above. */
#define PROC_IPC_VADDR   0x3ffff000ul
#define PROC_MAX_SIZE    0x3fe00000ul    /* the image stays below this */

/* --- messages -------------------------------------------------------------- */
enum proc_label {
	PROC_GETPID = 1,   /* () -> pid */
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

/* Bytes one message carries from word `first` on. */
#define PROC_MSG_BYTES(first) ((MSG_MAX_WORDS - (first)) * 8)
/* A read reply says PROC_READ_MORE when the next read may go on without
 * waiting (a file, not a pipe or the console). */
#define PROC_READ_MORE 1

/* Badges proc mints: a process's slot index + 1, with PROC_BADGE_FAULT on
 * its fault endpoint and PROC_BADGE_WORKER on proc's own helper threads. */
#define PROC_BADGE_FAULT  (1ul << 16)
#define PROC_BADGE_WORKER (1ul << 17)

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
