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
	int err = procroot_start(bi, &pool, "init", "");

	printf("test_shell: proc started: %s\n", err_name(err));
	return err == ERR_OK ? 0 : 1;
}
