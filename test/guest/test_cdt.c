/*
 * test_cdt.c - the derivation tree seen from user space: a copy outlives
 * the capability it was copied from and still goes with a revoke; mint
 * only narrows and badges once; a chain of CNodes a thousand deep, each
 * holding the last capability to the next, is emptied by one delete, down
 * to an interrupt line at the bottom; an Untyped is carved into smaller
 * parts only. Plays root; everything comes from one 1 MiB Untyped, which
 * is whole again at the end.
 */
#define CHECK_NAME "test_cdt"
#include "bootinfo.h"
#include "check.h"
#include "invoke.h"

#define SELF        BOOT_SLOT_CNODE
#define POOL_BITS   20
#define CHAIN_DEPTH 1000
#define IRQ_LINE    10

static const struct bootinfo *bi;

static cptr_t ram_untyped(void)
{
	uint64_t i;

	for (i = 0; i < bi->untyped_count; i++)
		if (!bi->untyped[i].is_device && bi->untyped[i].size_bits > POOL_BITS)
			return bi->untyped_first + i;
	return CPTR_NULL;
}

/* The type of the capability in our slot `slot`, and its other fields in *ci. */
static uint64_t type_at(cptr_t slot, struct cap_info *ci)
{
	if (cnode_describe(SELF, slot, ci) != ERR_OK)
		return ~0ul;
	return ci->type;
}

/* A frame, a copy of it, and a copy of the copy; the middle one goes. */
static void delete_in_the_middle(cptr_t pool, cptr_t free)
{
	cptr_t a = free, b = free + 1, c = free + 2;
	struct cap_info ci;
	uint64_t pa = 0, pa_c = 0;

	check("retype a frame", untyped_retype(pool, OBJ_FRAME, 0, SELF, a, 1), ERR_OK);
	check("copy it", cnode_copy(SELF, b, SELF, a, RIGHTS_ALL), ERR_OK);
	check("copy the copy, read-only", cnode_copy(SELF, c, SELF, b, RIGHT_READ), ERR_OK);
	check("the frame's address", frame_paddr(a, &pa), ERR_OK);
	check("delete the middle copy", cnode_delete(SELF, b), ERR_OK);
	check_eq("the copy of the copy is still a frame", type_at(c, &ci), OBJ_FRAME);
	check_eq("still read-only", ci.rights, RIGHT_READ);
	check("and still names the page", frame_paddr(c, &pa_c), ERR_OK);
	check_eq("the same page", pa_c == pa, 1);
	check("delete the original too", cnode_delete(SELF, a), ERR_OK);
	check_eq("the last copy survives", type_at(c, &ci), OBJ_FRAME);
	check("revoke the pool", cnode_revoke(SELF, pool), ERR_OK);
	check_eq("the revoke found the last copy", type_at(c, &ci), OBJ_NULL);
	check_eq("the middle slot stayed empty", type_at(b, &ci), OBJ_NULL);
}

/* Rights only narrow; a badge is given once; a failed mint changes nothing. */
static void mint(cptr_t pool, cptr_t free)
{
	cptr_t ep = free, badged = free + 1, copy = free + 2, third = free + 3, frame = free + 4;
	struct cap_info ci;

	check("retype an endpoint", untyped_retype(pool, OBJ_ENDPOINT, 0, SELF, ep, 1), ERR_OK);
	check("mint it read-only with badge 5", cnode_mint(SELF, badged, SELF, ep, RIGHT_READ, 5), ERR_OK);
	check_eq("the badge", type_at(badged, &ci) == OBJ_ENDPOINT ? ci.data : ~0ul, 5);
	check_eq("the rights", ci.rights, RIGHT_READ);
	check("copy the badged one asking for every right", cnode_copy(SELF, copy, SELF, badged, RIGHTS_ALL),
	      ERR_OK);
	check_eq("a copy gains no rights", type_at(copy, &ci) == OBJ_ENDPOINT ? ci.rights : ~0ul, RIGHT_READ);
	check_eq("and keeps the badge", ci.data, 5);
	check("badge it again", cnode_mint(SELF, third, SELF, copy, RIGHTS_ALL, 6), ERR_IN_USE);
	check_eq("the failed mint left its slot empty", type_at(third, &ci), OBJ_NULL);
	check("mint with badge 0 is a copy", cnode_mint(SELF, third, SELF, copy, RIGHT_WRITE, 0), ERR_OK);
	check_eq("with no rights left", type_at(third, &ci) == OBJ_ENDPOINT ? ci.rights : ~0ul, 0);
	check_eq("and the badge it had", ci.data, 5);
	check("retype a frame", untyped_retype(pool, OBJ_FRAME, 0, SELF, frame, 1), ERR_OK);
	check("a badge on a frame", cnode_mint(SELF, free + 5, SELF, frame, RIGHTS_ALL, 1), ERR_INVALID_ARGUMENT);
	check("copy a frame with no rights", cnode_copy(SELF, free + 5, SELF, frame, 0), ERR_OK);
	check_eq("it has none", type_at(free + 5, &ci) == OBJ_FRAME ? ci.rights : ~0ul, 0);
	check("revoke the pool", cnode_revoke(SELF, pool), ERR_OK);
	check_eq("the badged copies went with it", type_at(copy, &ci), OBJ_NULL);
}

