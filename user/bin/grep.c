/*
 * grep - print the lines of each file named (or of the standard input)
 * that match a pattern. Patterns are a small regular-expression language:
 * c matches the char c, . any char, x* any run of x (longest first),
 * ^ at the start anchors to the start of the line, $ at the end to its end.
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static int match_here(const char *re, const char *text);

/* Text matches c* followed by rest: try the longest run of c first. */
static int match_star(char c, const char *rest, const char *text)
{
	const char *end = text;

	while (*end != '\0' && (c == '.' || *end == c))
		end++;
	for (;; end--) {
		if (match_here(rest, end))
			return 1;
		if (end == text)
			return 0;
	}
}

/* re matches a prefix of text. */
static int match_here(const char *re, const char *text)
{
	for (;; re++, text++) {
		if (re[0] == '\0')
			return 1;
		if (re[1] == '*')
			return match_star(re[0], re + 2, text);
		if (re[0] == '$' && re[1] == '\0')
			return *text == '\0';
		if (*text == '\0' || (re[0] != '.' && re[0] != *text))
			return 0;
	}
}

/* re matches somewhere in line. */
static int match(const char *re, const char *line)
{
	if (re[0] == '^')
		return match_here(re + 1, line);
	for (;; line++) {
		if (match_here(re, line))
			return 1;
		if (*line == '\0')
			return 0;
	}
}

static char buf[1024];

/* Print the lines of fd that match re. A line longer than the buffer is
 * matched in buffer-sized pieces. Returns 0, or -1 on a read error. */
static int grep_fd(const char *re, int fd)
{
	int len = 0, n;

	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0) {
		char *line = buf, *nl;

		len += n;
		buf[len] = '\0';
		while ((nl = strchr(line, '\n')) != 0) {
			*nl = '\0';
			if (match(re, line)) {
				*nl = '\n';
				write(1, line, nl + 1 - line);
			}
			line = nl + 1;
		}
		len -= line - buf;
		if (len == sizeof(buf) - 1) {
			/* No newline in a full buffer: a piece of a long line. */
			if (match(re, buf))
				printf("%s\n", buf);
			len = 0;
		}
		memmove(buf, line, len);
	}
	if (len > 0) {
		/* The last line had no newline. */
		buf[len] = '\0';
		if (match(re, buf))
			printf("%s\n", buf);
	}
	return n < 0 ? -1 : 0;
}

int main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2) {
		fprintf(2, "usage: grep pattern [file...]\n");
		exit(1);
	}
	if (argc == 2)
		exit(grep_fd(argv[1], 0) < 0);
	for (int i = 2; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);

		if (fd < 0 || grep_fd(argv[1], fd) < 0) {
			fprintf(2, "grep: cannot read %s\n", argv[i]);
			status = 1;
		}
		if (fd >= 0)
			close(fd);
	}
	exit(status);
}
