/*
 * syscalls.c - xv6's system calls for programs on Mica: each is one call
 * to the process server (lib/proc_proto.h) on the endpoint in slot
 * PROC_SLOT_SERVER, the only capability a process holds. proc answers
 * process calls itself and passes file calls on to the file system or
 * the console. Errors come back as -1, as in xv6.
 *
 * Bytes travel in the message words: a read or write of more than one
 * message holds (PROC_MSG_BYTES(2)) is several calls. exec's path and
 * arguments are packed into one block that proc copies out of the
 * caller's memory.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"
#include "ipc.h"
#include "proc_proto.h"
#include "syscalls.h"

#define DATA_MAX PROC_MSG_BYTES(2)
#define PATH_MAX 128                    /* MAXPATH, with the nul */
#define EXEC_MAX 2048                   /* proc's limit on exec's block */

/* One call with label and the first words; returns the reply's word 0,
 * or -1 if the call itself failed. */
static long sys_proc(struct ipc_msg *m)
{
	return ipc_call(PROC_SLOT_SERVER, m) == 0 ? (long)m->mr[0] : -1;
}

static long sys_simple(unsigned label, uint64 a0, uint64 a1)
{
	struct ipc_msg m = { .info = MSGINFO(label, 0, 2), .mr = { a0, a1 } };

	return sys_proc(&m);
}

/* A call whose path (nul included) starts at word `first`; -1 for a path
 * too long. */
static long sys_path(struct ipc_msg *m, unsigned label, unsigned first, const char *path)
{
	uint n = strlen(path) + 1;

	if (n > PATH_MAX)
		return -1;
	m->info = MSGINFO(label, 0, first + (n + 7) / 8);
	proc_msg_put(m, first, path, n);
	return sys_proc(m);
}

int fork(void)
{
	return (int)sys_simple(PROC_FORK, 0, 0);
}

void exit(int status)
{
	for (;;)
		sys_simple(PROC_EXIT, (uint64)(long)status, 0);
}

int wait(int *status)
{
	struct ipc_msg m = { .info = MSGINFO(PROC_WAIT, 0, 0) };
	long pid = sys_proc(&m);

	if (pid >= 0 && status != 0)
		*status = (int)m.mr[1];
	return (int)pid;
}

int kill(int pid)
{
	return (int)sys_simple(PROC_KILL, (uint64)(long)pid, 0);
}

int exec(const char *path, char **argv)
{
	static char block[EXEC_MAX];
	uint len = strlen(path) + 1, i, n;

	if (len > PATH_MAX)
		return -1;
	memcpy(block, path, len);
	for (i = 0; argv[i] != 0; i++) {
		n = strlen(argv[i]) + 1;
		if (len + n > sizeof(block))
			return -1;
		memcpy(block + len, argv[i], n);
		len += n;
	}
	return (int)sys_simple(PROC_EXEC, (uint64)block, len);
}

int getpid(void)
{
	return (int)sys_simple(PROC_GETPID, 0, 0);
}

char *sbrk(int n)
{
	return (char *)sys_simple(PROC_SBRK, (uint64)(long)n, 0);
}

int sleep(int ticks)
{
	return (int)sys_simple(PROC_SLEEP, (uint64)(long)ticks, 0);
}

/* The kernel counts the ticks itself: no message needed. */
int uptime(void)
{
	register long a0 __asm__("a0");
	register long a1 __asm__("a1");
	register long a7 __asm__("a7") = SYS_UPTIME;

	__asm__ volatile("ecall" : "=r"(a0), "=r"(a1) : "r"(a7) : "memory");
	return a0 == 0 ? (int)a1 : -1;
}

int pipe(int fds[2])
{
	struct ipc_msg m = { .info = MSGINFO(PROC_PIPE, 0, 0) };

	if (sys_proc(&m) != 0)
		return -1;
	fds[0] = (int)m.mr[1];
	fds[1] = (int)m.mr[2];
	return 0;
}

