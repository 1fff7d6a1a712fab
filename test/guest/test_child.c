/*
 * test_child.c - the thread test_caps starts in an address space it built
 * from Untyped memory. It has a CNode of its own with one capability (a
 * read-only copy of the shared frame's), and a0 = the shared page. It
 * reports what its capabilities let it do, or faults, or spins, as the
 * shared page asks.
 */
#include "caps_shared.h"
#include "errors.h"
#include "invoke.h"
#include "printf.h"
#include "str.h"
#include "sys.h"

int main(struct caps_shared *shared)
{
	switch (shared->mode) {
	case CHILD_REPORT:
		printf("test_child: running in my own address space\n");
		shared->frame_err = (uint64_t)frame_paddr(CHILD_SLOT_FRAME, &shared->frame_paddr);
		shared->map_err = (uint64_t)frame_map(CHILD_SLOT_FRAME, CHILD_SLOT_FRAME, 0x800000,
						      MAP_READ | MAP_WRITE);
		shared->empty_err = (uint64_t)tcb_resume(5);
		str_copy(shared->message, "hello from the child", sizeof(shared->message));
		shared->done = 1;
		return 0;
	case CHILD_FAULT:
		printf("test_child: writing to address 0\n");
		*(volatile uint64_t *)0 = 1;
		return 1;
	case CHILD_SPIN:
		for (;;) {
			shared->spins++;
			yield();
		}
	default:
		return 2;
	}
}
