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
	long status = -1;
	int err = procroot_run(bi, &pool, "usertests", "-q", &status);

	printf("test_usertests: usertests ended: %s, exit status %ld\n", err_name(err), status);
	return err == ERR_OK && status == 0 ? 0 : 1;
}
