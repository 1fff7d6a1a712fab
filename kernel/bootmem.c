/*
 * bootmem.c - a list of free physical ranges, and the page allocator that
 * boot code uses before user space exists.
 *
 * The list starts as the RAM the device tree describes; boot code removes
 * the firmware's reserved regions, the kernel image and the device tree
 * itself, then allocates page by page from the bottom. It is a plain sorted
 * array because it holds a handful of ranges and must work before anything
 * else does. See bootmem.h for the rules.
 */
#include "bootmem.h"
#include "arch.h"
#include "errors.h"
#include "str.h"

int bootmem_add(struct bootmem *bm, uint64_t base, uint64_t size)
{
	uint64_t start, end;
	unsigned i, at;

	if (base + size < base)
		return ERR_INVALID_ARGUMENT;    /* the range wraps */
	start = PAGE_ROUND_UP(base);
	end = PAGE_ROUND_DOWN(base + size);
	if (start == 0)
		start = PAGE_SIZE;      /* 0 means "no page" to bootmem_alloc_pages */
	if (start < base || end <= start)
		return ERR_OK;          /* less than one whole page: nothing to add */
	for (i = 0; i < bm->nfree; i++) {
		const struct mem_range *r = &bm->free[i];

		if (start < r->base + r->size && r->base < end)
			return ERR_RANGE;
	}
	if (bm->nfree == BOOTMEM_MAX_RANGES)
		return ERR_RANGE;
	/* Keep the list sorted: the ranges above start move up one place. */
	for (at = bm->nfree; at > 0 && bm->free[at - 1].base > start; at--)
		bm->free[at] = bm->free[at - 1];
	bm->free[at] = (struct mem_range){ .base = start, .size = end - start };
	bm->nfree++;
	return ERR_OK;
}

/* Append [base, end) to the list if it is not empty; false if the list is full. */
static bool bootmem_keep(struct bootmem *bm, uint64_t base, uint64_t end)
{
	if (base >= end)
		return true;
	if (bm->nfree == BOOTMEM_MAX_RANGES)
		return false;
	bm->free[bm->nfree++] = (struct mem_range){ .base = base, .size = end - base };
	return true;
}

int bootmem_remove(struct bootmem *bm, uint64_t base, uint64_t size)
{
	struct bootmem left = *bm;      /* the new list: bm changes only if it fits */
	uint64_t start = PAGE_ROUND_DOWN(base);
	uint64_t end = base + size;
	unsigned i;

	if (size == 0)
		return ERR_OK;
	/* Widen to whole pages; a range reaching the top of the address space
	 * simply removes everything above start. */
	if (end < base || PAGE_ROUND_UP(end) < end)
		end = UINT64_MAX & ~(PAGE_SIZE - 1);
	else
		end = PAGE_ROUND_UP(end);
	/* What is left of each range is its part below start and its part
	 * above end, in order; only a range with the hole inside it leaves two. */
	left.nfree = 0;
	for (i = 0; i < bm->nfree; i++) {
		uint64_t r_base = bm->free[i].base, r_end = r_base + bm->free[i].size;

		if (!bootmem_keep(&left, r_base, r_end < start ? r_end : start) ||
		    !bootmem_keep(&left, r_base > end ? r_base : end, r_end))
			return ERR_RANGE;
	}
	*bm = left;
	return ERR_OK;
}

paddr_t bootmem_alloc_pages(struct bootmem *bm, uint64_t npages)
{
	uint64_t bytes = npages * PAGE_SIZE;
	unsigned i;

	for (i = 0; i < bm->nfree; i++) {
		struct mem_range *r = &bm->free[i];
		paddr_t page = r->base;

		if (npages == 0 || r->size < bytes)
			continue;
		r->base += bytes;      /* used up, it stays in the list, empty */
		r->size -= bytes;
		bm->pages_allocated += npages;
		memset(pa_to_kva(page), 0, bytes);
		return page;
	}
	return 0;
}
