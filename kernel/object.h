/*
 * object.h - the life of a kernel object: made by retype, destroyed with
 * its last capability (docs/capabilities.md).
 *
 * Every object lives in memory that came from an Untyped (boot's objects
 * for root excepted). object_create() turns zeroed memory into an object
 * and returns its first capability; object_cap_removed() undoes what one
 * capability alone held (a frame's or page table's mapping);
 * object_destroy() runs when the last capability is gone and leaves no
 * pointer to the object anywhere in the kernel. None of them can fail.
 */
#ifndef MICA_OBJECT_H
#define MICA_OBJECT_H

#include "cap.h"

/* Log2 of the bytes an object of `type` takes, where size_bits is the
 * retype argument (an Untyped's size, a CNode's radix; ignored otherwise).
 * -1 if `type` cannot be retyped, or not with that size. */
int object_size_bits(unsigned type, unsigned size_bits);

/* Make an object of `type` in the zeroed (or, for device frames, raw)
 * memory at paddr, and fill *cap with its first capability (all rights).
 * A VSpace takes an ASID: the caller checked one is free (vspace_asids_free). */
void object_create(unsigned type, unsigned size_bits, paddr_t paddr, bool is_device,
		   struct cap *cap);
/* May a capability of this type be copied (copy, mint, sending it in a
 * message)? Not the empty slot (nothing to copy), not Untyped and IRQControl, whose children are other objects
 * (cap.h); not PageTable, mapped in one place only (vspace.c); not Reply,
 * one-shot by nature. */
bool object_copyable(unsigned type);
void object_cap_removed(const struct cap *cap);
void object_destroy(const struct cap *cap);

#endif /* MICA_OBJECT_H */
