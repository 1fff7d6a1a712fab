/*
 * procroot.h - for guest tests that play root under the process server:
 * start proc (lib/proc_proto.h) from the boot image with a share of
 * memory, a copy of the boot image and a configuration naming its first
 * process. Include in exactly one file per test program, after
 * playroot.h.
 */
#ifndef MICA_PROCROOT_H
#define MICA_PROCROOT_H

#include "bootimg.h"
#include "playroot.h"
#include "printf.h"
#include "proc_proto.h"
#include "str.h"

#define PROCROOT_POOL_BITS 25      /* root's own pool: proc's CNode, image, stack */
#define PROCROOT_PROC_BITS 25      /* the memory proc makes processes of */
#define PROCROOT_PRIORITY  100

/* A fresh frame holding len bytes of data (the rest zero), mapped
 * read-only at va in vspace. */
static inline int procroot_give_page(struct spawn_pool *pool, cptr_t vspace, uint64_t va,
				     const void *data, size_t len)
{
	cptr_t frame;
	int err = spawn_map_new(pool, BOOT_SLOT_VSPACE, pool->scratch, MAP_READ | MAP_WRITE, &frame);

	if (err != ERR_OK)
		return err;
	memcpy((void *)pool->scratch, data, len);
	err = frame_unmap(frame);
	return err == ERR_OK ? spawn_map(pool, vspace, frame, va, MAP_READ) : err;
}

/* Start proc with `init` (a boot-image program) as its first process,
 * init_arg its argv[1] ("" for none). */
static inline int procroot_start(const struct bootinfo *bi, struct spawn_pool *pool,
				 const char *init, const char *init_arg)
{
	static struct proc_config config;
	struct spawned p;
	cptr_t ep, ut = CPTR_NULL, biggest = CPTR_NULL;
	uint64_t i, off;
	int err;

	if ((err = playroot_init(bi, pool, PROCROOT_POOL_BITS)) != ERR_OK)
		return err;
	for (i = 0; i < bi->untyped_count; i++)
		if (!bi->untyped[i].is_device && (biggest == CPTR_NULL ||
		    bi->untyped[i].size_bits > bi->untyped[biggest - bi->untyped_first].size_bits))
			biggest = bi->untyped_first + i;
	ut = pool->next_slot++;
	config = (struct proc_config){ .magic = PROC_CONFIG_MAGIC, .bootimg = PROC_BOOTIMG_VADDR,
				       .bootimg_size = bi->bootimg_size, .console_fds = 1,
				       .priority = PROCROOT_PRIORITY };
	str_copy(config.init, init, sizeof(config.init));
	str_copy(config.init_arg, init_arg, sizeof(config.init_arg));
	if ((err = untyped_retype(biggest, OBJ_UNTYPED, PROCROOT_PROC_BITS, BOOT_SLOT_CNODE, ut, 1)) ||
	    (err = spawn_object(pool, OBJ_ENDPOINT, 0, &ep)) ||
	    (err = playroot_spawn(pool, &p, "proc", PROC_CNODE_RADIX, CPTR_NULL, PROCROOT_PRIORITY,
				  PROC_CONFIG_VADDR, "proc")))
		return err;
	for (i = 2; i <= PROC_STACK_PAGES && err == ERR_OK; i++) {
		cptr_t frame;

		err = spawn_map_new(pool, p.vspace, SPAWN_STACK_TOP - i * 4096, MAP_READ | MAP_WRITE,
				    &frame);
	}
	if (err == ERR_OK)
		err = procroot_give_page(pool, p.vspace, PROC_CONFIG_VADDR, &config, sizeof(config));
	for (off = 0; off < bi->bootimg_size && err == ERR_OK; off += 4096) {
		uint64_t n = bi->bootimg_size - off < 4096 ? bi->bootimg_size - off : 4096;

		err = procroot_give_page(pool, p.vspace, PROC_BOOTIMG_VADDR + off,
					 (const char *)bi->bootimg + off, n);
	}
	if ((err != ERR_OK) ||
	    (err = cnode_copy(p.cnode, PROC_SLOT_TCB, BOOT_SLOT_CNODE, p.tcb, RIGHTS_ALL)) ||
	    (err = cnode_copy(p.cnode, PROC_SLOT_CNODE, BOOT_SLOT_CNODE, p.cnode, RIGHTS_ALL)) ||
	    (err = cnode_copy(p.cnode, PROC_SLOT_VSPACE, BOOT_SLOT_CNODE, p.vspace, RIGHTS_ALL)) ||
	    (err = cnode_copy(p.cnode, PROC_SLOT_EP, BOOT_SLOT_CNODE, ep, RIGHTS_ALL)) ||
	    (err = cnode_move(p.cnode, PROC_SLOT_UNTYPED, BOOT_SLOT_CNODE, ut)))
		return err;
	return tcb_resume(p.tcb);
}

#endif /* MICA_PROCROOT_H */
