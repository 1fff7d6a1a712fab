/*
 * proctest - the process server's own tests, through xv6's API only:
 * processes, copy-on-write fork, sbrk, pipes, exec and kill. Each check
 * prints "proctest: ok WHAT" or "proctest: FAIL WHAT"; the last line is
 * "proctest: N checks, M failed". Run as proc's first process by
 * test/guest/test_proc.c (test/qemu/cases/proc_*.test).
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"

/* Mica's extension for tests (lib/proc_proto.h, which xv6 programs do not
 * include): what proc has free. */
struct proc_meminfo {
	long free_pages, free_slots, free_files, processes;
};
int proc_meminfo(struct proc_meminfo *info);

static int checks, failures;

static void check(const char *what, long got, long want)
{
	checks++;
	if (got == want) {
		printf("proctest: ok %s\n", what);
		return;
	}
	failures++;
	printf("proctest: FAIL %s: got %ld, want %ld\n", what, got, want);
}

static void test_basics(void)
{
	int pid = getpid(), child, status = -5;

	check("the first process is pid 1", pid, 1);
	child = fork();
	if (child == 0)
		exit(getpid() == pid ? 99 : 7);
	check("fork returns the child's pid", child > pid, 1);
	check("wait returns that pid", wait(&status), child);
	check("and its exit status", status, 7);
	check("wait without children", wait(0), -1);
}

static int shared = 1000;

/* Parent and child write the same page after fork: each sees its own. */
static void test_cow(void)
{
	static char big[3 * 4096];
	int child, status = 0, i;

	for (i = 0; i < (int)sizeof(big); i++)
		big[i] = (char)i;
	shared = 1000;
	child = fork();
	if (child == 0) {
		int ok = shared == 1000 && big[5000] == (char)5000;

		shared = 2000;
		big[5000] = 1;
		exit(ok && shared == 2000 && big[5000] == 1 ? 0 : 1);
	}
	shared = 3000;
	big[4999] = 2;
	wait(&status);
	check("the child saw the parent's memory, then its own writes", status, 0);
	check("the parent keeps its own word", shared, 3000);
	check("and its own page", big[5000] == (char)5000 && big[4999] == 2, 1);
}

static void test_sbrk(void)
{
	char *old = sbrk(0), *a, *b;
	int child, status = 1;

	a = sbrk(3 * 4096);
	check("sbrk returns the old end", a == old, 1);
	a[0] = 1;
	a[3 * 4096 - 1] = 2;
	check("new memory is zero and writable", a[4096] == 0 && a[0] == 1 && a[3 * 4096 - 1] == 2, 1);
	child = fork();
	if (child == 0)
		exit(a[0] == 1 && a[3 * 4096 - 1] == 2 ? 0 : 1);
	wait(&status);
	check("a child sees the heap", status, 0);
	b = sbrk(-3 * 4096);
	check("sbrk shrinks", b == a + 3 * 4096 && sbrk(0) == old, 1);
	child = fork();
	if (child == 0) {
		volatile char *gone = old;

		gone[0] = 1;              /* no longer mapped: the child is killed */
		exit(0);
	}
	wait(&status);
	check("touching memory given back kills", status, -1);
	check("sbrk beyond all memory fails", (long)sbrk(0x3f000000), -1);
}

