/*
 * test_shell.c - plays root for the shell's tests: starts proc
 * (procroot.h) with init (user/bin/init.c) as its first process, on the
 * console, with every program from the boot image. init starts sh, which
 * the QEMU case types at; `halt` ends the test by powering off.
 */
#include "playroot.h"
#include "procroot.h"

int main(const struct bootinfo *bi)
{
	static struct spawn_pool pool;
	long status = -1;
	int err = procroot_run(bi, &pool, "init", "", &status);

	printf("test_shell: init ended: %s, exit status %ld\n", err_name(err), status);
	return err == ERR_OK && status == 0 ? 0 : 1;
}
