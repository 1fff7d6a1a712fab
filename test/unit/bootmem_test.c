/*
 * bootmem_test.c - the boot-time free list: adding RAM, carving out
 * reservations (inside, across, around ranges), allocation order, zeroing,
 * and exhaustion. Checked against a page-by-page model after random carving.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "bootmem.h"
#include "errors.h"
#include "fake_arch.h"

#define MiB (1ul << 20)

static struct bootmem bm;

/* Bytes still free. */
static uint64_t free_bytes(const struct bootmem *b)
{
	uint64_t total = 0;
	unsigned i;

	for (i = 0; i < b->nfree; i++)
		total += b->free[i].size;
	return total;
}

static void setup(void)
{
	fake_arch_reset();
	bm = (struct bootmem){ .nfree = 0 };
}

TestSuite(bootmem, .init = setup);

Test(bootmem, add_trims_to_whole_pages)
{
	cr_assert_eq(bootmem_add(&bm, FAKE_RAM_BASE + 100, 3 * PAGE_SIZE), ERR_OK);
	cr_assert_eq(bm.nfree, 1);
	cr_assert_eq(bm.free[0].base, FAKE_RAM_BASE + PAGE_SIZE);
	cr_assert_eq(bm.free[0].size, 2 * PAGE_SIZE);
	/* less than a page adds nothing, and is not an error */
	cr_assert_eq(bootmem_add(&bm, FAKE_RAM_BASE + 10 * PAGE_SIZE + 1, PAGE_SIZE), ERR_OK);
	cr_assert_eq(bm.nfree, 1);
}

Test(bootmem, add_rejects_overlap_and_wrap)
{
	cr_assert_eq(bootmem_add(&bm, FAKE_RAM_BASE, MiB), ERR_OK);
	cr_assert_eq(bootmem_add(&bm, FAKE_RAM_BASE + MiB / 2, MiB), ERR_RANGE);
	cr_assert_eq(bootmem_add(&bm, UINT64_MAX - PAGE_SIZE, 2 * PAGE_SIZE), ERR_INVALID_ARGUMENT);
	cr_assert_eq(bm.nfree, 1);
}

Test(bootmem, add_keeps_ranges_sorted)
{
	cr_assert_eq(bootmem_add(&bm, FAKE_RAM_BASE + 2 * MiB, MiB), ERR_OK);
	cr_assert_eq(bootmem_add(&bm, FAKE_RAM_BASE, MiB), ERR_OK);
	cr_assert_eq(bm.free[0].base, FAKE_RAM_BASE);
	cr_assert_eq(bm.free[1].base, FAKE_RAM_BASE + 2 * MiB);
}

Test(bootmem, add_never_hands_out_page_zero)
{
	cr_assert_eq(bootmem_add(&bm, 0, 4 * PAGE_SIZE), ERR_OK);
	cr_assert_eq(bm.free[0].base, PAGE_SIZE);
}

Test(bootmem, remove_splits_trims_and_drops)
{
	cr_assert_eq(bootmem_add(&bm, FAKE_RAM_BASE, 4 * MiB), ERR_OK);
	/* A hole in the middle, widened outward to whole pages. */
	cr_assert_eq(bootmem_remove(&bm, FAKE_RAM_BASE + MiB + 1, 10), ERR_OK);
	cr_assert_eq(bm.nfree, 2);
	cr_assert_eq(bm.free[0].size, MiB);
	cr_assert_eq(bm.free[1].base, FAKE_RAM_BASE + MiB + PAGE_SIZE);
	/* Across the end of the first range and the start of the second. */
	cr_assert_eq(bootmem_remove(&bm, FAKE_RAM_BASE + MiB / 2, MiB), ERR_OK);
	cr_assert_eq(bm.free[0].size, MiB / 2);
	cr_assert_eq(bm.free[1].base, FAKE_RAM_BASE + MiB + MiB / 2);
	/* Everything below some address. */
	cr_assert_eq(bootmem_remove(&bm, 0, FAKE_RAM_BASE + 2 * MiB), ERR_OK);
	cr_assert_eq(bm.nfree, 1);
	cr_assert_eq(bm.free[0].base, FAKE_RAM_BASE + 2 * MiB);
	cr_assert_eq(free_bytes(&bm), 2 * MiB);
	/* A range that reaches the top of the address space. */
	cr_assert_eq(bootmem_remove(&bm, FAKE_RAM_BASE + 3 * MiB, UINT64_MAX), ERR_OK);
	cr_assert_eq(free_bytes(&bm), MiB);
	/* Nothing there: no change. */
	cr_assert_eq(bootmem_remove(&bm, 0x1000, 0x1000), ERR_OK);
	cr_assert_eq(free_bytes(&bm), MiB);
}

