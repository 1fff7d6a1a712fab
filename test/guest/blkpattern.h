/*
 * blkpattern.h - the data the block driver's tests write: every byte a
 * function of its writer, the writer's round, its sector and its place in
 * the sector, so a sector that lands in the wrong place, or comes back from
 * an older round, never reads back right. Include in one file per program.
 */
#ifndef MICA_BLKPATTERN_H
#define MICA_BLKPATTERN_H

#include <stdint.h>

#include "blk_proto.h"

/* Byte i of `sector` after round `round` of writer `who`. */
static inline uint8_t blkpattern_byte(unsigned who, unsigned round, uint64_t sector, unsigned i)
{
	return (uint8_t)(who * 131 + round * 29 + sector * 7 + i * 3 + (i >> 8));
}

/* Fill count sectors at p with what sectors sector.. hold after the round. */
static inline void blkpattern_fill(uint8_t *p, unsigned who, unsigned round, uint64_t sector,
				   unsigned count)
{
	unsigned s, i;

	for (s = 0; s < count; s++)
		for (i = 0; i < BLK_SECTOR_SIZE; i++)
			p[s * BLK_SECTOR_SIZE + i] = blkpattern_byte(who, round, sector + s, i);
}

/* How many bytes of the count sectors at p are not what they should be. */
static inline unsigned long blkpattern_mismatches(const uint8_t *p, unsigned who, unsigned round,
						  uint64_t sector, unsigned count)
{
	unsigned s, i;
	unsigned long bad = 0;

	for (s = 0; s < count; s++)
		for (i = 0; i < BLK_SECTOR_SIZE; i++)
			bad += p[s * BLK_SECTOR_SIZE + i] != blkpattern_byte(who, round, sector + s, i);
	return bad;
}

#endif /* MICA_BLKPATTERN_H */
