/*
 * caps_shared.h - the page test_caps shares with the child it starts
 * (test_child): test_caps says what to do, the child writes back.
 */
#ifndef MICA_CAPS_SHARED_H
#define MICA_CAPS_SHARED_H

#include <stdint.h>

enum child_mode {
	CHILD_REPORT = 1,     /* report through the page and exit */
	CHILD_FAULT,          /* write to address 0 */
	CHILD_SPIN,           /* yield forever */
};

/* Slots of the child's own CNode, as test_caps fills it. */
#define CHILD_SLOT_FRAME 1    /* a read-only copy of the shared frame's capability */

struct caps_shared {
	uint64_t mode;
	uint64_t done;            /* set last by the child */
	uint64_t frame_err;       /* frame_paddr(CHILD_SLOT_FRAME) */
	uint64_t frame_paddr;
	uint64_t map_err;         /* frame_map of its read-only copy, writable */
	uint64_t empty_err;       /* invoking an empty slot */
	uint64_t spins;
	char message[64];
};

#endif /* MICA_CAPS_SHARED_H */
