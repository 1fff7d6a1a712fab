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
	switch (type) {
	case OBJ_UNTYPED:
		if (size_bits < UNTYPED_MIN_BITS || size_bits > UNTYPED_MAX_BITS)
			return -1;
		return (int)size_bits;
	case OBJ_CNODE:
		if (size_bits < CNODE_MIN_RADIX || size_bits > CNODE_MAX_RADIX)
			return -1;
		return (int)size_bits + CNODE_SLOT_BITS;
	case OBJ_TCB:          return TCB_SIZE_BITS;
	case OBJ_ENDPOINT:     return ENDPOINT_SIZE_BITS;
	case OBJ_NOTIFICATION: return NOTIFICATION_SIZE_BITS;
	case OBJ_FRAME:        return FRAME_SIZE_BITS;
	case OBJ_PAGE_TABLE:   return PAGE_TABLE_SIZE_BITS;
	case OBJ_VSPACE:       return VSPACE_SIZE_BITS;
	default:               return -1;   /* the null cap and IRQ rights are not memory */
	}
}

void object_create(unsigned type, unsigned size_bits, paddr_t paddr, bool is_device,
		   struct cap *cap)
{
	*cap = (struct cap){ .type = (uint8_t)type, .rights = RIGHTS_ALL, .paddr = paddr,
			     .is_device = is_device };
	switch (type) {
	case OBJ_UNTYPED:
		cap->size_bits = (uint8_t)size_bits;
		break;
	case OBJ_CNODE:
		/* Slot 0 holds no capability: it keeps the radix (cap_drain). */
		cap->size_bits = (uint8_t)size_bits;
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
	return type != OBJ_UNTYPED && type != OBJ_IRQ_CONTROL && type != OBJ_PAGE_TABLE &&
	       type != OBJ_REPLY;
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
	case OBJ_CNODE:
	case OBJ_FRAME:
		thread_forget(cap);
		break;
	case OBJ_VSPACE:
		thread_forget(cap);
		vspace_destroy(cap);
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
