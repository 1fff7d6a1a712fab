/*
 * test_illegal.c - a user program that executes an illegal instruction
 * (here: a CSR that only S-mode may touch). The kernel must kill it.
 */
#include "printf.h"

int main(void)
{
	unsigned long satp;

	printf("test_illegal: reading satp from user mode\n");
	__asm__ volatile("csrr %0, satp" : "=r"(satp));
	printf("test_illegal: read satp = %lx -- it should have trapped!\n", satp);
	return 1;
}
