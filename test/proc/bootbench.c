/*
 * bootbench - `make bench`'s boot_to_shell: the instructions from reset to
 * the shell's first prompt. procboot runs it as proc's first process
 * instead of init (initarg=1); it starts the shell from the disk as init
 * would, with the shell's output and errors into a pipe, reads until the prompt "$ "
 * and reads instret then. It prints "bench: boot_to_shell N.0", ends the
 * shell (end of input) and powers the machine off. The count includes
 * OpenSBI, the kernel's boot, root starting the servers, the file
 * system's mount and two execs: the path a student waits through.
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static uint64 instret_now(void)
{
	uint64 n;

	__asm__ volatile("rdinstret %0" : "=r"(n));
	return n;
}

int main(void)
{
	char *argv[] = { "sh", 0 };
	int in[2], out[2], pid, n, seen = 0;
	uint64 at = 0;
	char c;

	/* As init does: a fresh disk has no console yet. */
	if (open("console", O_RDWR) != 0 && (mknod("console", 1, 0) != 0 || open("console", O_RDWR) != 0))
		exit(1);
	if (dup(0) != 1 || dup(0) != 2 || pipe(in) != 0 || pipe(out) != 0)
		exit(1);
	pid = fork();
	if (pid == 0) {
		close(0);
		dup(in[0]);
		close(1);
		dup(out[1]);
		close(2);                 /* the prompt goes to fd 2 */
		dup(out[1]);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		exec("/sh", argv);
		exit(1);
	}
	close(in[0]);
	close(out[1]);
	/* The prompt is "$ ": the instant its last byte arrives. */
	while (at == 0 && (n = read(out[0], &c, 1)) == 1) {
		if (seen && c == ' ')
			at = instret_now();
		seen = c == '$';
	}
	close(in[1]);                   /* the shell reads the end of input and exits */
	if (at == 0 || wait(0) != pid) {
		printf("bench: FAIL no prompt from the shell\n");
		exit(1);
	}
	printf("bench: boot_to_shell %lu.0\n", (unsigned long)at);
	printf("bench: done\n");
	poweroff();
	exit(1);
}
