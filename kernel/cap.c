/*
 * cap.c - the capability derivation tree: insert, move, delete, revoke.
 *
 * The tree is threaded through the slots themselves (parent, first child,
 * next and previous sibling), so it costs no memory beyond the CNodes user
 * space already paid for. Deleting never recurses: when the last capability
 * to a CNode goes, the CNode is put on a list (threaded through its unused
 * slot 0) and emptied slot by slot by the outermost cap_delete or
 * cap_revoke, so a chain of CNodes a million deep cannot overflow the
 * kernel stack. See cap.h for the rules.
 */
#include "cap.h"
#include "object.h"
#include "printk.h"
#include "str.h"

_Static_assert(sizeof(struct cte) == 1u << CNODE_SLOT_BITS, "a slot is 2^CNODE_SLOT_BITS bytes");

static struct cte *dying_cnodes;   /* CNodes whose last capability is gone */
static bool draining;              /* an outer call is emptying dying_cnodes */


bool cap_same_object(const struct cap *a, const struct cap *b)
{
	if (a->type != b->type || a->paddr != b->paddr)
		return false;
	/* An Untyped and the first Untyped carved from it start at the same
	 * address; their sizes tell them apart (a part is always smaller,
	 * untyped.c). */
	return a->type != OBJ_UNTYPED || a->size_bits == b->size_bits;
}

/* Caps to one object that share a parent are neighbours (cap.h), and a
 * child of anything but an Untyped names its parent's object. */
bool cap_is_final(const struct cte *c)
{
	const struct cte *near[] = { c->parent, c->prev, c->next, c->first_child };
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(near); i++)
		if (near[i] && cap_same_object(&near[i]->cap, &c->cap))
			return false;
	return true;
}

void cap_insert(struct cte *dest, const struct cap *cap, struct cte *parent)
{
	ASSERT(dest->cap.type == OBJ_NULL && cap->type != OBJ_NULL);
	dest->cap = *cap;
	dest->parent = parent;
	dest->first_child = NULL;
	dest->prev = NULL;
	dest->next = parent ? parent->first_child : NULL;
	if (dest->next)
		dest->next->prev = dest;
	if (parent)
		parent->first_child = dest;
}

/* Put the run of siblings first..last in c's place among its parent's
 * children; the run's own links are the caller's. The empty run is
 * first = c->next, last = c->prev: c just leaves. */
static void cap_splice(struct cte *c, struct cte *first, struct cte *last)
{
	if (c->prev)
		c->prev->next = first;
	else if (c->parent)
		c->parent->first_child = first;
	if (c->next)
		c->next->prev = last;
}

void cap_move(struct cte *dest, struct cte *src)
{
	struct cte *child;

	if (dest == src)
		return;
	ASSERT(dest->cap.type == OBJ_NULL && src->cap.type != OBJ_NULL);
	*dest = *src;
	cap_splice(src, dest, dest);
	for (child = dest->first_child; child; child = child->next)
		child->parent = dest;
	memset(src, 0, sizeof(*src));
}

/* Take c out of the tree; its children take its place, in order. */
static void cap_unlink(struct cte *c)
{
	struct cte *child = c->first_child, *last = NULL;

	if (child == NULL) {
		cap_splice(c, c->next, c->prev);
		return;
	}
	/* LAB 3 BEGIN: splice c's children, in order, into c's place among its parent's children */
	/* LAB 3 HINT: each child gets c's parent; the run of children gets c's prev before it and c's next after it */
	/* LAB 3 HINT: then the pointers into the run: prev's next (or the parent's first_child) and next's prev */
	for (; child; child = child->next) {
		child->parent = c->parent;
		last = child;
	}
	c->first_child->prev = c->prev;
	last->next = c->next;
	if (c->prev)
		c->prev->next = c->first_child;
	else if (c->parent)
		c->parent->first_child = c->first_child;
	if (c->next)
		c->next->prev = last;
	/* LAB 3 STUB: (void)last; */
	/* LAB 3 STUB: panic("lab 3: cap_unlink not implemented (deleting a capability with children)"); */
	/* LAB 3 END */
}

/* Delete one capability: undo what this capability alone holds (a mapping),
 * and destroy the object if it was the last one. A CNode is only queued. */
static void cap_delete_one(struct cte *c)
{
	struct cap cap = c->cap;
	bool final;

	if (cap.type == OBJ_NULL)
		return;
	final = cap_is_final(c);
	cap_unlink(c);
	memset(c, 0, sizeof(*c));
	object_cap_removed(&cap);
	if (!final)
		return;
	object_destroy(&cap);
	if (cap.type == OBJ_CNODE) {
		/* Threads have let go of it; its slots wait for cap_drain(). */
		struct cte *slot0 = pa_to_kva(cap.paddr);

		slot0->dying_next = dying_cnodes;
		dying_cnodes = slot0;
	}
}

/* Empty every CNode on the dying list; emptying one may queue others. */
static void cap_drain(void)
{
	/* LAB 3 BEGIN: empty each CNode on dying_cnodes slot by slot, until the list is empty */
	/* LAB 3 HINT: slot 0 of a dead CNode links the list (dying_next) and keeps its radix (cap.size_bits) */
	/* LAB 3 HINT: emptying one CNode may queue others: take each off the list before you empty it, and never recurse */
	while (dying_cnodes) {
		struct cte *slot0 = dying_cnodes;
		struct cte *slot;
		uint64_t i;

		dying_cnodes = slot0->dying_next;
		slot0->dying_next = NULL;
		/* Slot 0 never holds a capability; it keeps the CNode's
		 * radix for this moment (object_create). */
		for (i = 1; i < (1ul << slot0->cap.size_bits); i++) {
			slot = slot0 + i;
			cap_delete_one(slot);
		}
	}
	/* LAB 3 STUB: if (dying_cnodes) */
		/* LAB 3 STUB: panic("lab 3: cap_drain not implemented"); */
	/* LAB 3 END */
}

/* Deleting may queue CNodes; only the outermost call empties them, so the
 * queue is drained in a loop instead of by recursion. */
static bool cap_enter(void)
{
	bool outer = !draining;

	draining = true;
	return outer;
}

static void cap_leave(bool outer)
{
	if (outer) {
		cap_drain();
		draining = false;
	}
}

void cap_delete(struct cte *c)
{
	bool outer = cap_enter();

	cap_delete_one(c);
	cap_leave(outer);
}

void cap_revoke(struct cte *c)
{
	bool outer = cap_enter();

	while (c->first_child) {
		struct cte *leaf = c->first_child;

		while (leaf->first_child)
			leaf = leaf->first_child;
		cap_delete_one(leaf);
	}
	cap_leave(outer);
}
