/*
 * bootinfo.h - what the kernel tells root at boot (DESIGN §4.5): which slot
 * of root's CSpace holds which capability, and where things are.
 *
 * The kernel maps one read-only page holding a struct bootinfo into root
 * and starts root with a0 = its address. Slots BOOT_SLOT_* are fixed; the
 * Untyped capabilities follow in slots untyped_first.. and every slot from
 * first_free_slot to the end of the CNode is empty.
 */
#ifndef MICA_BOOTINFO_H
#define MICA_BOOTINFO_H

#include <stdint.h>

#define BOOTINFO_MAGIC 0x4f464e49544f4f42ul    /* "BOOTINFO" */
#define BOOTINFO_MAX_UNTYPED 96
#define BOOTINFO_ARGS_MAX 256

/* The fixed slots of root's CSpace. Slot 0 is never used (CPTR_NULL). */
enum boot_slot {
	BOOT_SLOT_TCB = 1,          /* root's own thread */
	BOOT_SLOT_CNODE,            /* root's CSpace, this CNode */
	BOOT_SLOT_VSPACE,           /* root's address space */
	BOOT_SLOT_IPC_BUFFER,       /* the frame of root's IPC buffer */
	BOOT_SLOT_BOOTINFO,         /* the frame of this page */
	BOOT_SLOT_IRQ_CONTROL,      /* the right to claim interrupt lines */
	BOOT_SLOT_FIRST_UNTYPED,
};

/* One Untyped capability: a region of RAM, or of a device's registers. */
struct bootinfo_untyped {
	uint64_t paddr;
	uint8_t size_bits;          /* the region is 2^size_bits bytes */
	uint8_t is_device;          /* DeviceUntyped: retypes only into frames */
	uint16_t irq;               /* a device's interrupt line, 0 if none */
	char name[12];              /* "ram", "uart", "virtio0".. "virtio7" */
};

struct bootinfo {
	uint64_t magic;
	uint64_t cnode_size_bits;   /* root's CNode has 2^cnode_size_bits slots */
	uint64_t untyped_first;     /* slot of untyped[0] */
	uint64_t untyped_count;
	uint64_t first_free_slot;
	uint64_t ipc_buffer;        /* user address of root's IPC buffer */
	uint64_t bootimg;           /* user address of the boot image (read-only) */
	uint64_t bootimg_size;
	uint64_t free_vaddr;        /* root's address space is free from here... */
	uint64_t free_vaddr_end;    /* ...to here (page tables not yet made) */
	struct bootinfo_untyped untyped[BOOTINFO_MAX_UNTYPED];
	char bootargs[BOOTINFO_ARGS_MAX];   /* the kernel's boot arguments, NUL-terminated
	                                       (cut at BOOTINFO_ARGS_MAX - 1 bytes) */
};

_Static_assert(sizeof(struct bootinfo) <= 4096, "the boot info fits its page");

#endif /* MICA_BOOTINFO_H */
