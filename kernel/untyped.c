/*
 * untyped.c - Untyped memory and retype, the only way kernel objects are
 * made after boot (docs/memory.md).
 *
 * An Untyped capability covers 2^size_bits bytes at paddr and remembers how
 * many of them are already retyped (cap.data, a watermark). Retype carves
 * `count` objects from the watermark up, each aligned to its size, and puts
 * their capabilities in consecutive empty slots as children of the Untyped.
 * Memory comes back only as a whole: once the Untyped has no children left
 * (revoke deletes them all), the next retype starts from 0 again. New
 * objects are zeroed first, a page a step with a preemption point after
 * each (cap.zeroed_pages keeps the progress, so a restarted retype goes on
 * where it stopped). An Untyped capability cannot be copied, so no two
 * holders can retype the same bytes.
 */
#include "clock.h"
#include "errors.h"
#include "invoke.h"
#include "object.h"
#include "printk.h"
#include "str.h"
#include "vspace.h"

struct retype {
	unsigned type, size_bits, obj_bits;
	struct cte *dest;             /* the first destination slot */
	uint64_t count, start;       /* objects, and the offset of the first */
};

static int untyped_decode_retype(struct invocation *inv, struct retype *r)
{
	const struct cap *ut = &inv->slot->cap;
	uint64_t first = inv->arg[3], i, end;
	int obj_bits, err;

	r->type = (unsigned)inv->arg[0];
	r->size_bits = (unsigned)inv->arg[1];
	r->count = inv->arg[4];
	obj_bits = inv->arg[0] < OBJ_TYPE_COUNT && inv->arg[1] < 64 ?
		object_size_bits(r->type, r->size_bits) : -1;
	if (obj_bits < 0)
		return ERR_INVALID_ARGUMENT;
	if (ut->is_device && r->type != OBJ_FRAME && r->type != OBJ_UNTYPED)
		return ERR_INVALID_ARGUMENT;    /* device registers are not kernel memory */
	/* LAB 3 BEGIN: an Untyped may be carved into smaller Untypeds: refuse a part that is not smaller */
	/* LAB 3 HINT: cap_same_object() tells an Untyped from the first part carved out of it by size alone */
	if (r->type == OBJ_UNTYPED && r->size_bits >= ut->size_bits)
		return ERR_INVALID_ARGUMENT;    /* a part is smaller than the whole */
	/* LAB 3 STUB: if (r->type == OBJ_UNTYPED) { */
		/* LAB 3 STUB: kprintf("lab 3: untyped_decode_retype not implemented for Untyped parts\n"); */
		/* LAB 3 STUB: return ERR_NOT_IMPLEMENTED; */
	/* LAB 3 STUB: } */
	/* LAB 3 END */
	if (r->count == 0 || r->count > RETYPE_MAX_COUNT)
		return ERR_INVALID_ARGUMENT;
	r->obj_bits = (unsigned)obj_bits;
	for (i = 0; i < r->count; i++) {
		struct cte *slot;

		if (first + i < first)
			return ERR_RANGE;
		err = invoke_slot(inv->caller, inv->arg[2], first + i, RIGHT_WRITE, true, &slot);
		if (err != ERR_OK)
			return err;
		if (i == 0)
			r->dest = slot;
	}
	if (r->type == OBJ_VSPACE && vspace_asids_free() < r->count)
		return ERR_NO_MEMORY;
	/* Start at 0 once every earlier object is gone; align up to the size. */
	r->start = inv->slot->first_child ? ut->data : 0;
	r->start = (r->start + (1ul << r->obj_bits) - 1) & ~((1ul << r->obj_bits) - 1);
	end = r->start + (r->count << r->obj_bits);
	if (r->obj_bits > ut->size_bits || end > (1ul << ut->size_bits) || end < r->start)
		return ERR_NO_MEMORY;
	return ERR_OK;
}

/* Zero the Untyped's bytes from the watermark (or what is known zero)
 * up to end, rounded up to a page within the Untyped, a page a step. False
 * if an interrupt came first; what is done is kept in zeroed_pages. */
static bool untyped_zero(struct cap *ut, uint64_t end)
{
	uint64_t from = (uint64_t)ut->zeroed_pages << PAGE_SHIFT, to = PAGE_ROUND_UP(end), next;

	from = from > ut->data ? from : ut->data;
	to = to < (1ul << ut->size_bits) ? to : 1ul << ut->size_bits;
	for (; from < to; from = next) {
		next = PAGE_ROUND_DOWN(from) + PAGE_SIZE < to ? PAGE_ROUND_DOWN(from) + PAGE_SIZE : to;
		memset(pa_to_kva(ut->paddr + from), 0, next - from);
		if (next % PAGE_SIZE == 0)
			ut->zeroed_pages = (uint32_t)(next >> PAGE_SHIFT);
		if (next < to && clock_preempt_point())
			return false;
	}
	return true;
}

int untyped_invoke(struct invocation *inv)
{
	struct cte *untyped = inv->slot;
	struct retype r;
	uint64_t i;
	int err;

	/* A dead CNode's memory is free only once it is empty. */
	if (!cap_drain())
		return INVOKE_RESTART;
	err = untyped_decode_retype(inv, &r);
	if (err != ERR_OK)
		return err;
	/* Whole again (zeroed_pages stays only while nothing was used). */
	if (untyped->first_child == NULL && untyped->cap.data != 0)
		untyped->cap.data = untyped->cap.zeroed_pages = 0;
	/* Device registers are never written; a new Untyped stays as it is
	 * until it is retyped in turn, so only real objects are zeroed. */
	if (!untyped->cap.is_device && r.type != OBJ_UNTYPED &&
	    !untyped_zero(&untyped->cap, r.start + (r.count << r.obj_bits)))
		return INVOKE_RESTART;
	/* The destination slots are consecutive in one CNode. */
	for (i = 0; i < r.count; i++) {
		paddr_t pa = untyped->cap.paddr + r.start + (i << r.obj_bits);
		struct cap cap;

		object_create(r.type, r.size_bits, pa, untyped->cap.is_device, &cap);
		cap_insert(r.dest + i, &cap, untyped);
	}
	untyped->cap.data = r.start + (r.count << r.obj_bits);
	return ERR_OK;
}