int write(int fd, const void *buf, int n)
{
	const char *p = buf;
	int done = 0;

	while (done < n) {
		uint k = (uint)(n - done) < DATA_MAX ? (uint)(n - done) : DATA_MAX;
		struct ipc_msg m = { .info = MSGINFO(PROC_WRITE, 0, 2 + (k + 7) / 8),
				     .mr = { (uint64)(long)fd, k } };
		long r;

		proc_msg_put(&m, 2, p + done, k);
		r = sys_proc(&m);
		if (r < 0)
			return done > 0 ? done : -1;
		done += (int)r;
		if (r < k)
			break;
	}
	return done;
}

int read(int fd, void *buf, int n)
{
	char *p = buf;
	int done = 0;

	while (done < n) {
		uint k = (uint)(n - done) < DATA_MAX ? (uint)(n - done) : DATA_MAX;
		struct ipc_msg m = { .info = MSGINFO(PROC_READ, 0, 2), .mr = { (uint64)(long)fd, k } };
		long r = sys_proc(&m);

		if (r < 0)
			return done > 0 ? done : -1;
		if ((uint64)r > k)
			return -1;           /* never: proc answers at most k */
		proc_msg_get(&m, 2, p + done, (size_t)r);
		done += (int)r;
		if (r < k || !(m.mr[1] & PROC_READ_MORE))
			break;
	}
	return done;
}

int close(int fd)
{
	return (int)sys_simple(PROC_CLOSE, (uint64)(long)fd, 0);
}

int open(const char *path, int mode)
{
	struct ipc_msg m = { .mr = { (uint64)(long)mode } };

	return (int)sys_path(&m, PROC_OPEN, 1, path);
}

int mknod(const char *path, short major, short minor)
{
	struct ipc_msg m = { .mr = { (uint64)(long)major, (uint64)(long)minor } };

	return (int)sys_path(&m, PROC_MKNOD, 2, path);
}

int unlink(const char *path)
{
	struct ipc_msg m = { 0 };

	return (int)sys_path(&m, PROC_UNLINK, 0, path);
}

int mkdir(const char *path)
{
	struct ipc_msg m = { 0 };

	return (int)sys_path(&m, PROC_MKDIR, 0, path);
}

int chdir(const char *path)
{
	struct ipc_msg m = { 0 };

	return (int)sys_path(&m, PROC_CHDIR, 0, path);
}

/* link and symlink: target's length (nul included) in word 0, then both
 * strings from word 1. */
static int sys_two_paths(unsigned label, const char *target, const char *path)
{
	uint t = strlen(target) + 1, n = strlen(path) + 1;
	struct ipc_msg m = { .info = MSGINFO(label, 0, 1 + (t + n + 7) / 8), .mr = { t } };
	char both[2 * PATH_MAX];

	if (t > PATH_MAX || n > PATH_MAX)
		return -1;
	memcpy(both, target, t);
	memcpy(both + t, path, n);
	proc_msg_put(&m, 1, both, t + n);
	return (int)sys_proc(&m);
}

int link(const char *target, const char *path)
{
	return sys_two_paths(PROC_LINK, target, path);
}

int symlink(const char *target, const char *path)
{
	return sys_two_paths(PROC_SYMLINK, target, path);
}

int fstat(int fd, struct stat *st)
{
	struct ipc_msg m = { .info = MSGINFO(PROC_FSTAT, 0, 1), .mr = { (uint64)(long)fd } };

	if (sys_proc(&m) != 0)
		return -1;
	proc_msg_get(&m, 1, st, sizeof(*st));
	return 0;
}

int dup(int fd)
{
	return (int)sys_simple(PROC_DUP, (uint64)(long)fd, 0);
}

int poweroff(void)
{
	return (int)sys_simple(PROC_POWEROFF, 0, 0);
}

int driver_crash(const char *name)
{
	struct ipc_msg m = { 0 };

	return (int)sys_path(&m, PROC_DRIVER_CRASH, 0, name);
}

int proc_meminfo(struct proc_meminfo *info)
{
	struct ipc_msg m = { .info = MSGINFO(PROC_MEMINFO, 0, 0) };

	info->free_pages = sys_proc(&m);
	info->free_slots = (long)m.mr[1];
	info->free_files = (long)m.mr[2];
	info->processes = (long)m.mr[3];
	return info->free_pages < 0 ? -1 : 0;
}
