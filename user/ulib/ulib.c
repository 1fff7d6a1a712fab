/*
 * ulib.c - the string and file helpers of xv6's user library that Mica's
 * lib/str.c does not already provide: strcpy, atoi, gets and stat.
 *
 * memcpy, memmove, memset, memcmp, strlen, strcmp and strchr, which
 * user/user.h also declares, are lib/str.c's (one copy of each in the
 * tree; the compiler calls them too). Their xv6 prototypes take uint or
 * int sizes where lib/str.h says size_t; on RV64 both travel in a full
 * register, so the two agree for every size an xv6 program can pass.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"

char *strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++) != '\0')
		;
	return dst;
}

/* An optional '-', then decimal digits; parsing stops at the first other
 * char, so atoi("12ab") is 12 and atoi("x") is 0, as in xv6. (xv6 takes no
 * sign; reading one is Mica's addition.) */
int atoi(const char *s)
{
	int negative = (*s == '-');
	int n = 0;

	if (negative)
		s++;
	while (*s >= '0' && *s <= '9')
		n = n * 10 + (*s++ - '0');
	return negative ? -n : n;
}

/* Read one line from fd 0 into buf, at most max - 1 chars, the newline
 * kept; always nul-terminated (max >= 1). An empty result means end of
 * input. One read() per char, so that nothing past the line is taken from
 * a file or pipe the caller shares with other processes. */
char *gets(char *buf, int max)
{
	int i = 0;

	while (i + 1 < max) {
		char c;

		if (read(0, &c, 1) != 1)
			break;
		buf[i++] = c;
		if (c == '\n' || c == '\r')
			break;
	}
	if (max > 0)
		buf[i] = '\0';
	return buf;
}

/* stat() and lstat(): open with these flags, fstat, close. */
static int stat_opened(const char *path, int mode, struct stat *st)
{
	int fd = open(path, mode);
	int r;

	if (fd < 0)
		return -1;
	r = fstat(fd, st);
	close(fd);
	return r;
}

int stat(const char *path, struct stat *st)
{
	return stat_opened(path, O_RDONLY, st);
}

int lstat(const char *path, struct stat *st)
{
	return stat_opened(path, O_RDONLY | O_NOFOLLOW, st);
}
