/*
 * playroot.h - the first steps of a guest test that plays root: a pool of
 * objects carved from the biggest RAM Untyped (spawn.h), and fresh pages
 * of root's own address space to map things at.
 *
 * Call playroot_init() once, first. Pages from playroot_page() are never
 * handed out twice; the pool's scratch page is the first of them.
 * Include in exactly one file per test program.
 */
#ifndef MICA_PLAYROOT_H
#define MICA_PLAYROOT_H

#include "bootinfo.h"
#include "errors.h"
#include "invoke.h"
#include "spawn.h"

static const struct bootinfo *playroot_bi;
static uint64_t playroot_next_page;

/* The slot of the biggest RAM Untyped root was given. */
static inline cptr_t playroot_biggest_ram(void)
{
	const struct bootinfo *bi = playroot_bi;
	uint64_t i, best = 0;

	for (i = 1; i < bi->untyped_count; i++)
		if (!bi->untyped[i].is_device &&
		    (bi->untyped[best].is_device || bi->untyped[i].size_bits > bi->untyped[best].size_bits))
			best = i;
	return bi->untyped_first + best;
}

/* A free page of root's address space, never used before. */
static inline uint64_t playroot_page(void)
{
	uint64_t page = playroot_next_page;

	playroot_next_page += 4096;
	return page;
}

/* Fill *pool with a 2^bits-byte Untyped from the biggest RAM one (in the
 * first free slot) and every slot after it. */
static inline int playroot_init(const struct bootinfo *bi, struct spawn_pool *pool, unsigned bits)
{
	playroot_bi = bi;
	playroot_next_page = bi->free_vaddr;
	*pool = (struct spawn_pool){ .cnode = BOOT_SLOT_CNODE, .untyped = bi->first_free_slot,
				     .next_slot = bi->first_free_slot + 1,
				     .end_slot = 1ul << bi->cnode_size_bits,
				     .self_vspace = BOOT_SLOT_VSPACE, .scratch = playroot_page() };
	return untyped_retype(playroot_biggest_ram(), OBJ_UNTYPED, bits, BOOT_SLOT_CNODE,
			      pool->untyped, 1);
}

/* Start the boot-image program `name` (spawn_program) with fault endpoint
 * fault_ep (a slot of the new CSpace) and name the thread `thread_name`. */
static inline int playroot_spawn(struct spawn_pool *pool, struct spawned *p, const char *name,
			  unsigned radix, cptr_t fault_ep, unsigned priority, uint64_t arg,
			  const char *thread_name)
{
	int err = spawn_program(pool, p, (const void *)playroot_bi->bootimg,
				playroot_bi->bootimg_size, name, radix, fault_ep, priority, arg);

	return err == ERR_OK ? tcb_set_name(p->tcb, thread_name) : err;
}

#endif /* MICA_PLAYROOT_H */
