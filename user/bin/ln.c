/*
 * ln - give a file a second name: `ln target name` makes a hard link,
 * `ln -s target name` a symbolic link (target need not exist).
 */
#include "kernel/types.h"
#include "user/user.h"

int main(int argc, char *argv[])
{
	if (argc == 4 && strcmp(argv[1], "-s") == 0) {
		if (symlink(argv[2], argv[3]) < 0) {
			fprintf(2, "ln: cannot make symbolic link %s -> %s\n", argv[3], argv[2]);
			exit(1);
		}
		exit(0);
	}
	if (argc != 3) {
		fprintf(2, "usage: ln [-s] target name\n");
		exit(1);
	}
	if (link(argv[1], argv[2]) < 0) {
		fprintf(2, "ln: cannot link %s to %s\n", argv[2], argv[1]);
		exit(1);
	}
	exit(0);
}
