/*
 * test_capsbad.c - every invocation, wrong: wrong slot, wrong type, missing
 * right, bad size, bad address, short message. Each must come back with its
 * documented error and change nothing; the kernel must not notice anything
 * but the error codes. Runs as root.
 */
#define CHECK_NAME "test_capsbad"
#include "bootinfo.h"
#include "check.h"
#include "invoke.h"
#include "msg.h"
#include "spawn.h"
#include "sys.h"
#include "syscalls.h"

#define SELF BOOT_SLOT_CNODE
#define FAR_AWAY 0x2000000000ul     /* 128 GiB: no page table there yet */

static const struct bootinfo *bi;

static cptr_t ram_untyped(void)
{
	uint64_t i;

	for (i = 0; i < bi->untyped_count; i++)
		if (!bi->untyped[i].is_device && bi->untyped[i].size_bits >= 20)
			return bi->untyped_first + i;
	return CPTR_NULL;
}

static cptr_t device_untyped(void)
{
	uint64_t i;

	for (i = 0; i < bi->untyped_count; i++)
		if (bi->untyped[i].is_device)
			return bi->untyped_first + i;
	return CPTR_NULL;
}

/* The raw system call, to send what no stub would. */
static long raw_call(cptr_t cap, uint64_t info, uint64_t mr0)
{
	register uint64_t a0 __asm__("a0") = cap;
	register uint64_t a1 __asm__("a1") = info;
	register uint64_t a2 __asm__("a2") = mr0;
	register uint64_t a7 __asm__("a7") = SYS_CALL;

	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2) : "r"(a7) : "memory", "a3", "a4", "a5");
	return (long)a0;
}

