/*
 * kill - end each process whose pid is named.
 */
#include "kernel/types.h"
#include "user/user.h"

int main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2) {
		fprintf(2, "usage: kill pid...\n");
		exit(1);
	}
	for (int i = 1; i < argc; i++) {
		int pid = atoi(argv[i]);

		if (pid <= 0 || kill(pid) < 0) {
			fprintf(2, "kill: no process %s\n", argv[i]);
			status = 1;
		}
	}
	exit(status);
}
