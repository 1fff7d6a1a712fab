/*
 * fsworkload.h - the crash tests' files: /w/f0../w/f5, each holding the
 * first `size` bytes of its own pattern (fspattern.h) for its current
 * generation, so that a file's whole content follows from (generation,
 * size) and a checksum of it can be computed without keeping it.
 */
#ifndef MICA_FSWORKLOAD_H
#define MICA_FSWORKLOAD_H

#include "fspattern.h"

#define FSW_FILES 6
#define FSW_MAX_SIZE (128u << 10)

/* The pattern seed of file j in generation gen. */
static inline unsigned fsworkload_seed(unsigned j, unsigned gen)
{
	return j * 1000 + gen;
}

/* The checksum of the first size bytes of pattern seed. */
static inline uint32_t fsworkload_sum(unsigned seed, uint64_t size)
{
	static uint8_t chunk[4096];
	uint32_t sum = 0;
	uint64_t at;

	for (at = 0; at < size; at += sizeof(chunk)) {
		size_t n = size - at < sizeof(chunk) ? size - at : sizeof(chunk);

		fspattern_fill(chunk, n, seed, at);
		sum = fspattern_sum(sum, chunk, n);
	}
	return sum;
}

#endif /* MICA_FSWORKLOAD_H */
