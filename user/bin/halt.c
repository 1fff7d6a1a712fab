/*
 * halt - write the file system back to disk and power the machine off.
 */
#include "kernel/types.h"
#include "user/user.h"

int main(void)
{
	poweroff();
	fprintf(2, "halt: the system refused to power off\n");
	exit(1);
}
