/*
 * object.c - object sizes, creation and destruction, by type.
 *
 * This file only dispatches: what a type needs at birth and death lives
 * with the type (thread.c, vspace.c, irq.c, ipc.c, notification.c).
 */
#include "object.h"
#include "ipc.h"
#include "irq.h"
#include "thread.h"
#include "vspace.h"

int object_size_bits(unsigned type, unsigned size_bits)
{
	/* The types of one size; 0 for those that are not memory (the null
	 * cap, the IRQ rights, Reply) or come in many sizes. */
	static const uint8_t fixed_bits[OBJ_TYPE_COUNT] = {
		[OBJ_TCB] = TCB_SIZE_BITS, [OBJ_ENDPOINT] = ENDPOINT_SIZE_BITS,
		[OBJ_NOTIFICATION] = NOTIFICATION_SIZE_BITS, [OBJ_FRAME] = FRAME_SIZE_BITS,
		[OBJ_PAGE_TABLE] = PAGE_TABLE_SIZE_BITS, [OBJ_VSPACE] = VSPACE_SIZE_BITS,
	};

	if (type == OBJ_UNTYPED && size_bits >= UNTYPED_MIN_BITS && size_bits <= UNTYPED_MAX_BITS)
		return (int)size_bits;
	if (type == OBJ_CNODE && size_bits >= CNODE_MIN_RADIX && size_bits <= CNODE_MAX_RADIX)
		return (int)size_bits + CNODE_SLOT_BITS;
	return type < OBJ_TYPE_COUNT && fixed_bits[type] ? fixed_bits[type] : -1;
}

void object_create(unsigned type, unsigned size_bits, paddr_t paddr, bool is_device,
		   struct cap *cap)
{
	/* Only Untyped and CNode come in more than one size (cap.h). */
	bool sized = type == OBJ_UNTYPED || type == OBJ_CNODE;

	*cap = (struct cap){ .type = (uint8_t)type, .rights = RIGHTS_ALL, .paddr = paddr,
			     .is_device = is_device, .size_bits = sized ? (uint8_t)size_bits : 0 };
	switch (type) {
	case OBJ_CNODE:
		/* Slot 0 holds no capability: it keeps the radix (cap_drain). */
		((struct cte *)pa_to_kva(paddr))->cap.size_bits = (uint8_t)size_bits;
		break;
	case OBJ_TCB:
		thread_init(pa_to_kva(paddr));
		break;
	case OBJ_VSPACE:
		cap->asid = vspace_create(paddr);
		break;
	default:
		break;
	}
}

bool object_copyable(unsigned type)
{
	return type != OBJ_NULL && type != OBJ_UNTYPED && type != OBJ_IRQ_CONTROL &&
	       type != OBJ_PAGE_TABLE && type != OBJ_REPLY;
}

void object_cap_removed(const struct cap *cap)
{
	if (cap->type == OBJ_FRAME || cap->type == OBJ_PAGE_TABLE)
		vspace_unmap_cap(cap);
}

void object_destroy(const struct cap *cap)
{
	switch (cap->type) {
	case OBJ_TCB:
		thread_destroy(pa_to_kva(cap->paddr));
		break;
	case OBJ_VSPACE:
		vspace_destroy(cap);    /* no thread runs in it: each holds a cap to its own */
		break;
	case OBJ_IRQ_HANDLER:
		irq_release((uint32_t)cap->paddr);
		break;
	case OBJ_ENDPOINT:
		ep_destroy(pa_to_kva(cap->paddr));
		break;
	case OBJ_NOTIFICATION:
		ntfn_destroy(pa_to_kva(cap->paddr));
		break;
	case OBJ_REPLY:
		reply_destroyed(cap);
		break;
	default:
		break;
	}
}
