/*
 * str_user.c - the str.h functions that only user programs use: memmove,
 * strnlen, strncmp and strchr. They are not in str.c so that the kernel,
 * which links str.c, carries no code it never calls. Plain byte loops, but
 * for memmove of regions that do not overlap, which is memcpy's word loop.
 */
#include <stdint.h>
#include "str.h"

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	size_t i;

	/* Compare as integers: relational operators on pointers into different
	 * objects are undefined in C, and the two regions usually are. */
	if ((uintptr_t)d + n <= (uintptr_t)s || (uintptr_t)s + n <= (uintptr_t)d)
		return memcpy(dst, src, n);
	/* They overlap (a buffer shifted in place): copy in the order that
	 * reads each byte before it is overwritten. */
	if ((uintptr_t)d < (uintptr_t)s)
		for (i = 0; i < n; i++)
			d[i] = s[i];
	else
		while (n-- > 0)
			d[n] = s[n];
	return dst;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
		if (x[i] == '\0')
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}