int main(const struct bootinfo *info)
{
	cptr_t free = info->first_free_slot, ut, dev, ep, frame, ro_frame, pt, tcb, ro_cnode, dev_frame;
	cptr_t small, pt0, frame2, pt0b, frame3;
	unsigned i;
	cptr_t end = 1ul << info->cnode_size_bits;
	struct cap_info ci;
	uint64_t pa;

	bi = info;
	ut = ram_untyped();
	dev = device_untyped();
	ep = free, frame = free + 1, pt = free + 2, tcb = free + 3;
	ro_frame = free + 4, ro_cnode = free + 5, dev_frame = free + 6;
	pt0 = free + 7, frame2 = free + 8, small = free + 40;   /* small: 64 KiB, then 16 frames */
	pt0b = free + 9, frame3 = free + 30;

	/* Wrong slot. */
	check("invoke slot 0", tcb_resume(CPTR_NULL), ERR_INVALID_CAP);
	check("invoke an empty slot", tcb_resume(free), ERR_INVALID_CAP);
	check("invoke past the end of the CNode", tcb_resume(end), ERR_INVALID_CAP);
	check("invoke slot 2^63", tcb_resume(1ul << 63), ERR_INVALID_CAP);

	/* Retype. */
	check("retype into past-the-end slots", untyped_retype(ut, OBJ_ENDPOINT, 0, SELF, end - 1, 2), ERR_RANGE);
	check("retype into an occupied slot", untyped_retype(ut, OBJ_ENDPOINT, 0, SELF, BOOT_SLOT_TCB, 1),
	      ERR_SLOT_OCCUPIED);
	check("retype an unknown type", untyped_retype(ut, 99, 0, SELF, free, 1), ERR_INVALID_ARGUMENT);
	check("retype IRQControl", untyped_retype(ut, OBJ_IRQ_CONTROL, 0, SELF, free, 1), ERR_INVALID_ARGUMENT);
	check("retype a CNode of radix 0", untyped_retype(ut, OBJ_CNODE, 0, SELF, free, 1), ERR_INVALID_ARGUMENT);
	check("retype a CNode of radix 40", untyped_retype(ut, OBJ_CNODE, 40, SELF, free, 1), ERR_INVALID_ARGUMENT);
	check("retype 0 objects", untyped_retype(ut, OBJ_ENDPOINT, 0, SELF, free, 0), ERR_INVALID_ARGUMENT);
	check("retype an Untyped as big as its parent", untyped_retype(ut, OBJ_UNTYPED,
	      bi->untyped[ut - bi->untyped_first].size_bits, SELF, free, 1), ERR_INVALID_ARGUMENT);
	check("retype a 64 KiB Untyped", untyped_retype(ut, OBJ_UNTYPED, 16, SELF, small, 1), ERR_OK);
	check("retype an object bigger than the Untyped", untyped_retype(small, OBJ_CNODE, 11, SELF, free, 1),
	      ERR_NO_MEMORY);
	check("retype 16 frames from 64 KiB", untyped_retype(small, OBJ_FRAME, 0, SELF, small + 1, 16), ERR_OK);
	check("retype a 17th", untyped_retype(small, OBJ_FRAME, 0, SELF, small + 17, 1), ERR_NO_MEMORY);
	check("revoke the 64 KiB", cnode_revoke(SELF, small), ERR_OK);
	for (i = 1; i <= 16; i++)
		check_eq("its frames are gone", cnode_describe(SELF, small + i, &ci) == ERR_OK && ci.type == OBJ_NULL, 1);
	check("retype all 16 again", untyped_retype(small, OBJ_FRAME, 0, SELF, small + 1, 16), ERR_OK);
	check("retype a TCB from device memory", untyped_retype(dev, OBJ_TCB, 0, SELF, free, 1),
	      ERR_INVALID_ARGUMENT);
	check("retype into a Frame 'CNode'", untyped_retype(ut, OBJ_ENDPOINT, 0, BOOT_SLOT_IPC_BUFFER, free, 1),
	      ERR_INVALID_CAP);
	check("retype with a TCB 'Untyped'", untyped_retype(BOOT_SLOT_TCB, OBJ_ENDPOINT, 0, SELF, free, 1),
	      ERR_INVALID_OPERATION);
	check("nothing was made", cnode_describe(SELF, free, &ci), ERR_OK);
	check_eq("the slot is still empty", ci.type, OBJ_NULL);

	/* The objects the rest needs. */
	check("retype an endpoint", untyped_retype(ut, OBJ_ENDPOINT, 0, SELF, ep, 1), ERR_OK);
	check("retype a frame", untyped_retype(ut, OBJ_FRAME, 0, SELF, frame, 1), ERR_OK);
	check("retype a page table", untyped_retype(ut, OBJ_PAGE_TABLE, 0, SELF, pt, 1), ERR_OK);
	check("retype a TCB", untyped_retype(ut, OBJ_TCB, 0, SELF, tcb, 1), ERR_OK);
	check("retype a device frame", untyped_retype(dev, OBJ_FRAME, 0, SELF, dev_frame, 1), ERR_OK);

	/* CNode operations. */
	check("copy an Untyped", cnode_copy(SELF, free + 10, SELF, ut, RIGHTS_ALL), ERR_INVALID_OPERATION);
	check("copy IRQControl", cnode_copy(SELF, free + 10, SELF, BOOT_SLOT_IRQ_CONTROL, RIGHTS_ALL),
	      ERR_INVALID_OPERATION);
	check("copy a page table", cnode_copy(SELF, free + 10, SELF, pt, RIGHTS_ALL), ERR_INVALID_OPERATION);
	check("copy from an empty slot", cnode_copy(SELF, free + 10, SELF, free + 11, RIGHTS_ALL),
	      ERR_INVALID_CAP);
	check("copy onto an occupied slot", cnode_copy(SELF, frame, SELF, ep, RIGHTS_ALL), ERR_SLOT_OCCUPIED);
	check("copy to past the end", cnode_copy(SELF, end, SELF, ep, RIGHTS_ALL), ERR_RANGE);
	check("copy to slot 0", cnode_copy(SELF, 0, SELF, ep, RIGHTS_ALL), ERR_RANGE);
	check("copy via a Frame 'CNode'", cnode_copy(SELF, free + 10, frame, 1, RIGHTS_ALL), ERR_INVALID_CAP);
	check("mint a badge on a frame", cnode_mint(SELF, free + 10, SELF, frame, RIGHTS_ALL, 7),
	      ERR_INVALID_ARGUMENT);
	check("mint a badged endpoint", cnode_mint(SELF, free + 10, SELF, ep, RIGHTS_ALL, 7), ERR_OK);
	check("badge it again", cnode_mint(SELF, free + 11, SELF, free + 10, RIGHTS_ALL, 8), ERR_IN_USE);
	check("describe the badged copy", cnode_describe(SELF, free + 10, &ci), ERR_OK);
	check_eq("its badge", ci.data, 7);
	check("revoke an empty slot", cnode_revoke(SELF, free + 11), ERR_INVALID_CAP);
	check("delete an empty slot", cnode_delete(SELF, free + 11), ERR_OK);
	check("a read-only copy of our CNode", cnode_copy(SELF, ro_cnode, SELF, SELF, RIGHT_READ), ERR_OK);
	check("copy into a read-only CNode", cnode_copy(ro_cnode, free + 12, SELF, ep, RIGHTS_ALL),
	      ERR_NO_RIGHTS);
	check("delete through a read-only CNode", cnode_delete(ro_cnode, ep), ERR_NO_RIGHTS);
	check("describe through a read-only CNode", cnode_describe(ro_cnode, ep, &ci), ERR_OK);
	check("move from an empty slot", cnode_move(SELF, free + 12, SELF, free + 13), ERR_INVALID_CAP);

	/* Frames and page tables. */
	check("map a frame outside user space", frame_map(frame, BOOT_SLOT_VSPACE, 1ul << 38, MAP_READ),
	      ERR_INVALID_ARGUMENT);
	check("map a frame at an odd address", frame_map(frame, BOOT_SLOT_VSPACE, FAR_AWAY + 8, MAP_READ),
	      ERR_ALIGNMENT);
	check("map a frame with no rights", frame_map(frame, BOOT_SLOT_VSPACE, FAR_AWAY, 0),
	      ERR_INVALID_ARGUMENT);
	check("map a frame writable and executable", frame_map(frame, BOOT_SLOT_VSPACE, FAR_AWAY,
							       MAP_READ | MAP_WRITE | MAP_EXEC), ERR_INVALID_ARGUMENT);
	check("map a frame where no page table is", frame_map(frame, BOOT_SLOT_VSPACE, FAR_AWAY, MAP_READ),
	      ERR_NO_PAGE_TABLE);
	check("map a frame over the program's code", frame_map(frame, BOOT_SLOT_VSPACE, 0x10000, MAP_READ),
	      ERR_ALREADY_MAPPED);
	check("map a frame into a TCB 'VSpace'", frame_map(frame, BOOT_SLOT_TCB, FAR_AWAY, MAP_READ),
	      ERR_INVALID_CAP);
	check("map the boot info page writable", frame_map(BOOT_SLOT_BOOTINFO, BOOT_SLOT_VSPACE, FAR_AWAY,
							    MAP_READ | MAP_WRITE), ERR_IN_USE);
	check("a read-only frame copy", cnode_copy(SELF, ro_frame, SELF, frame, RIGHT_READ), ERR_OK);
	check("map it writable", frame_map(ro_frame, BOOT_SLOT_VSPACE, 0x10000000, MAP_WRITE), ERR_NO_RIGHTS);
	check("a page table at level 2", page_table_map(pt, BOOT_SLOT_VSPACE, FAR_AWAY, 2), ERR_INVALID_ARGUMENT);
	check("a level-1 table at an odd address", page_table_map(pt, BOOT_SLOT_VSPACE, FAR_AWAY + 4096, 1),
	      ERR_ALIGNMENT);
	check("a level-0 table with no level-1 above", page_table_map(pt, BOOT_SLOT_VSPACE, FAR_AWAY, 0),
	      ERR_NO_PAGE_TABLE);
	check("a level-1 table where the program's is", page_table_map(pt, BOOT_SLOT_VSPACE, 0, 1),
	      ERR_ALREADY_MAPPED);
	check("a level-1 table far away", page_table_map(pt, BOOT_SLOT_VSPACE, FAR_AWAY, 1), ERR_OK);
	check("the same table again", page_table_map(pt, BOOT_SLOT_VSPACE, FAR_AWAY + (1ul << 30), 1), ERR_IN_USE);
	/* A page table forgets its entries when unmapped: mapped again one
	 * level up, its old entry for frame2 must not become a 2 MiB page. */
	check("retype a second page table", untyped_retype(ut, OBJ_PAGE_TABLE, 0, SELF, pt0, 1), ERR_OK);
	check("retype a second frame", untyped_retype(ut, OBJ_FRAME, 0, SELF, frame2, 1), ERR_OK);
	check("a level-0 table under it", page_table_map(pt0, BOOT_SLOT_VSPACE, FAR_AWAY, 0), ERR_OK);
	check("map a frame through them", frame_map(frame2, BOOT_SLOT_VSPACE, FAR_AWAY, MAP_READ | MAP_WRITE),
	      ERR_OK);
	*(volatile char *)FAR_AWAY = '\n';
	check("the kernel can read that page", debug_write((const void *)FAR_AWAY, 1), ERR_OK);
	check("unmap the level-0 table", page_table_unmap(pt0), ERR_OK);
	check("the page is gone", debug_write((const void *)FAR_AWAY, 1), ERR_BAD_ADDRESS);
	check("map that table at level 1 elsewhere", page_table_map(pt0, BOOT_SLOT_VSPACE, FAR_AWAY + (1ul << 30), 1),
	      ERR_OK);
	check("its old entry maps nothing", debug_write((const void *)(FAR_AWAY + (1ul << 30)), 1),
	      ERR_BAD_ADDRESS);
	/* Unmapping a table freed its entry; a stale frame record unmaps
	 * nothing that is not its own page. */
	check("retype a third page table", untyped_retype(ut, OBJ_PAGE_TABLE, 0, SELF, pt0b, 1), ERR_OK);
	check("a new level-0 table where the old one was", page_table_map(pt0b, BOOT_SLOT_VSPACE, FAR_AWAY, 0),
	      ERR_OK);
	check("retype a third frame", untyped_retype(ut, OBJ_FRAME, 0, SELF, frame3, 1), ERR_OK);
	check("map it where the second frame was", frame_map(frame3, BOOT_SLOT_VSPACE, FAR_AWAY,
							     MAP_READ | MAP_WRITE), ERR_OK);
	*(volatile char *)FAR_AWAY = '\n';
	check("unmap the second frame (its table is gone)", frame_unmap(frame2), ERR_OK);
	check("the third frame is still mapped", debug_write((const void *)FAR_AWAY, 1), ERR_OK);
	check("unmap the third frame", frame_unmap(frame3), ERR_OK);
	check("now nothing is mapped there", debug_write((const void *)FAR_AWAY, 1), ERR_BAD_ADDRESS);
	check("a frame's physical address", frame_paddr(frame, &pa), ERR_OK);
	check_eq("is page-aligned RAM", pa % 4096 == 0 && pa >= 0x80000000ul, 1);

	/* TCBs. */
	check("resume an unconfigured thread", tcb_resume(tcb), ERR_INVALID_ARGUMENT);
	check("configure with priority 256", tcb_configure(tcb, SELF, BOOT_SLOT_VSPACE, CPTR_NULL, 0,
							   CPTR_NULL, 256), ERR_INVALID_ARGUMENT);
	check("configure with an odd IPC buffer address", tcb_configure(tcb, SELF, BOOT_SLOT_VSPACE, frame, 12,
									 CPTR_NULL, 1), ERR_ALIGNMENT);
	check("configure with a frame as CSpace", tcb_configure(tcb, frame, BOOT_SLOT_VSPACE, CPTR_NULL, 0,
							       CPTR_NULL, 1), ERR_INVALID_CAP);
	check("configure with device registers as IPC buffer", tcb_configure(tcb, SELF, BOOT_SLOT_VSPACE,
						dev_frame, 0, CPTR_NULL, 1), ERR_INVALID_ARGUMENT);
	check("configure with a read-only IPC buffer", tcb_configure(tcb, SELF, BOOT_SLOT_VSPACE,
						ro_frame, 0, CPTR_NULL, 1), ERR_NO_RIGHTS);

	/* Interrupts. */
	check("claim irq 0", irq_control_get(BOOT_SLOT_IRQ_CONTROL, 0, SELF, free + 20), ERR_INVALID_ARGUMENT);
	check("claim irq 1000", irq_control_get(BOOT_SLOT_IRQ_CONTROL, 1000, SELF, free + 20),
	      ERR_INVALID_ARGUMENT);
	check("claim irq 10", irq_control_get(BOOT_SLOT_IRQ_CONTROL, 10, SELF, free + 20), ERR_OK);
	check("claim irq 10 twice", irq_control_get(BOOT_SLOT_IRQ_CONTROL, 10, SELF, free + 21), ERR_IN_USE);
	check("give up irq 10", cnode_delete(SELF, free + 20), ERR_OK);
	check("claim irq 10 again", irq_control_get(BOOT_SLOT_IRQ_CONTROL, 10, SELF, free + 21), ERR_OK);

	/* Messages no stub would send. */
	check("an unknown label", (int)raw_call(BOOT_SLOT_TCB, MSGINFO(999, 0, 0), 0), ERR_INVALID_OPERATION);
	check("label 0", (int)raw_call(BOOT_SLOT_TCB, MSGINFO(0, 0, 0), 0), ERR_INVALID_OPERATION);
	check("a CNode label on a TCB", (int)raw_call(BOOT_SLOT_TCB, MSGINFO(INV_CNODE_DELETE, 0, 1), 1),
	      ERR_INVALID_OPERATION);
	check("retype with one word", (int)raw_call(ut, MSGINFO(INV_UNTYPED_RETYPE, 0, 1), OBJ_FRAME),
	      ERR_TRUNCATED);
	check("a message of 100 words", (int)raw_call(ut, MSGINFO(INV_UNTYPED_RETYPE, 0, 100), 0),
	      ERR_INVALID_ARGUMENT);
	check("send on an endpoint nobody waits on, without blocking",
	      (int)sys_call(SYS_NBSEND, (long)ep, MSGINFO(1, 0, 0), 0, 0, 0, 0), ERR_WOULD_BLOCK);
	check("invoke a VSpace", (int)raw_call(BOOT_SLOT_VSPACE, MSGINFO(INV_FRAME_UNMAP, 0, 0), 0),
	      ERR_INVALID_OPERATION);

	/* After all that, root's own capabilities still work. */
	check("describe our own TCB", cnode_describe(SELF, BOOT_SLOT_TCB, &ci), ERR_OK);
	check_eq("still a TCB", ci.type, OBJ_TCB);
	return check_done();
}
