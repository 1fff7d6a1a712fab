/*
 * spawn.c - address spaces and threads from capabilities (spawn.h).
 *
 * This is the user-level half of what an exec does: the kernel only maps
 * what it is told to, so a missing page table is found by trying the
 * mapping and making the table when the kernel answers ERR_NO_PAGE_TABLE.
 */
#include "spawn.h"
#include "bootimg.h"
#include "elf.h"
#include "errors.h"
#include "invoke.h"
#include "str.h"

#define SPAN_LEVEL0 (2ul << 20)    /* what one level-0 table maps */
#define SPAN_LEVEL1 (1ul << 30)    /* what one level-1 table maps */

int spawn_object(struct spawn_pool *pool, unsigned type, unsigned size_bits, cptr_t *slot)
{
	int err;

	if (pool->next_slot >= pool->end_slot)
		return ERR_RANGE;
	err = untyped_retype(pool->untyped, type, size_bits, pool->cnode, pool->next_slot, 1);
	if (err == ERR_OK)
		*slot = pool->next_slot++;
	return err;
}

/* Make the page table that serves `level` for vaddr. */
static int spawn_page_table(struct spawn_pool *pool, cptr_t vspace, uint64_t vaddr, unsigned level)
{
	uint64_t span = level == 0 ? SPAN_LEVEL0 : SPAN_LEVEL1;
	cptr_t pt;
	int err = spawn_object(pool, OBJ_PAGE_TABLE, 0, &pt);

	if (err == ERR_OK)
		err = page_table_map(pt, vspace, vaddr & ~(span - 1), level);
	return err;
}

int spawn_map(struct spawn_pool *pool, cptr_t vspace, cptr_t frame, uint64_t vaddr, unsigned rights)
{
	int err = frame_map(frame, vspace, vaddr, rights);

	if (err != ERR_NO_PAGE_TABLE)
		return err;
	err = spawn_page_table(pool, vspace, vaddr, 0);
	if (err == ERR_NO_PAGE_TABLE) {
		err = spawn_page_table(pool, vspace, vaddr, 1);
		if (err == ERR_OK)
			err = spawn_page_table(pool, vspace, vaddr, 0);
	}
	return err == ERR_OK ? frame_map(frame, vspace, vaddr, rights) : err;
}

int spawn_map_new(struct spawn_pool *pool, cptr_t vspace, uint64_t vaddr, unsigned rights,
		  cptr_t *frame)
{
	int err = spawn_object(pool, OBJ_FRAME, 0, frame);

	return err == ERR_OK ? spawn_map(pool, vspace, *frame, vaddr, rights) : err;
}

static unsigned spawn_rights(unsigned elf_perm)
{
	return (elf_perm & ELF_PERM_R ? MAP_READ : 0) | (elf_perm & ELF_PERM_W ? MAP_WRITE : 0) |
	       (elf_perm & ELF_PERM_X ? MAP_EXEC : 0);
}

/* One page of a segment: the bytes of the file that fall into it, zeros
 * elsewhere, written through scratch and then handed to vspace. */
static int spawn_load_page(struct spawn_pool *pool, cptr_t vspace, cptr_t self_vspace,
			   uint64_t scratch, const struct elf_image *img,
			   const struct elf_segment *seg, uint64_t page)
{
	cptr_t frame;
	int err = spawn_map_new(pool, self_vspace, scratch, MAP_READ | MAP_WRITE, &frame);

	if (err != ERR_OK)
		return err;
	elf_segment_page(img, seg, page, (void *)scratch);
	err = frame_unmap(frame);
	return err == ERR_OK ? spawn_map(pool, vspace, frame, page, spawn_rights(seg->perm)) : err;
}

int spawn_load_elf(struct spawn_pool *pool, cptr_t vspace, cptr_t self_vspace, uint64_t scratch,
		   const void *elf, size_t size, uint64_t *entry)
{
	struct elf_image img;
	struct elf_segment seg;
	unsigned i;
	int err = elf_open(&img, elf, size, 1ul << 38);

	for (i = 0; err == ERR_OK && i < elf_segment_count(&img); i++) {
		uint64_t page;

		elf_segment(&img, i, &seg);
		for (page = seg.vaddr & ~4095ul; err == ERR_OK && page < seg.vaddr + seg.memsz;
		     page += 4096)
			err = spawn_load_page(pool, vspace, self_vspace, scratch, &img, &seg, page);
	}
	if (err == ERR_OK)
		*entry = elf_entry(&img);
	return err;
}

