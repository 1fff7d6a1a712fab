/*
 * vspace.c - VSpace, PageTable and Frame objects: ASIDs, and the
 * invocations that map and unmap (see vspace.h for the rules).
 *
 * Building an address space from user space goes: retype a VSpace (the
 * root table), retype page tables and map them at level 1 (one covers
 * 1 GiB) and level 0 (2 MiB), then map 4 KiB frames. Nothing is allocated
 * behind the caller's back: a missing page table is ERR_NO_PAGE_TABLE.
 * A page table has one capability (it cannot be copied) and so at most one
 * mapping, and it is zeroed when that mapping goes. ASIDs are handed out
 * round-robin, so a freed one is reused as late as possible, and flushed
 * from the TLB when it is taken again.
 */
#include "vspace.h"
#include "errors.h"
#include "invoke.h"
#include "str.h"

/* Bytes one table of each level covers: level 0 maps 4 KiB pages. */
#define TABLE_SPAN(level) (1ul << (PAGE_SHIFT + 9 * ((level) + 1)))

static paddr_t asid_roots[ASID_COUNT];   /* 0: free */
/* Bumped each time an ASID's VSpace dies, so a mapping recorded under an
 * earlier owner never matches the next one (it wraps after 256 owners of
 * one ASID, which round-robin reuse makes 256 * 1023 VSpaces apart). */
static uint8_t asid_gen[ASID_COUNT];
static unsigned asid_next = 1;
static unsigned asids_used;

unsigned vspace_asids_free(void)
{
	return ASID_COUNT - 1 - asids_used;
}

uint16_t vspace_create(paddr_t root)
{
	struct vspace vs;

	while (asid_roots[asid_next] != 0)
		asid_next = asid_next % (ASID_COUNT - 1) + 1;
	asid_roots[asid_next] = root;
	asids_used++;
	arch_vspace_init(&vs, root, (uint16_t)asid_next);
	asid_next = asid_next % (ASID_COUNT - 1) + 1;   /* the next search starts past it */
	arch_vspace_flush(vs.asid);     /* forget the ASID's previous owner */
	return vs.asid;
}

void vspace_destroy(const struct cap *cap)
{
	asid_roots[cap->asid] = 0;
	asid_gen[cap->asid]++;
	asids_used--;
	arch_vspace_flush(cap->asid);
}

/* The address space a mapping was recorded in, if it still exists. */
static bool vspace_of_mapping(const struct cap *cap, struct vspace *vs)
{
	uint16_t asid = cap->asid;

	if (asid == 0 || asid >= ASID_COUNT || asid_roots[asid] == 0 || asid_gen[asid] != cap->asid_gen)
		return false;
	vs->root = asid_roots[asid];
	vs->asid = asid;
	return true;
}

void vspace_unmap_cap(const struct cap *cap)
{
	struct vspace vs;

	if (cap->asid == 0)
		return;
	/* A frame is a leaf at level 0; a table serving level L is pointed
	 * at by an entry at level L + 1. */
	if (vspace_of_mapping(cap, &vs))
		arch_vspace_unmap(&vs, cap->data, cap->type == OBJ_FRAME ? 0 : cap->level + 1,
				  cap->paddr);
	/* An unmapped table forgets its entries. Mapped again, at another
	 * address or level, it must not bring old pages along: an old leaf
	 * read at level 1 would be a 2 MiB page over memory the user does
	 * not own. */
	if (cap->type == OBJ_PAGE_TABLE)
		memset(pa_to_kva(cap->paddr), 0, PAGE_SIZE);
}

/* The UNMAP invocation of a Frame or a PageTable: always ERR_OK, mapped
 * or not. */
static int vspace_unmap_slot(struct cte *slot)
{
	vspace_unmap_cap(&slot->cap);
	slot->cap.asid = 0;
	slot->cap.data = 0;
	return ERR_OK;
}

/* Decode what map needs in common: the mapping capability unmapped, the VSpace (args[0]), the address (args[1]) inside user space
 * and aligned to `align`. Inline: without the hint gcc makes it a call on
 * the frame map path (make bench: page_map_unmap, pager_fault). */
static inline int vspace_decode_map(struct invocation *inv, uint64_t align, struct vspace *vs)
{
	struct cte *vspace;
	int err;

	if (inv->slot->cap.asid != 0)
		return ERR_IN_USE;          /* copy the capability to map it twice */
	err = invoke_lookup(inv->caller, inv->arg[0], OBJ_VSPACE, RIGHT_WRITE, &vspace);
	if (err != ERR_OK)
		return err;
	if (inv->arg[1] >= USER_TOP)
		return ERR_INVALID_ARGUMENT;
	if (inv->arg[1] % align != 0)
		return ERR_ALIGNMENT;
	vs->root = vspace->cap.paddr;
	vs->asid = vspace->cap.asid;
	return ERR_OK;
}

int page_table_invoke(struct invocation *inv)
{
	struct cap *pt = &inv->slot->cap;
	uint64_t level = inv->arg[2];
	struct vspace vs;
	int err;

	if (inv->label == INV_PAGE_TABLE_UNMAP)
		return vspace_unmap_slot(inv->slot);
	if (level > 1)
		return ERR_INVALID_ARGUMENT;
	err = vspace_decode_map(inv, TABLE_SPAN(level), &vs);
	if (err != ERR_OK)
		return err;
	/* Fails, changing nothing, if the level above is missing or taken. */
	err = arch_vspace_map_table(&vs, inv->arg[1], (int)level, pt->paddr);
	if (err != ERR_OK)
		return err;
	pt->asid = vs.asid;
	pt->asid_gen = asid_gen[vs.asid];
	pt->data = inv->arg[1];
	pt->level = (uint8_t)level;
	return ERR_OK;
}

int frame_invoke(struct invocation *inv)
{
	struct cap *frame = &inv->slot->cap;
	uint64_t rights = inv->arg[2];
	unsigned vm_perm = 0;
	struct vspace vs;
	int err;

	if (inv->label == INV_FRAME_UNMAP)
		return vspace_unmap_slot(inv->slot);
	if (inv->label == INV_FRAME_PADDR) {
		inv->result[0] = frame->paddr;
		inv->nresults = 1;
		return ERR_OK;
	}
	/* INV_FRAME_MAP (invoke_call() lets no other label through) */
	err = vspace_decode_map(inv, PAGE_SIZE, &vs);
	if (err != ERR_OK)
		return err;
	/* W^X: no page is both writable and executable. */
	if (rights == 0 || rights > (MAP_READ | MAP_WRITE | MAP_EXEC) ||
	    (rights & (MAP_WRITE | MAP_EXEC)) == (MAP_WRITE | MAP_EXEC))
		return ERR_INVALID_ARGUMENT;
	/* Sv39 has no write-only pages: every mapping can be read. */
	if (!(frame->rights & RIGHT_READ) || ((rights & MAP_WRITE) && !(frame->rights & RIGHT_WRITE)))
		return ERR_NO_RIGHTS;
	vm_perm |= rights & MAP_READ ? VM_READ : 0;
	vm_perm |= rights & MAP_WRITE ? VM_WRITE : 0;
	vm_perm |= rights & MAP_EXEC ? VM_EXEC : 0;
	/* Fails, changing nothing, if a page table is missing or the page is taken. */
	err = arch_vspace_map(&vs, inv->arg[1], frame->paddr, vm_perm, NULL);
	if (err != ERR_OK)
		return err;
	frame->asid = vs.asid;
	frame->asid_gen = asid_gen[vs.asid];
	frame->data = inv->arg[1];
	return ERR_OK;
}