static void test_pipes(void)
{
	int fds[2], child, status = 1, n, total = 0;
	char buf[520];              /* 20 times the alphabet */

	check("pipe", pipe(fds), 0);
	child = fork();
	if (child == 0) {
		int i;

		close(fds[0]);
		for (i = 0; i < (int)sizeof(buf); i++)
			buf[i] = (char)('a' + i % 26);
		for (i = 0; i < 5; i++)       /* 2600 bytes through a 512-byte pipe */
			if (write(fds[1], buf, sizeof(buf)) != sizeof(buf))
				exit(1);
		exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf, sizeof(buf))) > 0) {
		if (buf[0] != (char)('a' + total % 26))
			break;
		total += n;
	}
	check("every byte arrives, in order", total, 2600);
	check("then end of file", n, 0);
	wait(&status);
	check("the writer wrote it all", status, 0);
	close(fds[0]);

	pipe(fds);
	close(fds[0]);
	check("writing with no reader left fails", write(fds[1], "x", 1), -1);
	close(fds[1]);
	check("a closed fd is gone", close(fds[1]), -1);
	pipe(fds);
	check("dup gives the lowest free fd", dup(fds[1]), fds[1] + 1);
	close(fds[1]);
	write(fds[1] + 1, "y", 1);
	check("through the dup", read(fds[0], buf, 1) == 1 && buf[0] == 'y', 1);
	close(fds[0]);
	close(fds[1] + 1);
}

static void test_exec(void)
{
	char *args[] = { "proctest", "echo-args", "one", "two words", 0 };
	int child, status = 1;

	child = fork();
	if (child == 0) {
		exec("proctest", args);
		exit(99);
	}
	wait(&status);
	check("exec runs the program with its arguments", status, 4);
	check("exec of no such program fails", exec("no-such-program", args), -1);
}

/* A child blocked in `how` is killed; the parent gets status -1. */
static void kill_blocked(const char *what, int how)
{
	int fds[2], child, status = 0;

	pipe(fds);
	child = fork();
	if (child == 0) {
		char c;

		if (how == 0)
			read(fds[0], &c, 1);          /* nobody writes */
		else if (how == 1)
			sleep(100000);
		else if (how == 2)
			for (;;)
				write(fds[1], "zzzzzzzz", 8);   /* nobody reads: fills, then waits */
		else if (how == 3)
			for (;;)
				;
		else if (fork() == 0) {
			sleep(5);                  /* outlives its parent */
			exit(5);
		} else {
			wait(0);
		}
		exit(0);
	}
	sleep(1);
	check(what, kill(child), 0);
	check("its parent sees status -1", wait(&status) == child && status == -1, 1);
	if (how == 4)   /* we are init: the orphan is ours now */
		check("init reaps the orphan", wait(&status) > child && status == 5, 1);
	close(fds[0]);
	close(fds[1]);
}

static void test_kill(void)
{
	kill_blocked("kill a child blocked reading a pipe", 0);
	kill_blocked("kill a sleeping child", 1);
	kill_blocked("kill a child blocked writing a pipe", 2);
	kill_blocked("kill a child in a loop", 3);
	kill_blocked("kill a child waiting for its own child", 4);
	check("kill of no such pid fails", kill(12345), -1);
}

/* Grow the heap and touch it until proc says no: the child ends by
 * itself, and all its memory is back. */
static void test_sbrk_full(void)
{
	struct proc_meminfo before, after;
	int pid, status = 1;

	proc_meminfo(&before);
	pid = fork();
	if (pid == 0) {
		for (;;) {
			char *p = sbrk(1 << 20);
			int i;

			if (p == (char *)-1)
				exit(0);
			for (i = 0; i < (1 << 20); i += 4096)
				p[i] = 1;
		}
	}
	check("a child fills the memory", wait(&status) == pid && (status == 0 || status == -1), 1);
	proc_meminfo(&after);
	check("and gives it all back", after.free_pages, before.free_pages);
}

