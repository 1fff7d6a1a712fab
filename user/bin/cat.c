/*
 * cat - copy each file named, or the standard input if none is, to the
 * standard output.
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static char buf[4096];

/* Copy fd to fd 1 until end of file. Returns 0, or -1 after a message. */
static int cat_fd(int fd, const char *name)
{
	int n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (write(1, buf, n) != n) {
			fprintf(2, "cat: write error\n");
			return -1;
		}
	}
	if (n < 0) {
		fprintf(2, "cat: %s: read error\n", name);
		return -1;
	}
	return 0;
}

int main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2)
		exit(cat_fd(0, "standard input") < 0);
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);

		if (fd < 0) {
			fprintf(2, "cat: cannot open %s\n", argv[i]);
			status = 1;
			continue;
		}
		if (cat_fd(fd, argv[i]) < 0)
			status = 1;
		close(fd);
	}
	exit(status);
}
