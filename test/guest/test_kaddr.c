/*
 * test_kaddr.c - a user program that reads kernel memory. The kernel must
 * kill it with a load page fault at that address, and stay up.
 */
#include "printf.h"

int main(void)
{
	volatile unsigned long *kernel = (volatile unsigned long *)0xffffffc080200000ul;

	printf("test_kaddr: reading kernel address %p\n", (void *)kernel);
	printf("test_kaddr: read %lx -- the kernel let us in!\n", *kernel);
	return 1;
}
