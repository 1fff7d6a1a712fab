/*
 * sys.c - system call stubs: put the arguments where the kernel expects
 * them (lib/syscalls.h) and ecall.
 */
#include "sys.h"
#include "errors.h"
#include "printf.h"
#include "syscalls.h"

long sys_call(long number, long arg0, long arg1, long arg2, long arg3, long arg4, long arg5)
{
	register long a0 __asm__("a0") = arg0;
	register long a1 __asm__("a1") = arg1;
	register long a2 __asm__("a2") = arg2;
	register long a3 __asm__("a3") = arg3;
	register long a4 __asm__("a4") = arg4;
	register long a5 __asm__("a5") = arg5;
	register long a7 __asm__("a7") = number;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1)
			 : "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
			 : "memory");
	return a0;
}

int debug_write(const void *buf, size_t len)
{
	return (int)sys_call(SYS_DEBUG_WRITE, (long)buf, (long)len, 0, 0, 0, 0);
}

void exit(int status)
{
	sys_call(SYS_EXIT, status, 0, 0, 0, 0, 0);
	/* The kernel never returns from exit; if it did, fault loudly. */
	for (;;)
		__asm__ volatile("unimp");
}

int yield(void)
{
	return (int)sys_call(SYS_YIELD, 0, 0, 0, 0, 0, 0);
}

int uptime(uint64_t *ticks)
{
	/* LAB 1 BEGIN: trap into SYS_UPTIME; the kernel answers with the error code in a0 and the ticks in a1 */
	/* LAB 1 HINT: sys_call() hands back only a0, so write this ecall the way sys_call() writes its own */
	register long a0 __asm__("a0");
	register long a1 __asm__("a1");
	register long a7 __asm__("a7") = SYS_UPTIME;

	__asm__ volatile("ecall" : "=r"(a0), "=r"(a1) : "r"(a7) : "memory");
	if (a0 == ERR_OK)
		*ticks = (uint64_t)a1;
	return (int)a0;
	/* LAB 1 STUB: (void)ticks; */
	/* LAB 1 STUB: printf("lab 1: uptime not implemented\n"); */
	/* LAB 1 STUB: return ERR_NOT_IMPLEMENTED; */
	/* LAB 1 END */
}
