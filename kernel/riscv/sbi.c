/*
 * sbi.c - what the firmware does for the kernel, through the SBI (the
 * Supervisor Binary Interface): the console, the timer and power-off of
 * arch.h, each one ecall into OpenSBI in M-mode. Nothing else reaches M-mode.
 *
 * SBI calling convention: extension id in a7, function id in a6, arguments in
 * a0..a5; the firmware returns an error in a0 and a value in a1. The console
 * uses the legacy extension because OpenSBI 1.1 has no debug console (DBCN).
 * Never call these with interrupts enabled in the middle of a multi-step
 * operation: the firmware call is atomic, the caller's sequence is not.
 */
#include "arch.h"
#include "irqoff.h"

#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_TIME           0x54494D45  /* "TIME" */
#define SBI_EXT_SRST           0x53525354  /* "SRST" */

#define SRST_TYPE_SHUTDOWN     0
#define SRST_REASON_NONE       0
#define SRST_REASON_FAILURE    1

/* One SBI call. None of the kernel's can fail in a way it could handle, so
 * the error (a0) and value (a1) are only marked as clobbered. */
static void sbi_call(long ext, long fid, long arg0, long arg1)
{
	register long a0 __asm__("a0") = arg0;
	register long a1 __asm__("a1") = arg1;
	register long a6 __asm__("a6") = fid;
	register long a7 __asm__("a7") = ext;

	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
}

void arch_console_putc(char c)
{
	sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)c, 0);
}

void arch_timer_arm(uint64_t deadline)
{
	sbi_call(SBI_EXT_TIME, 0, (long)deadline, 0);
}

void arch_poweroff(bool failure)
{
	long reason = failure ? SRST_REASON_FAILURE : SRST_REASON_NONE;

	irqoff_report();
	sbi_call(SBI_EXT_SRST, 0, SRST_TYPE_SHUTDOWN, reason);
	/* Only reached if the firmware has no system reset. */
	for (;;)
		__asm__ volatile("wfi");
}
