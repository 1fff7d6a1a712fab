/*
 * test_usertests.c - plays root for `usertests -q` (user/bin/usertests.c):
 * starts proc (procroot.h) with usertests as its first process, on the
 * console. proc powers the machine off when usertests exits.
 */
#include "playroot.h"
#include "procroot.h"

int main(const struct bootinfo *bi)
{
	static struct spawn_pool pool;
	int err = procroot_start(bi, &pool, "usertests", "-q");

	printf("test_usertests: proc started: %s\n", err_name(err));
	return err == ERR_OK ? 0 : 1;
}
