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
	long status = -1;
	int err = procroot_run(bi, &pool, "crash", "", &status);

	printf("test_crash: crash ended: %s, exit status %ld\n", err_name(err), status);
	return err == ERR_OK && status == 0 ? 0 : 1;
}
