/*
 * blkdrv.h - for a guest test that plays root: start the block driver
 * (user/blk/) on the disk in virtio slot 0 with exactly the capabilities
 * blk_proto.h lists, and start it again after it died.
 *
 * Each incarnation is built from its own Untyped (d->ut), so revoking that
 * takes back everything the dead one had. The queue's frame is made once
 * and given to every incarnation, never used for anything else, because
 * the device may write into it until the next driver has reset it (root
 * does the same: GRANT_STATE_FRAME). Include after playroot.h, in one
 * file per program.
 */
#ifndef MICA_BLKDRV_H
#define MICA_BLKDRV_H

#include "blk_proto.h"
#include "playroot.h"
#include "str.h"

#define BLKDRV_BITS  20          /* 1 MiB for one incarnation's objects */
#define BLKDRV_SLOTS 64          /* slots of ours they take */
#define BLKDRV_PRIORITY 200

struct blkdrv {
	cptr_t ut;                   /* each incarnation is made of this */
	cptr_t queue;                /* the virtqueue's frame, the same for every one */
	cptr_t device, irq, ep;      /* the device's registers, its line, the clients' endpoint */
	cptr_t fault_ep;             /* where the driver's faults go... */
	uint64_t fault_badge;        /* ...with this badge */
	uint64_t flags;              /* BLK_ARG_* */
	cptr_t first_slot;           /* BLKDRV_SLOTS of ours from here */
	struct spawn_pool pool;      /* the running incarnation's */
	struct spawned p;
};

/* The boot info's slot of the DeviceUntyped called name, or CPTR_NULL. */
static inline cptr_t blkdrv_find_device(const char *name)
{
	uint64_t i;

	for (i = 0; i < playroot_bi->untyped_count; i++)
		if (playroot_bi->untyped[i].is_device && strcmp(playroot_bi->untyped[i].name, name) == 0)
			return playroot_bi->untyped_first + i;
	return CPTR_NULL;
}

/* Build one incarnation and let it run. */
static inline int blkdrv_start(struct blkdrv *d, struct spawn_pool *pool)
{
	struct spawned *p = &d->p;
	cptr_t ntfn, untyped;
	int err;

	d->pool = (struct spawn_pool){ .cnode = BOOT_SLOT_CNODE, .untyped = d->ut,
				       .next_slot = d->first_slot,
				       .end_slot = d->first_slot + BLKDRV_SLOTS,
				       .self_vspace = BOOT_SLOT_VSPACE, .scratch = pool->scratch };
	if ((err = playroot_spawn(&d->pool, p, "blk", BLK_CNODE_RADIX, BLK_SLOT_FAULT,
				  BLKDRV_PRIORITY, d->flags, "blk")) ||
	    (err = cnode_copy(p->cnode, BLK_SLOT_CNODE, BOOT_SLOT_CNODE, p->cnode, RIGHTS_ALL)) ||
	    (err = cnode_copy(p->cnode, BLK_SLOT_VSPACE, BOOT_SLOT_CNODE, p->vspace, RIGHTS_ALL)) ||
	    (err = cnode_copy(p->cnode, BLK_SLOT_TCB, BOOT_SLOT_CNODE, p->tcb, RIGHTS_ALL)) ||
	    (err = cnode_copy(p->cnode, BLK_SLOT_DEVICE, BOOT_SLOT_CNODE, d->device, RIGHTS_ALL)) ||
	    (err = cnode_copy(p->cnode, BLK_SLOT_IRQ, BOOT_SLOT_CNODE, d->irq, RIGHTS_ALL)) ||
	    (err = cnode_copy(p->cnode, BLK_SLOT_ENDPOINT, BOOT_SLOT_CNODE, d->ep, RIGHT_READ)) ||
	    (err = cnode_copy(p->cnode, BLK_SLOT_QUEUE, BOOT_SLOT_CNODE, d->queue, RIGHTS_ALL)) ||
	    (err = cnode_mint(p->cnode, BLK_SLOT_FAULT, BOOT_SLOT_CNODE, d->fault_ep, RIGHT_WRITE,
			      d->fault_badge)) ||
	    (err = spawn_object(&d->pool, OBJ_NOTIFICATION, 0, &ntfn)) ||
	    (err = cnode_copy(p->cnode, BLK_SLOT_NOTIFICATION, BOOT_SLOT_CNODE, ntfn, RIGHTS_ALL)) ||
	    (err = spawn_object(&d->pool, OBJ_UNTYPED, BLK_UNTYPED_BITS, &untyped)) ||
	    (err = cnode_move(p->cnode, BLK_SLOT_UNTYPED, BOOT_SLOT_CNODE, untyped)))
		return err;
	return tcb_resume(p->tcb);
}

