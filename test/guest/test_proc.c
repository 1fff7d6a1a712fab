/*
 * test_proc.c - plays root for the process server's tests: starts proc
 * (procroot.h) with test/proc/proctest.c as its first process, waits for
 * it to end and exits with its status (0 or 1).
 * The boot argument proctest=ARG becomes proctest's argv[1] (reclaim=N:
 * N rounds of fork and kill); procinit=NAME starts another program
 * instead (procbench, for make bench). proctest reports its own checks.
 */
#include "playroot.h"
#include "procroot.h"

/* The value of boot argument `key` (with its '='), copied into out. */
static void boot_arg(const struct bootinfo *bi, const char *key, char *out, size_t size)
{
	const char *s = bi->bootargs;
	size_t k = strlen(key), n;

	out[0] = '\0';
	for (; *s != '\0'; s++)
		if ((s == bi->bootargs || s[-1] == ' ') && strncmp(s, key, k) == 0) {
			for (n = 0; s[k + n] != '\0' && s[k + n] != ' ' && n + 1 < size; n++)
				out[n] = s[k + n];
			out[n] = '\0';
			return;
		}
}

int main(const struct bootinfo *bi)
{
	static struct spawn_pool pool;
	char init[32], arg[64];
	long status = -1;
	int err;

	boot_arg(bi, "procinit=", init, sizeof(init));
	boot_arg(bi, "proctest=", arg, sizeof(arg));
	err = procroot_run(bi, &pool, init[0] != '\0' ? init : "proctest", arg, &status);
	printf("test_proc: proc ran %s: %s, exit status %ld\n", init[0] != '\0' ? init : "proctest",
	       err_name(err), status);
	return err == ERR_OK && status == 0 ? 0 : 1;
}
