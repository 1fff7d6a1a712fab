/*
 * str.h - memory and string helpers for the kernel, servers and programs.
 *
 * Mica links no libc, yet the compiler emits calls to memcpy, memmove, memset
 * and memcmp on its own (struct copies, zeroed arrays), so every image must
 * define them. These are those definitions, under the standard names and
 * signatures, plus str_copy for bounded copies (lib/str.c; memmove, strnlen,
 * strncmp and strchr, which only user programs use, are in lib/str_user.c). The header is called str.h,
 * not string.h, so it never shadows the host's <string.h> in host builds.
 * Never pass overlapping buffers to memcpy (use memmove), and never pass a
 * pointer that is not a nul-terminated string to the str* functions that have
 * no length bound.
 */
#ifndef MICA_STR_H
#define MICA_STR_H

#include <stddef.h>

/* memcpy copies n bytes from src to dst and returns dst. The two regions must
 * not overlap. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n);

/* memmove copies n bytes from src to dst as if through a temporary buffer, so
 * the regions may overlap. Returns dst. */
void *memmove(void *dst, const void *src, size_t n);

/* memset fills n bytes at dst with (unsigned char)c and returns dst. */
void *memset(void *dst, int c, size_t n);

/* memcmp compares n bytes as unsigned chars: returns <0, 0 or >0 as a is
 * below, equal to or above b at the first byte where they differ. */
int memcmp(const void *a, const void *b, size_t n);

/* strlen returns the number of bytes before the nul terminator of s. */
size_t strlen(const char *s);

/* strnlen returns strlen(s), or max if no nul is found in the first max
 * bytes; it never reads s[max] or beyond. Use it on untrusted buffers. */
size_t strnlen(const char *s, size_t max);

/* strcmp compares two strings as unsigned chars, like memcmp. */
int strcmp(const char *a, const char *b);

/* strncmp compares at most n bytes, stopping early at a nul in either. */
int strncmp(const char *a, const char *b, size_t n);

/* strchr returns the first occurrence of (char)c in s, or NULL. Searching for
 * '\0' returns a pointer to the terminator. */
char *strchr(const char *s, int c);

/*
 * str_copy copies src into dst, a buffer of size bytes, truncating if needed
 * (strlcpy semantics). When size > 0 dst is always nul-terminated; when size
 * is 0 dst is not touched. Returns strlen(src): a result >= size means the
 * copy was truncated. src must be nul-terminated and must not overlap dst.
 */
size_t str_copy(char *dst, const char *src, size_t size);

#endif /* MICA_STR_H */