/* Make the driver's objects from pool and start it on virtio0: its
 * faults go to fault_ep (ours) with fault_badge; flags go in its a0. */
static inline int blkdrv_init(struct blkdrv *d, struct spawn_pool *pool, cptr_t fault_ep,
			      uint64_t fault_badge, uint64_t flags)
{
	cptr_t untyped = blkdrv_find_device("virtio0"), scratch_frame;
	unsigned irq = 0;
	uint64_t i;
	int err;

	*d = (struct blkdrv){ .fault_ep = fault_ep, .fault_badge = fault_badge, .flags = flags };
	for (i = 0; i < playroot_bi->untyped_count; i++)
		if (playroot_bi->untyped_first + i == untyped)
			irq = playroot_bi->untyped[i].irq;
	if (untyped == CPTR_NULL || pool->next_slot + 2 + BLKDRV_SLOTS > pool->end_slot)
		return ERR_NOT_FOUND;
	d->device = pool->next_slot++;
	d->irq = pool->next_slot++;
	d->first_slot = pool->next_slot;
	pool->next_slot += BLKDRV_SLOTS;
	/* The page tables under the scratch page, where each start loads the
	 * driver's pages, must be the pool's for good: made from d->ut, a
	 * restart would take them, and everything else they map, away. */
	if ((err = spawn_map_new(pool, BOOT_SLOT_VSPACE, pool->scratch, MAP_READ, &scratch_frame)) ||
	    (err = frame_unmap(scratch_frame)) ||
	    (err = untyped_retype(untyped, OBJ_FRAME, 0, BOOT_SLOT_CNODE, d->device, 1)) ||
	    (err = irq_control_get(BOOT_SLOT_IRQ_CONTROL, irq, BOOT_SLOT_CNODE, d->irq)) ||
	    (err = spawn_object(pool, OBJ_ENDPOINT, 0, &d->ep)) ||
	    (err = spawn_object(pool, OBJ_UNTYPED, BLKDRV_BITS, &d->ut)) ||
	    (err = spawn_object(pool, OBJ_FRAME, 0, &d->queue)))
		return err;
	return blkdrv_start(d, pool);
}

/* The driver died (it faulted, or exited): take everything it had back and
 * start a new one. Its clients' calls wait in the endpoint meanwhile. */
static inline int blkdrv_restart(struct blkdrv *d, struct spawn_pool *pool)
{
	int err = cnode_revoke(BOOT_SLOT_CNODE, d->ut);

	return err == ERR_OK ? blkdrv_start(d, pool) : err;
}

/* Take the driver and everything it had away for good (its device, line
 * and endpoint stay ours): with no other thread left, the machine powers
 * off. */
static inline int blkdrv_stop(struct blkdrv *d)
{
	return cnode_revoke(BOOT_SLOT_CNODE, d->ut);
}

/* A badged copy of the driver's endpoint, for client `badge`, in slot. */
static inline int blkdrv_client_ep(struct blkdrv *d, struct spawn_pool *pool, uint64_t badge,
				   cptr_t *slot)
{
	if (pool->next_slot >= pool->end_slot)
		return ERR_RANGE;
	*slot = pool->next_slot++;
	return cnode_mint(BOOT_SLOT_CNODE, *slot, BOOT_SLOT_CNODE, d->ep, RIGHTS_ALL, badge);
}

/* pages fresh frames mapped one after another from a new page of ours;
 * *buf gets where, frames[] their caps. */
static inline int blkdrv_buffer(struct spawn_pool *pool, unsigned pages, uint8_t **buf,
				cptr_t *frames)
{
	unsigned i;
	int err = ERR_OK;

	for (i = 0; err == ERR_OK && i < pages; i++) {
		uint64_t page = playroot_page();

		if (i == 0)
			*buf = (uint8_t *)page;
		err = spawn_map_new(pool, BOOT_SLOT_VSPACE, page, MAP_READ | MAP_WRITE, &frames[i]);
	}
	return err;
}

#endif /* MICA_BLKDRV_H */