Test(bootmem, remove_reports_a_full_table)
{
	unsigned i;

	cr_assert_eq(bootmem_add(&bm, FAKE_RAM_BASE, 4 * MiB), ERR_OK);
	for (i = 1; i < BOOTMEM_MAX_RANGES; i++)
		cr_assert_eq(bootmem_remove(&bm, FAKE_RAM_BASE + i * 2 * PAGE_SIZE, PAGE_SIZE), ERR_OK);
	cr_assert_eq(bm.nfree, BOOTMEM_MAX_RANGES);
	cr_assert_eq(bootmem_remove(&bm, FAKE_RAM_BASE + MiB, PAGE_SIZE), ERR_RANGE);
	cr_assert_eq(bm.nfree, BOOTMEM_MAX_RANGES, "a failed remove must change nothing");
}

Test(bootmem, alloc_goes_up_zeroes_and_runs_out)
{
	paddr_t a, b, c;

	cr_assert_eq(bootmem_add(&bm, FAKE_RAM_BASE, 2 * PAGE_SIZE), ERR_OK);
	cr_assert_eq(bootmem_add(&bm, FAKE_RAM_BASE + 8 * PAGE_SIZE, PAGE_SIZE), ERR_OK);
	memset(pa_to_kva(FAKE_RAM_BASE), 0xaa, 9 * PAGE_SIZE);
	a = bootmem_alloc_pages(&bm, 1);
	b = bootmem_alloc_pages(&bm, 1);
	c = bootmem_alloc_pages(&bm, 1);
	cr_assert_eq(a, FAKE_RAM_BASE);
	cr_assert_eq(b, FAKE_RAM_BASE + PAGE_SIZE);
	cr_assert_eq(c, FAKE_RAM_BASE + 8 * PAGE_SIZE);
	cr_assert_eq(((uint8_t *)pa_to_kva(c))[PAGE_SIZE - 1], 0);
	cr_assert_eq(((uint8_t *)pa_to_kva(a))[0], 0);
	cr_assert_eq(bootmem_alloc_pages(&bm, 1), 0);
	cr_assert_eq(bm.pages_allocated, 3);
}

/* Random removals against a model that tracks every page separately. */
Test(bootmem, random_removals_match_a_page_model)
{
	enum { PAGES = 1024 };
	static bool model[PAGES];
	unsigned round, i;

	srand(42);
	cr_assert_eq(bootmem_add(&bm, FAKE_RAM_BASE, PAGES * PAGE_SIZE), ERR_OK);
	for (i = 0; i < PAGES; i++)
		model[i] = true;
	for (round = 0; round < 12; round++) {
		uint64_t start = rand() % (PAGES * PAGE_SIZE);
		uint64_t len = rand() % (40 * PAGE_SIZE);
		uint64_t first = start / PAGE_SIZE;
		uint64_t end = (start + len + PAGE_SIZE - 1) / PAGE_SIZE;

		cr_assert_eq(bootmem_remove(&bm, FAKE_RAM_BASE + start, len), ERR_OK);
		if (len == 0)
			continue;
		for (i = first; i < end && i < PAGES; i++)
			model[i] = false;
	}
	for (i = 0; i < PAGES; i++) {
		bool free_in_bm = false;
		unsigned r;

		for (r = 0; r < bm.nfree; r++)
			if (FAKE_RAM_BASE + i * PAGE_SIZE >= bm.free[r].base &&
			    FAKE_RAM_BASE + i * PAGE_SIZE < bm.free[r].base + bm.free[r].size)
				free_in_bm = true;
		cr_assert_eq(free_in_bm, model[i], "page %u: bootmem says %d, model %d",
			     i, free_in_bm, model[i]);
	}
	for (i = 1; i < bm.nfree; i++)
		cr_assert_lt(bm.free[i - 1].base + bm.free[i - 1].size, bm.free[i].base + 1);
}
