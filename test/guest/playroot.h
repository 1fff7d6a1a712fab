/*
 * playroot.h - the first steps of a guest test that plays root: a pool of
 * objects carved from the biggest RAM Untyped (spawn.h), fresh pages of
 * root's own address space to map things at, and threads that run a
 * function of root's program in root's own address space.
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
#include "sys.h"

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

/* Runs fn(arg) on a thread's own stack; the thread ends when fn returns. */
static inline void playroot_thread_main(uint64_t arg, uint64_t fn)
{
	((void (*)(uint64_t))fn)(arg);
	exit(0);
}

/* Make (not resume) a thread of root's address space and CSpace that runs
 * fn(arg) at `priority`, with a stack page below an unmapped guard page,
 * from the pool. */
static inline int playroot_thread(struct spawn_pool *pool, void (*fn)(uint64_t), uint64_t arg,
				  unsigned priority, const char *name, cptr_t *tcb)
{
	uint64_t stack_va, ipc_va;

	playroot_page();                      /* the guard page stays unmapped */
	stack_va = playroot_page();
	ipc_va = playroot_page();
	return spawn_thread(pool, playroot_thread_main, arg, (uint64_t)fn, priority, name,
			    stack_va + 4096, ipc_va, CPTR_NULL, tcb);
}

#endif /* MICA_PLAYROOT_H */
