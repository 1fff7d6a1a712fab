/*
 * vspace.h - address spaces as objects: ASIDs, page tables and frames.
 *
 * A VSpace object is the root page table of an address space, and owns an
 * ASID for as long as it lives. Frame and PageTable capabilities record
 * where they are mapped (ASID and address); a mapping belongs to the one
 * capability that made it, so deleting that capability unmaps it, and the
 * ASID (with its generation) lets an unmap find a VSpace that may already
 * be gone, and never the ASID's next owner. A page table
 * cannot be copied and is zeroed when it is unmapped, so its entries are
 * only ever reachable from the one place it is mapped. Rules: the
 * kernel half of every VSpace is the kernel's own and never changes;
 * user mappings are made only by capabilities (boot's mappings for root aside).
 */
#ifndef MICA_VSPACE_H
#define MICA_VSPACE_H

#include "cap.h"

#define ASID_COUNT 1024      /* ASID 0 means "not mapped" */

/* ASIDs not in use. */
unsigned vspace_asids_free(void);
/* Make the zeroed page at root a VSpace (kernel half copied in) and give
 * it a free ASID, which it returns. The caller checked that one is free. */
uint16_t vspace_create(paddr_t root);
void vspace_destroy(const struct cap *cap);
/* Undo the mapping of one Frame or PageTable capability, if it has one;
 * a page table is also emptied. */
void vspace_unmap_cap(const struct cap *cap);

#endif /* MICA_VSPACE_H */
