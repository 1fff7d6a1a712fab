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
 *
 * A bad pointer is an error, not a crash: every byte a call reads from or
 * writes to the caller's memory goes through ulib_copy() or
 * ulib_strcopy(), which note in the IPC buffer's word at PROC_IPC_FIXUP
 * where to go on if they fault. proc, the pager, resumes a fault it
 * cannot serve there (the copy returns -1) instead of killing the caller.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"
#include "ipc.h"
#include "proc_proto.h"

#define DATA_MAX PROC_IO_MAX
#define STR(x)   #x
#define XSTR(x)  STR(x)

/* Copy n bytes from src to dst: 0, or -1 if either is not memory the
 * program may use so (nothing after the fault is copied). */
int ulib_copy(void *dst, const void *src, uint64 n);
/* Copy the string src with its nul into dst, at most max bytes: its
 * length, or -1 for a bad pointer or no nul in max bytes. */
long ulib_strcopy(char *dst, const char *src, uint64 max);

/* Leaf functions without a frame: resumed at ulib_copy_fail with the
 * registers of the faulting load or store, they simply return -1. */
__asm__(".text\n"
	".globl ulib_copy\n"
	"ulib_copy:\n"
	"	lla	t0, ulib_copy_fail\n"
	"	sd	t0, " XSTR(PROC_IPC_FIXUP) "(tp)\n"
	"	beqz	a2, 2f\n"
	"1:	lbu	t1, 0(a1)\n"
	"	sb	t1, 0(a0)\n"
	"	addi	a0, a0, 1\n"
	"	addi	a1, a1, 1\n"
	"	addi	a2, a2, -1\n"
	"	bnez	a2, 1b\n"
	"2:	sd	zero, " XSTR(PROC_IPC_FIXUP) "(tp)\n"
	"	li	a0, 0\n"
	"	ret\n"
	"ulib_copy_fail:\n"
	"	sd	zero, " XSTR(PROC_IPC_FIXUP) "(tp)\n"
	"	li	a0, -1\n"
	"	ret\n"
	".globl ulib_strcopy\n"
	"ulib_strcopy:\n"
	"	lla	t0, ulib_copy_fail\n"
	"	sd	t0, " XSTR(PROC_IPC_FIXUP) "(tp)\n"
	"	mv	t2, a0\n"
	"	add	t3, a0, a2\n"
	"1:	beq	a0, t3, 2f\n"
	"	lbu	t1, 0(a1)\n"
	"	sb	t1, 0(a0)\n"
	"	addi	a0, a0, 1\n"
	"	addi	a1, a1, 1\n"
	"	bnez	t1, 1b\n"
	"	sd	zero, " XSTR(PROC_IPC_FIXUP) "(tp)\n"
	"	sub	a0, a0, t2\n"
	"	addi	a0, a0, -1\n"
	"	ret\n"
	"2:	sd	zero, " XSTR(PROC_IPC_FIXUP) "(tp)\n"
	"	li	a0, -1\n"
	"	ret\n");
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
	char copy[PATH_MAX];
	long n = ulib_strcopy(copy, path, sizeof(copy)) + 1;

	if (n <= 0)
		return -1;
	m->info = MSGINFO(label, 0, first + (n + 7) / 8);
	proc_msg_put(m, first, copy, (size_t)n);
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

	if (pid >= 0 && status != 0) {
		int st = (int)m.mr[1];

		if (ulib_copy(status, &st, sizeof(st)) < 0)
			return -1;
	}
	return (int)pid;
}

int kill(int pid)
{
	return (int)sys_simple(PROC_KILL, (uint64)(long)pid, 0);
}

int exec(const char *path, char **argv)
{
	static char block[EXEC_MAX];
	long len = ulib_strcopy(block, path, PATH_MAX) + 1, n;
	char *arg;
	uint i;

	if (len <= 0)
		return -1;
	for (i = 0;; i++) {
		if (ulib_copy(&arg, &argv[i], sizeof(arg)) < 0)
			return -1;
		if (arg == 0)
			break;
		n = ulib_strcopy(block + len, arg, sizeof(block) - (uint64)len) + 1;
		if (n <= 0)
			return -1;
		len += n;
	}
	return (int)sys_simple(PROC_EXEC, (uint64)block, (uint64)len);
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

/* No message: the time counter (10 MHz) is readable in user mode, and a
 * tick is 10 ms, as the kernel's clock counts them (CLOCK_HZ). */
int uptime(void)
{
	uint64 t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return (int)(t / PROC_TIME_PER_TICK);
}

int pipe(int fds[2])
{
	struct ipc_msg m = { .info = MSGINFO(PROC_PIPE, 0, 0) };

	int got[2];

	if (sys_proc(&m) != 0)
		return -1;
	got[0] = (int)m.mr[1];
	got[1] = (int)m.mr[2];
	if (ulib_copy(fds, got, sizeof(got)) < 0) {
		close(got[0]);
		close(got[1]);
		return -1;
	}
	return 0;
}

int write(int fd, const void *buf, int n)
{
	const char *p = buf;
	char stage[DATA_MAX];
	int done = 0;

	while (done < n) {
		uint k = (uint)(n - done) < DATA_MAX ? (uint)(n - done) : DATA_MAX;
		struct ipc_msg m = { .info = MSGINFO(PROC_WRITE, 0, 2 + (k + 7) / 8),
				     .mr = { (uint64)(long)fd, k } };
		long r;

		if (ulib_copy(stage, p + done, k) < 0)
			return done > 0 ? done : -1;
		proc_msg_put(&m, 2, stage, k);
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
	char stage[DATA_MAX];
	int done = 0;

	while (done < n) {
		uint k = (uint)(n - done) < DATA_MAX ? (uint)(n - done) : DATA_MAX;
		struct ipc_msg m = { .info = MSGINFO(PROC_READ, 0, 2), .mr = { (uint64)(long)fd, k } };
		long r = sys_proc(&m);

		if (r < 0)
			return done > 0 ? done : -1;
		if ((uint64)r > k)
			return -1;           /* never: proc answers at most k */
		proc_msg_get(&m, 2, stage, (size_t)r);
		if (ulib_copy(p + done, stage, (uint64)r) < 0)
			return -1;
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
	char both[2 * PATH_MAX];
	long t = ulib_strcopy(both, target, PATH_MAX) + 1, n;
	struct ipc_msg m;

	if (t <= 0 || (n = ulib_strcopy(both + t, path, PATH_MAX) + 1) <= 0)
		return -1;
	m = (struct ipc_msg){ .info = MSGINFO(label, 0, 1 + (t + n + 7) / 8), .mr = { (uint64)t } };
	proc_msg_put(&m, 1, both, (size_t)(t + n));
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

	struct stat got;

	if (sys_proc(&m) != 0)
		return -1;
	proc_msg_get(&m, 1, &got, sizeof(got));
	return ulib_copy(st, &got, sizeof(got));
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
