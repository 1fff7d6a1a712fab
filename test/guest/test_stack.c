/*
 * test_stack.c - unbounded recursion. The page below the user stack is left
 * unmapped, so the thread must die with a store page fault there instead of
 * running over other memory.
 */
#include "printf.h"

static unsigned long recurse(volatile char *previous, unsigned long depth)
{
	volatile char frame[512];

	frame[0] = previous ? previous[0] + 1 : 0;
	if (depth % 16 == 0)
		printf("test_stack: depth %lu, sp near %p\n", depth, (void *)frame);
	/* The guard keeps gcc from proving the recursion endless (and
	 * refusing it); no stack is big enough to reach it. */
	if (depth > 1000000)
		return depth;
	return recurse(frame, depth + 1) + frame[0];
}

int main(void)
{
	printf("test_stack: recursing without end\n");
	printf("test_stack: %lu -- recursion ended?!\n", recurse(0, 0));
	return 1;
}
