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
	playroot_next_page = bi->free_vaddr + 4096;   /* the first page is the pool's scratch */
	return spawn_pool_init(pool, bi, bits, 0);
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
