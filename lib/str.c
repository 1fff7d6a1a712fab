/*
 * str.c - freestanding memcpy, memset, memcmp and the string helpers the
 * kernel uses too (strlen, strcmp, str_copy); the ones only user programs
 * need (memmove among them) are in str_user.c, so the kernel links none.
 *
 * The kernel zeroes and copies whole pages with memset and memcpy, so those
 * two move a machine word at a time once both pointers share the same
 * alignment; everything else is a plain byte loop. Unaligned words
 * are never touched: on real RISC-V parts they trap to firmware and are slow.
 * This file must be compiled with -ffreestanding: otherwise gcc may recognise
 * the fill loop in memset as "a memset" and compile it into a call to memset
 * itself, which recurses forever. The #error below enforces that.
 */
#include <stdint.h>
#include "str.h"

#if __STDC_HOSTED__
#error "lib/str.c must be compiled with -ffreestanding (see the top of the file)"
#endif

/*
 * The word type used for bulk moves. It must be allowed to alias whatever the
 * caller's buffer really holds (chars, structs, page-table entries), which is
 * what may_alias says; a plain uintptr_t access would break strict aliasing.
 */
typedef uintptr_t __attribute__((__may_alias__)) str_word_t;

#define WORD_SIZE sizeof(str_word_t)

static int word_aligned(const void *p)
{
	return ((uintptr_t)p & (WORD_SIZE - 1)) == 0;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Words once both are aligned, if d and s sit at the same offset
	 * within a word, so that a few byte moves align them both. */
	if ((((uintptr_t)d ^ (uintptr_t)s) & (WORD_SIZE - 1)) == 0) {
		while (n > 0 && !word_aligned(d)) {
			*d++ = *s++;
			n--;
		}
		while (n >= WORD_SIZE) {
			*(str_word_t *)d = *(const str_word_t *)s;
			d += WORD_SIZE;
			s += WORD_SIZE;
			n -= WORD_SIZE;
		}
	}
	while (n > 0) {
		*d++ = *s++;
		n--;
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned char byte = (unsigned char)c;

	while (n > 0 && !word_aligned(d)) {
		*d++ = byte;
		n--;
	}
	if (n >= WORD_SIZE) {
		/* All-ones divided by 0xff is 0x0101...01: one copy of byte in
		 * every byte of the word, whatever the word size. */
		str_word_t pattern = (str_word_t)-1 / 0xff * byte;

		while (n >= WORD_SIZE) {
			*(str_word_t *)d = pattern;
			d += WORD_SIZE;
			n -= WORD_SIZE;
		}
	}
	while (n > 0) {
		*d++ = byte;
		n--;
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a;
	const unsigned char *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	}
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x != '\0' && *x == *y) {
		x++;
		y++;
	}
	return (*x > *y) - (*x < *y);
}

size_t str_copy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
