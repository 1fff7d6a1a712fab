/*
 * cap.c - the capability derivation tree: insert, move, delete, revoke.
 *
 * The tree is threaded through the slots themselves (parent, first child,
 * next and previous sibling), so it costs no memory beyond the CNodes user
 * space already paid for. Deleting never recurses: when the last capability
 * to a CNode goes, the CNode joins a queue (threaded through its unused
 * slot 0) that cap_drain() empties slot by slot, so a chain of CNodes a
 * million deep cannot overflow the kernel stack. Every long operation is a
 * loop of small steps (lift one child, delete one leaf, empty one slot),
 * each of which leaves the tree whole; after each step it stops if an
 * interrupt is waiting, and the system call runs again later and finds
 * that much less to do (docs/capabilities.md section 5). See cap.h for the rules.
 */
#include "cap.h"
#include "clock.h"
#include "object.h"
#include "printk.h"
#include "str.h"
#include "thread.h"

_Static_assert(sizeof(struct cte) == 1u << CNODE_SLOT_BITS, "a slot is 2^CNODE_SLOT_BITS bytes");

/* CNodes whose last capability is gone, oldest first (cap_drain). */
static struct cte *dying_head, *dying_tail;

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

/* Move c's first child up into c's parent, just before c: the children
 * of a capability that is being deleted take its place, one at a time. */
static void cap_lift_child(struct cte *c)
{
	struct cte *child = c->first_child;

	/* LAB 3 BEGIN: take child off the front of c's children and put it into c's parent's children, just before c */
	/* LAB 3 HINT: child gets c's parent and sits between c's prev and c; c's remaining children start at child->next */
	/* LAB 3 HINT: then the pointers into child: prev's next (or the parent's first_child) and c's prev */
	c->first_child = child->next;
	if (child->next)
		child->next->prev = NULL;
	child->parent = c->parent;
	child->prev = c->prev;
	child->next = c;
	if (c->prev)
		c->prev->next = child;
	else if (c->parent)
		c->parent->first_child = child;
	c->prev = child;
	/* LAB 3 STUB: (void)child; */
	/* LAB 3 STUB: panic("lab 3: cap_lift_child not implemented (deleting a capability with children)"); */
	/* LAB 3 END */
}

/* The CNode at cnode has lost its last capability: its slots wait for
 * cap_drain(), which starts at slot 1 (slot 0's cap.data is its place). */
static void cap_queue_dying(paddr_t cnode)
{
	struct cte *slot0 = pa_to_kva(cnode);

	slot0->cap.data = 1;
	slot0->dying_next = NULL;
	if (dying_tail)
		dying_tail->dying_next = slot0;
	else
		dying_head = slot0;
	dying_tail = slot0;
}

bool cap_delete(struct cte *c)
{
	struct thread *holder = c->holder;
	struct cap cap = c->cap;
	bool final;

	if (cap.type == OBJ_NULL)
		return true;
	/* Children first, one a step: then c is a leaf, and its children sit
	 * where it was (a copy of c among them, if any: cap_is_final). */
	while (c->first_child) {
		cap_lift_child(c);
		if (clock_preempt_point())
			return false;
	}
	final = cap_is_final(c);
	cap_splice(c, c->next, c->prev);
	*c = (struct cte){ .holder = holder };
	object_cap_removed(&cap);
	if (holder)
		thread_lose(holder, &cap);
	if (!final)
		return true;
	object_destroy(&cap);
	if (cap.type == OBJ_CNODE)
		cap_queue_dying(cap.paddr);
	return true;
}

bool cap_drain(void)
{
	/* LAB 3 BEGIN: empty each CNode on the dying queue slot by slot, stopping (false) after any step if an interrupt waits */
	/* LAB 3 HINT: slot 0 of a dead CNode links the queue (dying_next), keeps its radix (cap.size_bits) and the next slot to empty (cap.data) */
	/* LAB 3 HINT: emptying one CNode may queue others at the tail: take a CNode off the head only once it is empty, and never recurse */
	while (dying_head) {
		struct cte *slot0 = dying_head;

		while (slot0->cap.data < (1ul << slot0->cap.size_bits)) {
			if (!cap_delete(slot0 + slot0->cap.data))
				return false;
			slot0->cap.data++;
			if (clock_preempt_point())
				return false;
		}
		dying_head = slot0->dying_next;
		if (dying_head == NULL)
			dying_tail = NULL;
		slot0->dying_next = NULL;
	}
	return true;
	/* LAB 3 STUB: if (dying_head) */
		/* LAB 3 STUB: panic("lab 3: cap_drain not implemented"); */
	/* LAB 3 STUB: return true; */
	/* LAB 3 END */
}

/* Top down: each child of c in turn is deleted, its own children lifted
 * into its place first, so every capability below c moves at most once. */
bool cap_revoke(struct cte *c)
{
	while (c->first_child)
		if (!cap_delete(c->first_child) || clock_preempt_point())
			return false;
	return true;
}
