/*
 * test_proc.c - plays root for the process server's tests: starts proc
 * (procroot.h) with test/proc/proctest.c as its first process, and ends.
 * proctest reports its own checks; proc powers the machine off when it
 * exits, which ends the test.
 */
#include "playroot.h"
#include "procroot.h"

int main(const struct bootinfo *bi)
{
	static struct spawn_pool pool;
	int err = procroot_start(bi, &pool, "proctest", "");

	printf("test_proc: proc started: %s\n", err_name(err));
	return err == ERR_OK ? 0 : 1;
}
