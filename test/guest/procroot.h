/*
 * procroot.h - for guest tests that play root under the process server:
 * start proc (lib/proc_proto.h) from the boot image with a share of
 * memory and a copy of the boot image, then have it run a first process
 * (PROC_BOOT) and wait for that to end. Include in exactly one file per
 * test program, after playroot.h.
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
 * init_arg its argv[1] ("" for none), its fds 0-2 on the console, and
 * wait until that process has exited: *status is its exit status. */
static inline int procroot_run(const struct bootinfo *bi, struct spawn_pool *pool,
			       const char *init, const char *init_arg, long *status)
{
	struct proc_bootimg header = { .magic = PROC_BOOTIMG_MAGIC, .size = bi->bootimg_size };
	struct spawned p;
	struct ipc_msg m = { .mr = { PROC_BOOT_CONSOLE_FDS } };
	cptr_t ep, ut = CPTR_NULL, biggest = CPTR_NULL, boot_ep;
	char block[96];
	uint64_t i, off;
	size_t len;
	int err;

	if ((err = playroot_init(bi, pool, PROCROOT_POOL_BITS)) != ERR_OK)
		return err;
	for (i = 0; i < bi->untyped_count; i++)
		if (!bi->untyped[i].is_device && (biggest == CPTR_NULL ||
		    bi->untyped[i].size_bits > bi->untyped[biggest - bi->untyped_first].size_bits))
			biggest = bi->untyped_first + i;
	ut = pool->next_slot++;
	boot_ep = pool->next_slot++;
	if ((err = untyped_retype(biggest, OBJ_UNTYPED, PROCROOT_PROC_BITS, BOOT_SLOT_CNODE, ut, 1)) ||
	    (err = spawn_object(pool, OBJ_ENDPOINT, 0, &ep)) ||
	    (err = cnode_mint(BOOT_SLOT_CNODE, boot_ep, BOOT_SLOT_CNODE, ep, RIGHT_WRITE, 1)) ||
	    (err = playroot_spawn(pool, &p, "proc", PROC_CNODE_RADIX, CPTR_NULL, PROC_PRIORITY, 0,
				  "proc")) ||
	    (err = procroot_give_page(pool, p.vspace, PROC_BOOTIMG_VADDR, &header, sizeof(header))))
		return err;
	for (off = 0; off < bi->bootimg_size && err == ERR_OK; off += 4096) {
		uint64_t n = bi->bootimg_size - off < 4096 ? bi->bootimg_size - off : 4096;

		err = procroot_give_page(pool, p.vspace, PROC_BOOTIMG_VADDR + 4096 + off,
					 (const char *)bi->bootimg + off, n);
	}
	if ((err != ERR_OK) ||
	    (err = cnode_copy(p.cnode, PROC_SLOT_TCB, BOOT_SLOT_CNODE, p.tcb, RIGHTS_ALL)) ||
	    (err = cnode_copy(p.cnode, PROC_SLOT_CNODE, BOOT_SLOT_CNODE, p.cnode, RIGHTS_ALL)) ||
	    (err = cnode_copy(p.cnode, PROC_SLOT_VSPACE, BOOT_SLOT_CNODE, p.vspace, RIGHTS_ALL)) ||
	    (err = cnode_copy(p.cnode, PROC_SLOT_EP, BOOT_SLOT_CNODE, ep, RIGHTS_ALL)) ||
	    (err = cnode_move(p.cnode, PROC_SLOT_UNTYPED, BOOT_SLOT_CNODE, ut)) ||
	    (err = tcb_resume(p.tcb)))
		return err;
	/* "init\0arg\0": argv[0] is the program's name. */
	len = str_copy(block, init, sizeof(block)) + 1;
	if (init_arg[0] != '\0')
		len += str_copy(block + len, init_arg, sizeof(block) - len) + 1;
	m.info = MSGINFO(PROC_BOOT, 0, 1 + (len + 7) / 8);
	proc_msg_put(&m, 1, block, len);
	err = ipc_call(boot_ep, &m);
	if (err == ERR_OK)
		err = (int)MSGINFO_LABEL(m.info);
	*status = (long)m.mr[0];
	return err;
}

#endif /* MICA_PROCROOT_H */
