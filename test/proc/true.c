/*
 * true - does nothing and exits with status 0: the small program
 * procbench's fork_exec_wait runs.
 */
#include "kernel/types.h"
#include "user/user.h"

int main(void)
{
	return 0;
}
