/*
 * fspattern.h - the file system tests' data: the byte at offset x of
 * pattern `seed`, a fill, a count of the bytes that differ from it, and a
 * checksum of a pattern's first n bytes computed without storing them.
 */
#ifndef MICA_FSPATTERN_H
#define MICA_FSPATTERN_H

#include <stddef.h>
#include <stdint.h>

static inline uint8_t fspattern_byte(unsigned seed, uint64_t x)
{
	uint64_t v = (x / 8 + 1) * 0x9e3779b97f4a7c15ull ^ (seed + 1) * 0xbf58476d1ce4e5b9ull;

	v ^= v >> 31;
	return (uint8_t)(v >> (8 * (x % 8)));
}

static inline void fspattern_fill(uint8_t *buf, size_t n, unsigned seed, uint64_t from)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = fspattern_byte(seed, from + i);
}

static inline size_t fspattern_mismatches(const uint8_t *buf, size_t n, unsigned seed, uint64_t from)
{
	size_t i, bad = 0;

	for (i = 0; i < n; i++)
		bad += buf[i] != fspattern_byte(seed, from + i);
	return bad;
}

/* A checksum of n bytes (Fletcher's, 32 bits), continued from sum. */
static inline uint32_t fspattern_sum(uint32_t sum, const uint8_t *buf, size_t n)
{
	uint32_t a = sum & 0xffff, b = sum >> 16;
	size_t i;

	for (i = 0; i < n; i++) {
		a = (a + buf[i]) % 65521;
		b = (b + a) % 65521;
	}
	return b << 16 | a;
}

#endif /* MICA_FSPATTERN_H */
