/*
 * test_wx.c - a user program that writes into its own code. Text is mapped
 * read-execute only (W^X), so the kernel must kill it with a store fault.
 */
#include "printf.h"

int main(void)
{
	volatile unsigned int *code = (volatile unsigned int *)(unsigned long)main;

	printf("test_wx: writing to my own text at %p\n", (void *)code);
	*code = 0;
	printf("test_wx: the write went through -- text is writable!\n");
	return 1;
}
