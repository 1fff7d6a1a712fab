/*
 * procbench - `make bench`'s figures for processes, from a program that
 * uses only xv6's API (and the instret counter): getpid, fork+exit+wait,
 * fork+exec+wait of a small program, and a 1-byte pipe round trip between
 * two processes. tools/bench.py boots it as proc's first process
 * (root=test_proc procinit=procbench) under QEMU -icount shift=0, where
 * instret counts guest instructions exactly.
 *
 * As in test/guest/bench.c, each figure is the cheapest of ROUNDS rounds
 * of `batch` operations, less the same loop around an empty operation, and
 * is printed as "bench: NAME X.Y" (instructions per operation).
 */
#include "kernel/types.h"
#include "user/user.h"

#define ROUNDS 5

static int ping[2], pong[2];

static uint64 instret_now(void)
{
	uint64 n;

	__asm__ volatile("rdinstret %0" : "=r"(n));
	return n;
}

__attribute__((noinline)) static int op_empty(void)
{
	return 0;
}

__attribute__((noinline)) static int op_getpid(void)
{
	return getpid() > 0 ? 0 : -1;
}

__attribute__((noinline)) static int op_fork_exit_wait(void)
{
	int pid = fork(), status = 1;

	if (pid == 0)
		exit(0);
	return pid > 0 && wait(&status) == pid && status == 0 ? 0 : -1;
}

__attribute__((noinline)) static int op_fork_exec_wait(void)
{
	static char *argv[] = { "true", 0 };
	int pid = fork(), status = 1;

	if (pid == 0) {
		exec("true", argv);
		exit(1);
	}
	return pid > 0 && wait(&status) == pid && status == 0 ? 0 : -1;
}

/* One byte to the echo child and back. */
__attribute__((noinline)) static int op_pipe_roundtrip(void)
{
	char c = 'x';

	return write(ping[1], &c, 1) == 1 && read(pong[0], &c, 1) == 1 ? 0 : -1;
}

__attribute__((noipa)) static uint64 round_of(int (*op)(void), int n, int *err)
{
	uint64 start, end;
	int i, e = 0;

	start = instret_now();
	for (i = 0; i < n; i++)
		e |= op();
	end = instret_now();
	*err = e;
	return end - start;
}

static uint64 cheapest(int (*op)(void), int n, int *err)
{
	uint64 best = ~0ul, cost;
	int r;

	*err = 0;
	for (r = 0; r < ROUNDS && *err == 0; r++) {
		cost = round_of(op, n, err);
		if (cost < best)
			best = cost;
	}
	return best;
}

static int figure(const char *name, int (*op)(void), int n)
{
	int err;
	uint64 empty = cheapest(op_empty, n, &err), cost = cheapest(op, n, &err), tenths;

	if (err != 0) {
		printf("bench: FAIL %s\n", name);
		return -1;
	}
	cost = cost > empty ? cost - empty : 0;
	tenths = (cost * 10 + n / 2) / n;
	printf("bench: %s %lu.%lu\n", name, tenths / 10, tenths % 10);
	return 0;
}

/* The echo child: every byte on ping comes back on pong. */
static int echo_start(void)
{
	int pid;

	if (pipe(ping) < 0 || pipe(pong) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		char c;

		close(ping[1]);
		close(pong[0]);
		while (read(ping[0], &c, 1) == 1)
			write(pong[1], &c, 1);
		exit(0);
	}
	close(ping[0]);
	close(pong[1]);
	return pid;
}

int main(void)
{
	int echo;

	if (figure("getpid", op_getpid, 2000) < 0 ||
	    figure("fork_exit_wait", op_fork_exit_wait, 100) < 0 ||
	    figure("fork_exec_wait", op_fork_exec_wait, 100) < 0)
		return 1;
	echo = echo_start();
	if (echo < 0 || figure("pipe_roundtrip", op_pipe_roundtrip, 1000) < 0)
		return 1;
	close(ping[1]);
	wait(0);
	printf("bench: done\n");
	return 0;
}
