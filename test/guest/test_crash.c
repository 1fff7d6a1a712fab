/*
 * test_crash.c - plays root for `crash` (user/bin/crash.c): starts proc
 * (procroot.h) with crash as its first process, on the console. Each of
 * crash's bad acts must end only the child that does it; proc powers the
 * machine off when crash exits.
 */
#include "playroot.h"
#include "procroot.h"

int main(const struct bootinfo *bi)
{
	static struct spawn_pool pool;
	int err = procroot_start(bi, &pool, "crash", "");

	printf("test_crash: proc started: %s\n", err_name(err));
	return err == ERR_OK ? 0 : 1;
}
