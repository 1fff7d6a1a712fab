/*
 * start.c - where every xv6 program starts. proc (lib/proc_proto.h) starts
 * a program at _start with sp on its stack page, a0 = argc, a1 = argv (the
 * strings and the array on that page) and tp = its IPC buffer. _start
 * sets up the global pointer and calls start_main(), which hands main's
 * return value to exit(): returning from main ends the process.
 * Nothing calls _start; the build links this file first, by name.
 */
#include "kernel/types.h"
#include "user/user.h"

int main(int argc, char **argv);
void start_main(int argc, char **argv) __attribute__((noreturn, used));

__asm__(".section .text.start, \"ax\"\n"
	".globl _start\n"
	"_start:\n"
	".option push\n"
	".option norelax\n"
	"	lla	gp, __global_pointer$\n"
	".option pop\n"
	"	mv	fp, zero\n"
	"	call	start_main\n"
	".previous\n");

void start_main(int argc, char **argv)
{
	exit(main(argc, argv));
}
