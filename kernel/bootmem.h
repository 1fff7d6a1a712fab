/*
 * bootmem.h - physical memory while the kernel boots.
 *
 * Rules:
 *  - only boot code allocates from it (page tables, root's objects and
 *    pages); then everything left is handed to root as Untyped memory
 *    (boot_root), and the kernel allocates nothing on its own again;
 *  - every address is page-aligned: bootmem_add trims inward, bootmem_remove
 *    widens outward, so a reserved byte is never handed out;
 *  - pages come out zeroed.
 */
#ifndef MICA_BOOTMEM_H
#define MICA_BOOTMEM_H

#include "machine.h"
#include "types.h"

#define BOOTMEM_MAX_RANGES 32

struct bootmem {
	struct mem_range free[BOOTMEM_MAX_RANGES];   /* sorted, disjoint; allocation
	                                                leaves used-up ones, empty */
	unsigned nfree;
	uint64_t pages_allocated;
};

/* Add [base, base+size) as usable RAM. ERR_RANGE if the table is full or the
 * range overlaps one already added; ERR_INVALID_ARGUMENT if it wraps. */
int bootmem_add(struct bootmem *bm, uint64_t base, uint64_t size);
/* Take [base, base+size) out of the usable RAM (it may overlap several
 * ranges, or none). ERR_RANGE if splitting a range would overflow the table. */
int bootmem_remove(struct bootmem *bm, uint64_t base, uint64_t size);
/* npages contiguous zeroed pages from the lowest range that has them, or 0
 * if memory is exhausted. */
paddr_t bootmem_alloc_pages(struct bootmem *bm, uint64_t npages);

#endif /* MICA_BOOTMEM_H */
