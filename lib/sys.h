/*
 * sys.h - the user side of Mica's system calls (lib/syscalls.h has the
 * table). Each stub returns the kernel's error code (errors.h): 0 on
 * success. User programs only; the kernel never includes this.
 */
#ifndef MICA_SYS_H
#define MICA_SYS_H

#include <stddef.h>
#include <stdint.h>

/* The raw trap: number in a7, six arguments; returns a0 (the error code). */
long sys_call(long number, long a0, long a1, long a2, long a3, long a4, long a5);

int debug_write(const void *buf, size_t len);
void exit(int status) __attribute__((noreturn));
int yield(void);
/* *ticks = timer ticks since boot (CLOCK_HZ = 100 a second), as xv6's
 * uptime(); *ticks is left alone on error. Lab 1 writes it. */
int uptime(uint64_t *ticks);

/* The `time` counter (10 MHz on QEMU virt), readable from user mode. */
static inline uint64_t time_now(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

#endif /* MICA_SYS_H */
