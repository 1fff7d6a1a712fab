/*
 * init - the first process: give it the console as fds 0, 1 and 2, start
 * the shell, and start it again whenever it exits. Every process whose
 * parent exits becomes init's child, so init's wait() also reaps those
 * orphans, which would otherwise stay zombies forever.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define CONSOLE_MAJOR 1   /* the console's device number, as in xv6 */
#define CONSOLE_TRIES 50  /* a tenth of a second apart */

static char *sh_argv[] = { "sh", 0 };

/* Give this process the console as fds 0, 1 and 2: open it as fd 0,
 * making the device file first if the disk has none, and copy it to 1 and
 * 2. A system that started init with the console already open (proc can)
 * is left as it is. Returns 0, or -1. */
static int console_open(void)
{
	struct stat st;

	if (fstat(0, &st) == 0 && st.type == T_DEVICE)
		return 0;
	if (open("console", O_RDWR) < 0) {
		if (mknod("console", CONSOLE_MAJOR, 0) < 0 || open("console", O_RDWR) < 0)
			return -1;
	}
	return dup(0) < 0 || dup(0) < 0 ? -1 : 0;
}

/* Start the shell. Returns its pid, or -1 if fork() failed. */
static int sh_start(void)
{
	int pid = fork();

	if (pid == 0) {
		exec("sh", sh_argv);
		fprintf(2, "init: cannot run sh\n");
		exit(1);
	}
	return pid;
}

int main(void)
{
	/* The file system may be starting, or restarting: try for a while. */
	for (int tries = 0; console_open() < 0; tries++) {
		if (tries == CONSOLE_TRIES)
			exit(1);   /* there is nowhere to say why */
		sleep(10);
	}
	for (;;) {
		int sh, pid, status = 0;

		printf("init: starting sh\n");
		sh = sh_start();
		if (sh < 0) {
			fprintf(2, "init: fork failed, trying again\n");
			sleep(100);
			continue;
		}
		while ((pid = wait(&status)) != sh) {
			if (pid < 0) {
				fprintf(2, "init: wait failed\n");
				break;
			}
			/* An orphan ended; wait() has reaped it. */
		}
		/* A shell that failed (could not even start, say) is not
		 * restarted at once, so the console does not fill with it. */
		if (status != 0)
			sleep(100);
	}
}