int spawn_program(struct spawn_pool *pool, struct spawned *p, const void *bootimg,
		  size_t bootimg_size, const char *name, unsigned radix, cptr_t fault_ep,
		  unsigned priority, uint64_t arg)
{
	struct bootimg img;
	struct user_regs regs;
	const void *elf;
	size_t elf_size;
	uint64_t entry;
	int err;

	if ((err = bootimg_open(&img, bootimg, bootimg_size)) ||
	    (err = bootimg_find(&img, name, &elf, &elf_size)) ||
	    (err = spawn_object(pool, OBJ_CNODE, radix, &p->cnode)) ||
	    (err = spawn_object(pool, OBJ_TCB, 0, &p->tcb)) ||
	    (err = spawn_object(pool, OBJ_VSPACE, 0, &p->vspace)) ||
	    (err = spawn_load_elf(pool, p->vspace, pool->self_vspace, pool->scratch, elf, elf_size,
				  &entry)) ||
	    (err = spawn_map_new(pool, p->vspace, SPAWN_STACK_TOP - 4096, MAP_READ | MAP_WRITE,
				 &p->stack_frame)) ||
	    (err = spawn_map_new(pool, p->vspace, SPAWN_IPC, MAP_READ | MAP_WRITE, &p->ipc_frame)) ||
	    (err = tcb_configure(p->tcb, p->cnode, p->vspace, p->ipc_frame, SPAWN_IPC, fault_ep,
				 priority)) ||
	    (err = tcb_set_name(p->tcb, name)))
		return err;
	memset(&regs, 0, sizeof(regs));
	regs.pc = entry;
	regs.sp = SPAWN_STACK_TOP;
	regs.a0 = arg;
	regs.tp = SPAWN_IPC;
	return tcb_write_registers(p->tcb, &regs);
}

int spawn_thread(struct spawn_pool *pool, void (*fn)(uint64_t, uint64_t), uint64_t arg0,
		 uint64_t arg1, unsigned priority, const char *name, uint64_t stack_top, uint64_t ipc_vaddr, cptr_t fault_ep,
		 cptr_t *tcb)
{
	struct user_regs regs;
	cptr_t ipc, stack;
	uint64_t gp;
	int err;

	if ((err = spawn_map_new(pool, pool->self_vspace, stack_top - 4096, MAP_READ | MAP_WRITE,
				 &stack)) ||
	    (err = spawn_map_new(pool, pool->self_vspace, ipc_vaddr, MAP_READ | MAP_WRITE, &ipc)) ||
	    (err = spawn_object(pool, OBJ_TCB, 0, tcb)) ||
	    (err = tcb_configure(*tcb, pool->cnode, pool->self_vspace, ipc, ipc_vaddr, fault_ep,
				 priority)) ||
	    (err = tcb_set_name(*tcb, name)))
		return err;
	__asm__("mv %0, gp" : "=r"(gp));
	memset(&regs, 0, sizeof(regs));
	regs.pc = (uint64_t)fn;
	regs.sp = stack_top;
	regs.gp = gp;
	regs.tp = ipc_vaddr;
	regs.a0 = arg0;
	regs.a1 = arg1;
	return tcb_write_registers(*tcb, &regs);
}

/* The slot of the biggest RAM Untyped in the boot info. */
static cptr_t spawn_biggest_ram(const struct bootinfo *bi)
{
	uint64_t i, best = 0;

	for (i = 1; i < bi->untyped_count; i++)
		if (!bi->untyped[i].is_device &&
		    (bi->untyped[best].is_device || bi->untyped[i].size_bits > bi->untyped[best].size_bits))
			best = i;
	return bi->untyped_first + best;
}

int spawn_pool_init(struct spawn_pool *pool, const struct bootinfo *bi, unsigned bits,
		    uint64_t scratch_offset)
{
	*pool = (struct spawn_pool){ .cnode = BOOT_SLOT_CNODE, .untyped = bi->first_free_slot,
				     .next_slot = bi->first_free_slot + 1,
				     .end_slot = 1ul << bi->cnode_size_bits,
				     .self_vspace = BOOT_SLOT_VSPACE,
				     .scratch = bi->free_vaddr + scratch_offset };
	return untyped_retype(spawn_biggest_ram(bi), OBJ_UNTYPED, bits, BOOT_SLOT_CNODE,
			      pool->untyped, 1);
}
