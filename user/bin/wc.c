/*
 * wc - count the lines, words and bytes of each file named, or of the
 * standard input: "lines words bytes name", and a total for several files.
 * A word is a run of chars that are not space, tab, newline, CR or VT.
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

struct counts {
	int lines, words, bytes;
};

static char buf[4096];

/* Add what fd holds to *c. Returns 0, or -1 on a read error. */
static int wc_fd(int fd, struct counts *c)
{
	int in_word = 0;
	int n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (int i = 0; i < n; i++) {
			c->bytes++;
			if (buf[i] == '\n')
				c->lines++;
			if (strchr(" \t\n\r\v", buf[i]) != 0)
				in_word = 0;
			else if (!in_word) {
				in_word = 1;
				c->words++;
			}
		}
	}
	return n < 0 ? -1 : 0;
}

int main(int argc, char *argv[])
{
	struct counts total = { 0, 0, 0 };
	int status = 0;

	if (argc < 2) {
		if (wc_fd(0, &total) < 0) {
			fprintf(2, "wc: read error\n");
			exit(1);
		}
		printf("%d %d %d\n", total.lines, total.words, total.bytes);
		exit(0);
	}
	for (int i = 1; i < argc; i++) {
		struct counts c = { 0, 0, 0 };
		int fd = open(argv[i], O_RDONLY);

		if (fd < 0) {
			fprintf(2, "wc: cannot open %s\n", argv[i]);
			status = 1;
			continue;
		}
		if (wc_fd(fd, &c) < 0) {
			fprintf(2, "wc: %s: read error\n", argv[i]);
			status = 1;
		}
		close(fd);
		printf("%d %d %d %s\n", c.lines, c.words, c.bytes, argv[i]);
		total.lines += c.lines;
		total.words += c.words;
		total.bytes += c.bytes;
	}
	if (argc > 2)
		printf("%d %d %d total\n", total.lines, total.words, total.bytes);
	exit(status);
}
