/*
 * user/user.h - xv6's user API on Mica: the system calls, then the
 * library (strings, printf, malloc), under xv6's names and types.
 *
 * The system calls are messages to Mica's servers (user/ulib/syscalls.c):
 * process calls go to the process server, file calls through it to the
 * file system, console I/O to the console driver. Each returns -1 on any
 * error, as xv6's do; a bad pointer argument is an error, never a crash of
 * the caller or of a server. The last block is Mica's own additions, which
 * no xv6 program uses (docs/xv6-api.md says what differs from xv6).
 */
#ifndef XV6_USER_USER_H
#define XV6_USER_USER_H

#include "kernel/types.h"

struct stat;

/* --- processes ------------------------------------------------------------- */
int fork(void);                       /* child: 0; parent: child's pid; -1 */
void exit(int status) __attribute__((noreturn));
int wait(int *status);                /* a child's pid, its status in *status if not 0 */
int kill(int pid);                    /* the process ends at its next chance */
int exec(const char *path, char **argv);   /* only returns on error (-1) */
int getpid(void);
char *sbrk(int n);                    /* old end of the heap, or (char *)-1 */
int sleep(int ticks);                 /* 10 ms ticks, as uptime() counts them */
int uptime(void);                     /* ticks since boot */

/* --- files ----------------------------------------------------------------- */
int pipe(int fds[2]);                 /* fds[0] reads, fds[1] writes */
int write(int fd, const void *buf, int n);
int read(int fd, void *buf, int n);   /* 0 at end of file */
int close(int fd);
int open(const char *path, int mode); /* mode: kernel/fcntl.h */
int mknod(const char *path, short major, short minor);
int unlink(const char *path);
int fstat(int fd, struct stat *st);
int link(const char *target, const char *path);
int mkdir(const char *path);
int chdir(const char *path);
int dup(int fd);                      /* lowest free fd, sharing fd's offset */

/* --- library (user/ulib/) ---------------------------------------------------- */
int stat(const char *path, struct stat *st);
char *strcpy(char *dst, const char *src);
void *memmove(void *dst, const void *src, int n);
char *strchr(const char *s, char c);
int strcmp(const char *a, const char *b);
void fprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *gets(char *buf, int max);
uint strlen(const char *s);
void *memset(void *dst, int c, uint n);
int atoi(const char *s);
int memcmp(const void *a, const void *b, uint n);
void *memcpy(void *dst, const void *src, uint n);
void *malloc(uint n);
void free(void *p);

/* --- Mica's additions ---------------------------------------------------------- */
/* Make path a symbolic link to target (xv6's symlink lab). */
int symlink(const char *target, const char *path);
/* As stat(), but a symbolic link describes itself, not the file it names. */
int lstat(const char *path, struct stat *st);
/* Write everything the file system holds back to disk, then power the
 * machine off. Returns only on error (-1). */
int poweroff(void);
/* Make the driver called name fault on purpose, as a bug would, for tests
 * and demonstrations of restarting: "blk", the disk driver, faults just
 * before the file server's next request to it (each call in the next of
 * root's ways, lib/root_proto.h), and root restarts it. 0 once the fault
 * is armed; -1 for any other name, or when the system was booted without
 * `inject=1`. */
int driver_crash(const char *name);

#endif /* XV6_USER_USER_H */
