/*
 * cnode.c - CNode invocations: copy, mint, move, delete, revoke, describe,
 * and saving a pending reply (whose IPC side is ipc.c's).
 *
 * Every operation names slots as (CNode capability, index): the invoked
 * CNode and argument 0 for the slot it acts on (the destination), and a
 * CNode capability in the caller's CSpace plus an index for a source. The
 * invoked CNode needs the write right (read to describe: the invocation
 * table says, invoke.c checks); a source CNode needs read to copy from and
 * write to move from. The tree work itself is cap.c's; this file decides
 * what is allowed.
 */
#include "errors.h"
#include "invoke.h"
#include "ipc.h"
#include "object.h"
#include "printk.h"

/* copy and mint into dest: args slot, src cnode, src slot, rights[, badge]. */
static int cnode_derive(struct invocation *inv, struct cte *dest, uint64_t badge)
{
	struct cte *src;
	struct cap cap;
	int err = invoke_slot(inv->caller, inv->arg[1], inv->arg[2], RIGHT_READ, false, &src);

	if (err != ERR_OK)
		return err;
	if (dest->cap.type != OBJ_NULL)
		return ERR_SLOT_OCCUPIED;
	if (!object_copyable(src->cap.type))
		return ERR_INVALID_OPERATION;
	cap = src->cap;
	/* LAB 3 BEGIN: narrow the copy (the rights asked for, mint's badge, no mapping) and insert it as src's child */
	/* LAB 3 HINT: decode first: every check that can fail comes before cap_insert, which changes the tree */
	/* LAB 3 HINT: docs/capabilities.md section 6 says which capabilities take a badge, and how often */
	if (badge != 0) {
		if (cap.type != OBJ_ENDPOINT && cap.type != OBJ_NOTIFICATION)
			return ERR_INVALID_ARGUMENT;
		if (cap.data != 0)
			return ERR_IN_USE;          /* a badge, once given, stays */
		cap.data = badge;
	}
	cap.rights &= (uint8_t)(inv->arg[3] & RIGHTS_ALL);
	if (cap.type == OBJ_FRAME)
		cap.asid = 0, cap.data = 0;     /* a new capability is not mapped yet */
	cap_insert(dest, &cap, src);
	return ERR_OK;
	/* LAB 3 STUB: (void)badge; */
	/* LAB 3 STUB: (void)cap; */
	/* LAB 3 STUB: kprintf("lab 3: cnode_derive not implemented\n"); */
	/* LAB 3 STUB: return ERR_NOT_IMPLEMENTED; */
	/* LAB 3 END */
}

static int cnode_move(struct invocation *inv, struct cte *dest)
{
	struct cte *src;
	int err = invoke_slot(inv->caller, inv->arg[1], inv->arg[2], RIGHT_WRITE, false, &src);

	if (err != ERR_OK)
		return err;
	if (dest == src)
		return ERR_OK;
	if (dest->cap.type != OBJ_NULL)
		return ERR_SLOT_OCCUPIED;
	if (src->cap.type == OBJ_REPLY)
		return ERR_INVALID_OPERATION;   /* its caller knows its slot (ipc.c) */
	cap_move(dest, src);
	return ERR_OK;
}

static int cnode_describe(struct invocation *inv, const struct cap *cap)
{
	inv->result[0] = cap->type;
	inv->result[1] = cap->rights;
	inv->result[2] = cap->data;
	inv->result[3] = cap->size_bits;
	inv->result[4] = cap->paddr;
	inv->nresults = 5;
	return ERR_OK;
}

int cnode_invoke(struct invocation *inv)
{
	const struct cap *cn = &inv->slot->cap;
	/* Every CNode invocation names a slot of the invoked CNode first. */
	struct cte *slot = cnode_slot(cn->paddr, cn->size_bits, inv->arg[0]);

	if (slot == NULL)
		return ERR_RANGE;
	switch (inv->label) {
	case INV_CNODE_COPY:
		return cnode_derive(inv, slot, 0);
	case INV_CNODE_MINT:
		return cnode_derive(inv, slot, inv->arg[4]);
	case INV_CNODE_MOVE:
		return cnode_move(inv, slot);
	case INV_CNODE_DESCRIBE:
		return cnode_describe(inv, &slot->cap);
	case INV_CNODE_SAVE_REPLY:
		if (slot->cap.type != OBJ_NULL)
			return ERR_SLOT_OCCUPIED;
		return ipc_save_reply(inv->caller, slot);
	case INV_CNODE_DELETE:
		/* An empty slot is already deleted. Stopped at a preemption
		 * point, the call runs again and goes on where it stopped. */
		return cap_delete(slot) && cap_drain() ? ERR_OK : INVOKE_RESTART;
	case INV_CNODE_REVOKE:
		if (slot->cap.type == OBJ_NULL)
			return ERR_INVALID_CAP;
		if (!cap_revoke(slot) || !cap_drain())
			return INVOKE_RESTART;
		/* A revoked Untyped is whole again (if it still exists: it may
		 * have lived in a CNode the revoke destroyed). */
		if (slot->cap.type == OBJ_UNTYPED)
			slot->cap.data = slot->cap.zeroed_pages = 0;
		return ERR_OK;
	default:
		return ERR_INVALID_OPERATION;
	}
}
