/*
 * mkdir - make each directory named.
 */
#include "kernel/types.h"
#include "user/user.h"

int main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2) {
		fprintf(2, "usage: mkdir dir...\n");
		exit(1);
	}
	for (int i = 1; i < argc; i++) {
		if (mkdir(argv[i]) < 0) {
			fprintf(2, "mkdir: cannot make %s\n", argv[i]);
			status = 1;
		}
	}
	exit(status);
}
