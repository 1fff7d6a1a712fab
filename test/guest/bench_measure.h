/*
 * bench_measure.h - how the benchmarks that play root (bench.c,
 * bench_blk.c) count an operation's instructions: rounds of `batch` calls
 * of it, `rounds` times over, keeping the cheapest round; or, for an
 * operation whose path depends on when a device answers, each call
 * counted alone, keeping the cheapest call. Under QEMU
 * -icount shift=0 -smp 1 instret counts guest instructions exactly; a timer
 * interrupt makes a round dearer, so the cheapest is one no tick landed in.
 * Include in one file per program.
 */
#ifndef MICA_BENCH_MEASURE_H
#define MICA_BENCH_MEASURE_H

#include <stdint.h>

static inline uint64_t instret_now(void)
{
	uint64_t n;

	__asm__ volatile("rdinstret %0" : "=r"(n));
	return n;
}

/* One round: n calls of op, returning the instructions they took and
 * leaving in *err the errors of all calls or'ed together. noipa keeps the
 * compiler from specializing the loop for one op and inlining it, so every
 * op, the empty one included, pays the same call through a pointer. */
__attribute__((noipa, unused))
static uint64_t bench_round(int (*op)(void), unsigned n, int *err)
{
	uint64_t start, end;
	unsigned i;
	int e = 0;

	start = instret_now();
	for (i = 0; i < n; i++)
		e |= op();
	end = instret_now();
	*err = e;
	return end - start;
}

/* The cheapest of `rounds` rounds of `batch` calls of op; *err as for
 * bench_round, and the rounds stop at the first error. */
__attribute__((unused))
static uint64_t bench_min(int (*op)(void), unsigned batch, unsigned rounds, int *err)
{
	uint64_t best = ~0ul, cost;
	unsigned r;

	*err = 0;
	for (r = 0; r < rounds && *err == 0; r++) {
		cost = bench_round(op, batch, err);
		if (cost < best)
			best = cost;
	}
	return best;
}

/* The cheapest of n calls of op, each counted alone; *total gets what all
 * of them took together, *err their errors or'ed (and the calls stop at
 * the first). */
__attribute__((noipa, unused))
static uint64_t bench_cheapest(int (*op)(void), unsigned n, uint64_t *total, int *err)
{
	uint64_t best = ~0ul, start, cost;
	unsigned i;

	*total = 0;
	*err = 0;
	for (i = 0; i < n && *err == 0; i++) {
		start = instret_now();
		*err = op();
		cost = instret_now() - start;
		*total += cost;
		if (cost < best)
			best = cost;
	}
	return best;
}

#endif /* MICA_BENCH_MEASURE_H */
