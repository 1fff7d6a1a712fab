/*
 * cap.h - capabilities, the slots that hold them, and the derivation tree.
 *
 * A capability names one object with some rights. It lives in a slot (a
 * struct cte, "capability table entry") of a CNode, and every slot that
 * holds one is a node of the capability derivation tree (CDT):
 *  - retype makes each new object's first capability a child of the Untyped
 *    capability it came from; copy and mint make children of their source;
 *  - delete removes one capability; its children move up to its parent, at
 *    its place among the siblings, so they stay in the tree;
 *  - revoke deletes every descendant of a capability;
 *  - deleting the last capability to an object destroys the object.
 * Only Untyped and IRQControl capabilities have children that name other
 * objects, and those two cannot be copied; new children are put first
 * among their siblings and a deleted capability's children take its place.
 * So capabilities to one object that share a parent are always next to
 * each other, which makes "is this the last one?" a look at the
 * neighbours (cap_is_final). Slot 0 of a CNode never holds a capability:
 * its cap.size_bits keeps the CNode's radix and its dying_next links
 * CNodes waiting to be emptied. A TCB has slots of its own too (thread.h),
 * which know their thread (holder). Rules for callers: only cap_insert,
 * cap_move, cap_delete and cap_revoke change the tree; never write a slot's
 * links by hand; never copy a struct cte (its place in the tree is its
 * identity); a caller of cap_delete, cap_revoke or cap_drain that gets
 * false makes its system call run again (INVOKE_RESTART).
 */
#ifndef MICA_CAP_H
#define MICA_CAP_H

#include "arch.h"
#include "objects.h"

struct thread;

struct cap {
	uint8_t type;        /* enum obj_type; OBJ_NULL: the slot is empty */
	uint8_t rights;      /* RIGHT_READ | RIGHT_WRITE | RIGHT_GRANT */
	uint8_t size_bits;   /* Untyped: log2 of its bytes; CNode: log2 of its slots */
	uint8_t is_device;   /* Untyped, Frame: device registers, not RAM */
	union {
		struct {
			uint8_t level;       /* PageTable: the level it serves once mapped (1 or 0) */
			uint8_t asid_gen;    /* Frame, PageTable: which owner of `asid` it was mapped in */
			uint16_t asid;       /* Frame, PageTable: the address space it is mapped in,
			                        0 if none; VSpace: its own ASID */
		};
		uint32_t zeroed_pages;   /* Untyped: its bytes from the watermark up to this
		                            many pages are known to be zero (untyped.c) */
	};
	paddr_t paddr;       /* the object's physical address (IRQHandler: its line) */
	uint64_t data;       /* Endpoint, Notification: badge; Untyped: bytes already
	                        retyped; Frame, PageTable: the address it is mapped at */
};

struct cte {
	struct cap cap;
	struct cte *parent;        /* NULL for the roots of the tree (boot capabilities) */
	struct cte *first_child;
	struct cte *next, *prev;   /* siblings, in order */
	union {
		struct cte *dying_next;    /* slot 0 of a CNode: the next one waiting to be emptied */
		struct thread *holder;     /* a TCB's own slot: its thread (NULL in a CNode) */
	};
};

/* Two capabilities that name the same object. */
bool cap_same_object(const struct cap *a, const struct cap *b);
/* True if no other capability names c's object. */
bool cap_is_final(const struct cte *c);

/* Put cap into the empty slot dest as a child of parent (NULL: a root). */
void cap_insert(struct cte *dest, const struct cap *cap, struct cte *parent);
/* Move the capability in src to the empty slot dest, keeping its place in
 * the tree; src ends empty. Moving a slot onto itself changes nothing. */
void cap_move(struct cte *dest, struct cte *src);
/* Delete the capability in c (an empty slot is fine); its children take
 * its place. If it was the last one to its object, the object is destroyed
 * (object_destroy); a CNode destroyed that way is queued for cap_drain().
 * False if it stopped at a preemption point (an interrupt waits): c then
 * holds its capability still, with fewer children. Never stops for a c
 * without children. */
bool cap_delete(struct cte *c);
/* Delete every descendant of c; c itself stays. False as for cap_delete. */
bool cap_revoke(struct cte *c);
/* Empty the CNodes queued by cap_delete, oldest first. False if it stopped
 * at a preemption point, with the rest still queued. */
bool cap_drain(void);

/* The slot at index in the CNode whose slots start at physical address
 * cnode and whose size is 2^radix slots; NULL if index is out of range
 * or cnode is 0. */
static inline struct cte *cnode_slot(paddr_t cnode, unsigned radix, uint64_t index)
{
	if (cnode == 0 || index == 0 || index >= (1ul << radix))
		return NULL;
	return (struct cte *)pa_to_kva(cnode) + index;
}

#endif /* MICA_CAP_H */
