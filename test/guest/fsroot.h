/*
 * fsroot.h - for a guest test that plays root: start the block driver
 * (blkdrv.h) and the file system server on the disk in virtio slot 0, each
 * with exactly the capabilities its protocol header lists, supervise them
 * from a thread of their own (a dead driver is started again; a dead fs is
 * reported), and connect the test to the fs as a client.
 *
 * Call fsroot_start() once, first; then use fsroot.c (a connected
 * client, FS_IO_MAX bytes of buffer at fsroot.c.buf). Include after
 * playroot.h and blkdrv.h, in one file per program.
 */
#ifndef MICA_FSROOT_H
#define MICA_FSROOT_H

#include "fs_proto.h"
#include "ipc.h"

#define FSROOT_POOL_BITS 24          /* 16 MiB: both servers and the test */
#define FSROOT_FS_BITS   22          /* the fs's own objects, its memory among them */
#define FSROOT_FS_SLOTS  64
#define FSROOT_FS_PRIORITY 190
#define FSROOT_SUPER_PRIORITY 220    /* above both servers: a death is seen at once */

enum { FSROOT_BADGE_BLK = 1, FSROOT_BADGE_FS = 2 };

static struct {
	struct spawn_pool pool;
	struct blkdrv blk;
	struct spawn_pool fs_pool;
	struct spawned fs;
	cptr_t super_ep, fs_ep, fs_ut, super_tcb;
	cptr_t fs_first_slot;          /* FSROOT_FS_SLOTS of ours for each fs start */
	struct fs_client c;
	cptr_t frames[FS_MAX_PAGES];
	volatile unsigned long blk_restarts;
	volatile int fs_died;
} fsroot;

/* The supervisor: every message on its endpoint is a death. */
static inline void fsroot_supervise(uint64_t unused)
{
	struct ipc_msg m;

	(void)unused;
	while (ipc_recv(fsroot.super_ep, &m) == ERR_OK) {
		if (m.badge == FSROOT_BADGE_BLK) {
			fsroot.blk_restarts++;
			if (blkdrv_restart(&fsroot.blk, &fsroot.pool) != ERR_OK)
				printf("fsroot: cannot restart the block driver\n");
		} else {
			fsroot.fs_died = 1;
			printf("fsroot: the fs died: cause %lu at pc %p\n", m.mr[FAULT_MR_CAUSE],
			       (void *)m.mr[FAULT_MR_PC]);
		}
	}
}

/* Start the fs with its CSpace as lib/fs_proto.h lays it out. */
static inline int fsroot_start_fs(uint64_t flags)
{
	struct spawned *p = &fsroot.fs;
	cptr_t untyped;
	int err;

	fsroot.fs_pool = (struct spawn_pool){ .cnode = BOOT_SLOT_CNODE, .untyped = fsroot.fs_ut,
					      .next_slot = fsroot.fs_first_slot,
					      .end_slot = fsroot.fs_first_slot + FSROOT_FS_SLOTS,
					      .self_vspace = BOOT_SLOT_VSPACE,
					      .scratch = fsroot.pool.scratch };
	if ((err = playroot_spawn(&fsroot.fs_pool, p, "fs", FS_CNODE_RADIX, FS_SLOT_FAULT,
				  FSROOT_FS_PRIORITY, flags, "fs")) ||
	    (err = cnode_copy(p->cnode, FS_SLOT_CNODE, BOOT_SLOT_CNODE, p->cnode, RIGHTS_ALL)) ||
	    (err = cnode_copy(p->cnode, FS_SLOT_VSPACE, BOOT_SLOT_CNODE, p->vspace, RIGHTS_ALL)) ||
	    (err = spawn_object(&fsroot.fs_pool, OBJ_UNTYPED, FS_UNTYPED_BITS, &untyped)) ||
	    (err = cnode_move(p->cnode, FS_SLOT_UNTYPED, BOOT_SLOT_CNODE, untyped)) ||
	    (err = cnode_copy(p->cnode, FS_SLOT_ENDPOINT, BOOT_SLOT_CNODE, fsroot.fs_ep, RIGHT_READ)) ||
	    (err = cnode_mint(p->cnode, FS_SLOT_BLK, BOOT_SLOT_CNODE, fsroot.blk.ep,
			      RIGHT_WRITE | RIGHT_GRANT, FSROOT_BADGE_FS)) ||
	    (err = cnode_mint(p->cnode, FS_SLOT_FAULT, BOOT_SLOT_CNODE, fsroot.super_ep, RIGHT_WRITE,
			      FSROOT_BADGE_FS)))
		return err;
	return tcb_resume(p->tcb);
}

