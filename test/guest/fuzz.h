/*
 * fuzz.h - the pieces every fuzzing guest shares: a seeded xorshift64
 * stream, picking from a table, and one raw ecall with every argument
 * register set. Include in exactly one file per program; each thread that
 * fuzzes keeps its own struct fuzz (the stream is not shared).
 */
#ifndef MICA_FUZZ_H
#define MICA_FUZZ_H

#include <stdint.h>

struct fuzz {
	uint64_t state;      /* never 0 */
};

static inline uint64_t fuzz_next(struct fuzz *f)
{
	f->state ^= f->state << 13;
	f->state ^= f->state >> 7;
	f->state ^= f->state << 17;
	return f->state;
}

/* A number below n (n > 0). */
static inline uint64_t fuzz_below(struct fuzz *f, uint64_t n)
{
	return fuzz_next(f) % n;
}

static inline uint64_t fuzz_pick(struct fuzz *f, const uint64_t *values, unsigned n)
{
	return values[fuzz_below(f, n)];
}

#define FUZZ_PICK(f, table) fuzz_pick((f), (table), sizeof(table) / sizeof((table)[0]))

/* One ecall with a7 = r[7] and a0..a6 = r[0..6]; returns a0. */
static inline uint64_t fuzz_ecall(const uint64_t r[8])
{
	register uint64_t a0 __asm__("a0") = r[0];
	register uint64_t a1 __asm__("a1") = r[1];
	register uint64_t a2 __asm__("a2") = r[2];
	register uint64_t a3 __asm__("a3") = r[3];
	register uint64_t a4 __asm__("a4") = r[4];
	register uint64_t a5 __asm__("a5") = r[5];
	register uint64_t a6 __asm__("a6") = r[6];
	register uint64_t a7 __asm__("a7") = r[7];

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6),
			   "+r"(a7)
			 :
			 : "memory");
	return a0;
}

#endif /* MICA_FUZZ_H */