/* CNode i holds, in its slot 1, the last capability to CNode i + 1; the
 * deepest holds an interrupt line. Deleting the first empties them all. */
static void cnode_chain(cptr_t pool, cptr_t free)
{
	cptr_t base = free, spare = free + CHAIN_DEPTH;
	struct cap_info ci;
	int err = ERR_OK, i;

	check("retype a chain of CNodes", untyped_retype_many(pool, OBJ_CNODE, 1, SELF, base, CHAIN_DEPTH), ERR_OK);
	check("claim an interrupt line into the deepest", irq_control_get(BOOT_SLOT_IRQ_CONTROL, IRQ_LINE,
	      base + CHAIN_DEPTH - 1, 1), ERR_OK);
	check("the line is taken", irq_control_get(BOOT_SLOT_IRQ_CONTROL, IRQ_LINE, SELF, spare), ERR_IN_USE);
	for (i = CHAIN_DEPTH - 1; i > 0 && err == ERR_OK; i--)
		err = cnode_move(base + i - 1, 1, SELF, base + i);
	check("move each CNode's capability into the one before", err, ERR_OK);
	check_eq("our slots for them are empty", type_at(base + 1, &ci), OBJ_NULL);
	check("delete the first CNode", cnode_delete(SELF, base), ERR_OK);
	check("the line at the bottom is free again", irq_control_get(BOOT_SLOT_IRQ_CONTROL, IRQ_LINE,
	      SELF, spare), ERR_OK);
	check("give it up", cnode_delete(SELF, spare), ERR_OK);
	check("revoke the pool", cnode_revoke(SELF, pool), ERR_OK);
}

/* An Untyped is carved into smaller Untypeds only. */
static void parts(cptr_t pool, cptr_t free)
{
	struct cap_info ci, pool_ci;

	check("a part as big as the pool", untyped_retype(pool, OBJ_UNTYPED, POOL_BITS, SELF, free, 1),
	      ERR_INVALID_ARGUMENT);
	check("two halves", untyped_retype(pool, OBJ_UNTYPED, POOL_BITS - 1, SELF, free, 2), ERR_OK);
	check("a third half", untyped_retype(pool, OBJ_UNTYPED, POOL_BITS - 1, SELF, free + 2, 1), ERR_NO_MEMORY);
	check_eq("the first half starts where the pool does",
		 type_at(free, &ci) == OBJ_UNTYPED && type_at(pool, &pool_ci) == OBJ_UNTYPED &&
		 ci.paddr == pool_ci.paddr, 1);
	check("a frame from the first half", untyped_retype(free, OBJ_FRAME, 0, SELF, free + 2, 1), ERR_OK);
	check("delete the first half", cnode_delete(SELF, free), ERR_OK);
	check_eq("the pool is still there", type_at(pool, &ci), OBJ_UNTYPED);
	check_eq("and so is the frame", type_at(free + 2, &ci), OBJ_FRAME);
	check("revoke the pool", cnode_revoke(SELF, pool), ERR_OK);
	check_eq("the frame went with it", type_at(free + 2, &ci), OBJ_NULL);
	check_eq("the second half too", type_at(free + 1, &ci), OBJ_NULL);
	check("the whole pool as 256 frames", untyped_retype(pool, OBJ_FRAME, 0, SELF, free, 256), ERR_OK);
	check("revoke the pool", cnode_revoke(SELF, pool), ERR_OK);
}

int main(const struct bootinfo *info)
{
	cptr_t ut, pool, free;

	bi = info;
	ut = ram_untyped();
	pool = info->first_free_slot;
	free = pool + 1;
	check("carve a 1 MiB pool", untyped_retype(ut, OBJ_UNTYPED, POOL_BITS, SELF, pool, 1), ERR_OK);
	delete_in_the_middle(pool, free);
	mint(pool, free);
	cnode_chain(pool, free);
	parts(pool, free);
	check("delete the pool", cnode_delete(SELF, pool), ERR_OK);
	return check_done();
}
