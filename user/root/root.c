/*
 * root.c - the first user program the kernel starts.
 *
 * For now it proves that user mode works end to end: it prints from U-mode
 * through the debug system call, reads the time counter the kernel opened
 * to user mode, and exits, which makes the kernel power the machine off.
 * Later root becomes the task that builds and supervises the servers.
 */
#include "printf.h"
#include "sys.h"

int main(void)
{
	uint64_t start = time_now();

	printf("root: hello from user mode\n");
	printf("root: time counter reads %lu ticks since reset\n", start);
	printf("root: nothing else to start yet; exiting\n");
	return 0;
}
