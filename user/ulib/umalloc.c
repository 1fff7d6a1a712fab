/*
 * umalloc.c - malloc and free for xv6 programs, over sbrk().
 *
 * Every block starts with a struct chunk header that records its size in
 * units of one header (16 bytes, so every block is 16-byte aligned). Free
 * blocks sit in one list sorted by address, so free() can merge a block with
 * its neighbours and the heap does not crumble into small pieces. malloc()
 * takes the first block that is big enough, from its end, and asks sbrk()
 * for at least HEAP_GROW_UNITS more when none is. Memory never goes back to
 * the system. Never free a pointer malloc() did not return, nor one twice.
 */
#include "kernel/types.h"
#include "user/user.h"

struct chunk {
	struct chunk *next;   /* next free block by address (free blocks only) */
	uint64 units;         /* size of the block, this header included */
};

#define CHUNK_SIZE      sizeof(struct chunk)
#define HEAP_GROW_UNITS 4096      /* 64 KiB: fewer, larger sbrk() calls */
#define SBRK_MAX        0x7fffffff

static struct chunk *free_list;   /* free blocks, lowest address first */

void free(void *p)
{
	struct chunk *c, *prev = 0, **link = &free_list;

	if (p == 0)
		return;
	c = (struct chunk *)p - 1;
	while (*link != 0 && *link < c) {
		prev = *link;
		link = &prev->next;
	}
	c->next = *link;
	*link = c;
	if (c->next != 0 && c + c->units == c->next) {
		c->units += c->next->units;
		c->next = c->next->next;
	}
	if (prev != 0 && prev + prev->units == c) {
		prev->units += c->units;
		prev->next = c->next;
	}
}

/* Add a block of at least units to the free list from sbrk(); try the
 * larger HEAP_GROW_UNITS first, and the exact size when memory is short.
 * Returns 0, or -1 when sbrk() cannot give even the exact size. */
static int heap_grow(uint64 units)
{
	uint64 tries[2] = { units < HEAP_GROW_UNITS ? HEAP_GROW_UNITS : units, units };
	/* The break may stand anywhere if the program called sbrk() itself:
	 * pad it to a header's alignment. (Usually the pad is 0, and a new
	 * block lies right after the last one, so free() can merge them.) */
	uint64 pad = -(uint64)sbrk(0) & (CHUNK_SIZE - 1);

	for (int i = 0; i < 2; i++) {
		uint64 bytes = pad + tries[i] * CHUNK_SIZE;
		char *p;
		struct chunk *c;

		if (bytes > SBRK_MAX)
			continue;
		p = sbrk((int)bytes);
		if (p == (char *)-1)
			continue;
		c = (struct chunk *)(p + pad);
		c->units = tries[i];
		free(c + 1);
		return 0;
	}
	return -1;
}

void *malloc(uint nbytes)
{
	uint64 units = ((uint64)nbytes + CHUNK_SIZE - 1) / CHUNK_SIZE + 1;

	for (;;) {
		for (struct chunk **link = &free_list; *link != 0; link = &(*link)->next) {
			struct chunk *c = *link;

			if (c->units == units) {
				*link = c->next;
				return c + 1;
			}
			if (c->units > units) {
				/* Hand out the tail, so the list needs no change. */
				c->units -= units;
				c += c->units;
				c->units = units;
				return c + 1;
			}
		}
		if (heap_grow(units) < 0)
			return 0;
	}
}
