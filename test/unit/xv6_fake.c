/*
 * xv6_fake.c - fake system calls for the host tests of the xv6 user
 * library (xv6_fake.h says how they are wired in).
 */
#include <stdlib.h>
#include <string.h>

#include "xv6_fake.h"

struct fake_state fake;
char fake_arena[FAKE_ARENA] __attribute__((aligned(16)));

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.in = "";
	fake.brk_limit = FAKE_ARENA;
}

int xv6_write(int fd, const void *buf, int n)
{
	fake.writes++;
	if (fd < 0 || fd >= FAKE_FDS || n < 0 || fake.out_len[fd] + n > FAKE_OUT_MAX)
		return -1;
	memcpy(fake.out[fd] + fake.out_len[fd], buf, (size_t)n);
	fake.out_len[fd] += n;
	return n;
}

int xv6_read(int fd, void *buf, int n)
{
	size_t left = strlen(fake.in) - fake.in_pos;
	size_t take = (size_t)n < left ? (size_t)n : left;

	fake.reads++;
	if (fd != 0 || n < 0)
		return -1;
	memcpy(buf, fake.in + fake.in_pos, take);
	fake.in_pos += take;
	return (int)take;
}

char *xv6_sbrk(int n)
{
	size_t old = fake.brk;

	fake.sbrks++;
	if (n < 0 || fake.brk + (size_t)n > fake.brk_limit)
		return (char *)-1;
	fake.brk += (size_t)n;
	return fake_arena + old;
}

/* The rest of the API fails, as on a system that cannot do it. */
int xv6_open(const char *path, int mode) { (void)path; (void)mode; return -1; }
int xv6_close(int fd) { (void)fd; return -1; }
int xv6_fstat(int fd, struct stat *st) { (void)fd; (void)st; return -1; }
int xv6_fork(void) { return -1; }
int xv6_wait(int *status) { (void)status; return -1; }
int xv6_pipe(int *fds) { (void)fds; return -1; }
int xv6_dup(int fd) { (void)fd; return -1; }
int xv6_chdir(const char *path) { (void)path; return -1; }
int xv6_exec(const char *path, char **argv) { (void)path; (void)argv; return -1; }
int xv6_sleep(int ticks) { (void)ticks; return -1; }
void xv6_exit(int status) { (void)status; abort(); }