/* Bad pointers are errors, and the caller goes on. */
static void test_bad_pointers(void)
{
	char *text = (char *)(uint64)test_bad_pointers, *unmapped = (char *)0x20000000;
	char *argv[] = { "proctest", 0, 0 };
	int fds[2], child;

	pipe(fds);
	check("write from address 0", write(fds[1], (char *)0, 10), -1);
	write(fds[1], "abc", 3);
	check("read into the program's text", read(fds[0], text, 3), -1);
	write(fds[1], "abc", 3);        /* the bytes of a failed read are gone, as in xv6 */
	check("read into unmapped memory", read(fds[0], unmapped, 3), -1);
	check("pipe into address 0", pipe((int *)0), -1);
	check("exec of a bad path", exec((char *)8, argv), -1);
	argv[1] = unmapped;
	check("exec with a bad argument", exec("proctest", argv), -1);
	check("exec with a bad argv", exec("proctest", (char **)unmapped), -1);
	check("open of a bad path", open(unmapped, 0), -1);
	child = fork();
	if (child == 0)
		exit(0);
	check("wait into the program's text", wait((int *)text), -1);
	check("the caller is still alive", getpid() > 0, 1);
	close(fds[0]);
	close(fds[1]);
}

/* Fork until proc says no, then let them all go: nothing is lost. */
static void test_fork_bomb(void)
{
	struct proc_meminfo before, after;
	int pids[64], n = 0, pid, i;

	proc_meminfo(&before);
	while (n < 64 && (pid = fork()) > 0)
		pids[n++] = pid;
	if (pid == 0)
		for (;;)
			sleep(1000);
	check("fork fails once the table is full", n >= 32 && pid == -1, 1);
	for (i = 0; i < n; i++)
		kill(pids[i]);
	while (wait(0) > 0)
		;
	proc_meminfo(&after);
	check("after the bomb every page is back", after.free_pages, before.free_pages);
}

/* rounds rounds of fork and kill, the child killed before it ran, in a
 * loop, or blocked on a pipe, in sleep or in wait: memory, capability
 * slots, files and processes are all back afterwards. */
static void test_reclaim(int rounds)
{
	struct proc_meminfo before, after;
	int fds[2], i, pid, killed = 0;

	pipe(fds);
	proc_meminfo(&before);
	for (i = 0; i < rounds; i++) {
		pid = fork();
		if (pid == 0) {
			char c;

			if (i % 4 == 1)
				read(fds[0], &c, 1);
			else if (i % 4 == 2)
				sleep(1000);
			else if (i % 4 == 3 && fork() == 0) {
				sleep(2);          /* outlives its parent, then ends */
				exit(0);
			} else
				wait(0);
			for (;;)
				;
		}
		if (i % 2 == 1)
			sleep(1);              /* let it run into its wait first */
		killed += kill(pid) == 0;
		while (wait(0) != pid)
			;
		if (i % 4 == 3)
			while (wait(0) > 0)  /* the orphaned grandchild is ours */
				;
	}
	proc_meminfo(&after);
	printf("proctest: %d rounds: free pages %ld -> %ld, slots %ld -> %ld, files %ld -> %ld, "
	       "processes %ld -> %ld\n", rounds, before.free_pages, after.free_pages,
	       before.free_slots, after.free_slots, before.free_files, after.free_files,
	       before.processes, after.processes);
	check("every child was killed", killed, rounds);
	check("free memory is the same as before", after.free_pages, before.free_pages);
	check("and so are the free slots", after.free_slots, before.free_slots);
	check("and the files", after.free_files, before.free_files);
	check("and the processes", after.processes, before.processes);
	close(fds[0]);
	close(fds[1]);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "echo-args") == 0) {
		int i;

		for (i = 0; i < argc; i++)
			printf("proctest: argv[%d] = \"%s\"\n", i, argv[i]);
		exit(argc);
	}
	if (argc > 1 && strlen(argv[1]) > 8 && memcmp(argv[1], "reclaim=", 8) == 0) {
		test_reclaim(atoi(argv[1] + 8));
		printf("proctest: %d checks, %d failed\n", checks, failures);
		return failures != 0;
	}
	test_basics();
	test_cow();
	test_sbrk();
	test_pipes();
	test_exec();
	test_kill();
	test_bad_pointers();
	test_sbrk_full();
	test_fork_bomb();
	printf("proctest: %d checks, %d failed\n", checks, failures);
	return failures != 0;
}
