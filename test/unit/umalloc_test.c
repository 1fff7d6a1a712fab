/*
 * umalloc_test.c - host tests for malloc and free (user/ulib/umalloc.c)
 * over the fake sbrk() of xv6_fake.c: blocks are aligned, never overlap,
 * keep their contents; freed memory is reused and merged; running out of
 * memory returns 0 without losing what was allocated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>

#include "xv6_fake.h"

TestSuite(umalloc, .init = fake_reset);

Test(umalloc, blocks_are_aligned_and_disjoint_and_keep_their_bytes)
{
	enum { N = 200 };
	unsigned char *p[N];
	unsigned size[N];

	for (int i = 0; i < N; i++) {
		size[i] = (unsigned)(i * 37 % 500);
		p[i] = xv6_malloc(size[i]);
		cr_assert_not_null(p[i]);
		cr_assert_eq((uintptr_t)p[i] % 16, 0);
		cr_assert((char *)p[i] >= fake_arena && (char *)p[i] + size[i] <= fake_arena + fake.brk);
		memset(p[i], i, size[i]);
	}
	for (int i = 0; i < N; i++)
		for (unsigned j = 0; j < size[i]; j++)
			cr_assert_eq(p[i][j], (unsigned char)i, "block %d byte %u was overwritten", i, j);
}

Test(umalloc, freed_memory_is_merged_and_reused)
{
	enum { N = 64 };
	void *p[N];
	size_t brk;

	for (int i = 0; i < N; i++)
		p[i] = xv6_malloc(1000);
	brk = fake.brk;
	/* Free in an order that needs merging on both sides. */
	for (int i = 0; i < N; i += 2)
		xv6_free(p[i]);
	for (int i = 1; i < N; i += 2)
		xv6_free(p[i]);
	/* All of it is one free run again: a block of all of it fits. */
	cr_assert_not_null(xv6_malloc(N * 1000));
	cr_assert_eq(fake.brk, brk, "malloc grew the heap instead of reusing it");
}

Test(umalloc, out_of_memory_returns_0_and_keeps_what_was_given)
{
	unsigned char *a, *b;

	fake.brk_limit = 200 * 1024;
	a = xv6_malloc(100 * 1024);
	cr_assert_not_null(a);
	memset(a, 0x5a, 100 * 1024);
	cr_assert_null(xv6_malloc(150 * 1024));
	cr_assert_null(xv6_malloc(0xffffffffu));
	/* The heap grows by less than its usual step when memory is short. */
	b = xv6_malloc(60 * 1024);
	cr_assert_not_null(b);
	for (int i = 0; i < 100 * 1024; i++)
		cr_assert_eq(a[i], 0x5a);
	xv6_free(a);
	xv6_free(b);
	cr_assert_not_null(xv6_malloc(150 * 1024));
}

Test(umalloc, free_of_null_does_nothing)
{
	xv6_free(NULL);
	cr_assert_eq(fake.sbrks, 0);
}

Test(umalloc, random_malloc_free_never_overlaps)
{
	enum { SLOTS = 50, ROUNDS = 5000 };
	unsigned char *p[SLOTS] = { 0 };
	unsigned size[SLOTS] = { 0 };

	srand(14);
	for (int r = 0; r < ROUNDS; r++) {
		int i = rand() % SLOTS;

		if (p[i] != NULL) {
			for (unsigned j = 0; j < size[i]; j++)
				cr_assert_eq(p[i][j], (unsigned char)i);
			xv6_free(p[i]);
			p[i] = NULL;
			continue;
		}
		size[i] = (unsigned)(rand() % 3000);
		p[i] = xv6_malloc(size[i]);
		cr_assert_not_null(p[i]);
		memset(p[i], i, size[i]);
	}
	cr_assert_lt(fake.brk, 512 * 1024, "the heap grew to %zu bytes for at most 150 KB in use", fake.brk);
}

Test(umalloc, a_break_the_program_moved_itself_is_aligned_first)
{
	unsigned char *p;

	fake.brk = 5;   /* as if the program had called sbrk(5) */
	p = xv6_malloc(10);
	cr_assert_not_null(p);
	cr_assert_eq((uintptr_t)p % 16, 0);
	cr_assert_geq((char *)p, fake_arena + 5 + 16);
}
