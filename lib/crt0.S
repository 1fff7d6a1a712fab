/*
 * crt0.S - where every user program starts: the kernel enters _start with
 * sp at the top of the stack and a0 = the program's argument. Call main and
 * pass its return value to exit(), so returning from main ends the thread.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	.option push
	.option norelax
	lla	gp, __global_pointer$
	.option pop
	mv	fp, zero
	call	main
	call	exit
1:	j	1b
