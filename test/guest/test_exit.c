/*
 * test_exit.c - exits with status 3: the kernel must report the status and
 * power off reporting failure (the run did not succeed).
 */
#include "printf.h"

int main(void)
{
	printf("test_exit: exiting with status 3\n");
	return 3;
}