/* A client endpoint of the fs with badge, in a new slot. */
static inline int fsroot_client_ep(uint64_t badge, cptr_t *slot)
{
	*slot = fsroot.pool.next_slot++;
	return cnode_mint(BOOT_SLOT_CNODE, *slot, BOOT_SLOT_CNODE, fsroot.fs_ep,
			  RIGHT_WRITE | RIGHT_GRANT, badge);
}

/* Connect client c (badge) with a fresh buffer of FS_MAX_PAGES frames. */
static inline int fsroot_connect(struct fs_client *c, cptr_t *frames, uint64_t badge)
{
	uint8_t *buf;
	cptr_t ep;
	int err;

	if ((err = fsroot_client_ep(badge, &ep)) ||
	    (err = blkdrv_buffer(&fsroot.pool, FS_MAX_PAGES, &buf, frames)))
		return err;
	return fs_connect(c, ep, buf, frames, FS_MAX_PAGES);
}

/* Start both servers (flags go to each as its a0: SERVER_ARG_INJECT and
 * the quiet flags), the supervisor, and connect fsroot.c as client 1. */
static inline int fsroot_start(const struct bootinfo *bi, uint64_t blk_flags, uint64_t fs_flags)
{
	int err;

	if ((err = playroot_init(bi, &fsroot.pool, FSROOT_POOL_BITS)) ||
	    (err = spawn_object(&fsroot.pool, OBJ_ENDPOINT, 0, &fsroot.super_ep)) ||
	    (err = spawn_object(&fsroot.pool, OBJ_ENDPOINT, 0, &fsroot.fs_ep)) ||
	    (err = spawn_object(&fsroot.pool, OBJ_UNTYPED, FSROOT_FS_BITS, &fsroot.fs_ut)) ||
	    (err = blkdrv_init(&fsroot.blk, &fsroot.pool, fsroot.super_ep, FSROOT_BADGE_BLK,
			       blk_flags)) ||
	    (err = playroot_thread(&fsroot.pool, fsroot_supervise, 0, FSROOT_SUPER_PRIORITY,
				   "supervisor", &fsroot.super_tcb)) ||
	    (err = tcb_resume(fsroot.super_tcb)))
		return err;
	fsroot.fs_first_slot = fsroot.pool.next_slot;
	fsroot.pool.next_slot += FSROOT_FS_SLOTS;
	if ((err = fsroot_start_fs(fs_flags)))
		return err;
	return fsroot_connect(&fsroot.c, fsroot.frames, 1);
}

/* Take the fs away and start a new one (it mounts the disk again);
 * fsroot.c is connected to it anew. */
static inline int fsroot_restart_fs(uint64_t fs_flags)
{
	int err = cnode_revoke(BOOT_SLOT_CNODE, fsroot.fs_ut);

	if (err == ERR_OK)
		err = fsroot_start_fs(fs_flags);
	return err == ERR_OK ? fs_connect(&fsroot.c, fsroot.c.ep, fsroot.c.buf, fsroot.frames,
					  FS_MAX_PAGES) : err;
}

/* Stop both servers and the supervisor, so that the machine powers off
 * when the test ends. */
static inline void fsroot_stop(void)
{
	cnode_delete(BOOT_SLOT_CNODE, fsroot.super_tcb);
	cnode_revoke(BOOT_SLOT_CNODE, fsroot.fs_ut);
	blkdrv_stop(&fsroot.blk);
}

#endif /* MICA_FSROOT_H */
