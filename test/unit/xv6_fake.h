/*
 * xv6_fake.h - the host side of the xv6 user library's unit tests.
 *
 * The tests compile ulib.c, printf.c and umalloc.c (user/ulib/) and
 * user/bin/sh.c for the host and rename every xv6 API symbol they define
 * or call with an xv6_ prefix (xv6_host.syms), so they neither replace nor
 * call the host's libc functions of the same names. xv6_fake.c stands in for the system calls
 * behind them: write() records what each fd got, read() serves a script,
 * sbrk() hands out a fixed arena; every other call fails with -1.
 */
#ifndef XV6_FAKE_H
#define XV6_FAKE_H

#include <stddef.h>

struct stat;

/* What the code under test calls, under the test build's names. */
void xv6_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void xv6_fprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *xv6_strcpy(char *dst, const char *src);
int xv6_atoi(const char *s);
char *xv6_gets(char *buf, int max);
int xv6_stat(const char *path, struct stat *st);
void *xv6_malloc(unsigned n);
void xv6_free(void *p);

/* The fake system calls' state, reset by fake_reset(). */
#define FAKE_FDS 4
#define FAKE_OUT_MAX 8192
#define FAKE_ARENA (1 << 20)

struct fake_state {
	char out[FAKE_FDS][FAKE_OUT_MAX];   /* what write() got, per fd */
	int out_len[FAKE_FDS];
	int writes;                         /* write() calls */
	const char *in;                     /* what read() on fd 0 serves */
	size_t in_pos;
	int reads;                          /* read() calls */
	size_t brk;                         /* bytes of the arena given out */
	size_t brk_limit;                   /* sbrk() fails beyond this */
	int sbrks;                          /* sbrk() calls */
};
extern struct fake_state fake;
extern char fake_arena[FAKE_ARENA];

void fake_reset(void);

#endif /* XV6_FAKE_H */
