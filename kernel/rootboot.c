/*
 * rootboot.c - root's objects, root's CSpace, and the boot-info page.
 *
 * Root's TCB, CNode, VSpace, page tables, program pages, IPC buffer and
 * boot-info page come straight from boot memory: they exist before any
 * Untyped does. Root gets capabilities to those objects it needs to manage
 * itself (not to its program's pages or page tables), and then every byte
 * of boot memory that is left, as Untyped capabilities of the largest
 * aligned power-of-two sizes. Root's address space (vspace.c's ASID table
 * knows it like any other):
 *   0x10000..            its program, as the program table says
 *   1 GiB..ROOT_BOOTIMG  free for root to map into (free_vaddr in bootinfo)
 *   ROOT_BOOTIMG         the boot image, read-only
 *   ROOT_IPC_BUFFER      its IPC buffer, then the boot-info page (read-only)
 *   below USER_TOP       its stack (BOOTPROG_STACK_TOP, lib/bootimg.h)
 * The boot argument `vmprint` prints that address space before root runs.
 */
#include "rootboot.h"
#include "bootinfo.h"
#include "cap.h"
#include "errors.h"
#include "loader.h"
#include "printk.h"
#include "str.h"
#include "thread.h"
#include "vspace.h"

#define ROOT_CNODE_RADIX 12
#define ROOT_FREE_START  (1ul << 30)
#define ROOT_BOOTIMG     0x3f00000000ul
#define ROOT_IPC_BUFFER  (USER_TOP - (2ul << 20))
#define ROOT_BOOTINFO    (ROOT_IPC_BUFFER + PAGE_SIZE)
#define RAM_MIN_BITS     PAGE_SHIFT

_Static_assert(MACHINE_MAX_VIRTIO <= 10, "virtio slot names have one digit");

extern const char bootimg_start[], bootimg_end[], bootprogs_start[];

struct root_boot {
	struct bootmem *bm;
	struct page_source *pages;
	struct thread *thread;
	struct cte *cnode;
	struct bootinfo *info;
	uint64_t next_slot;
};

static paddr_t root_alloc(struct root_boot *rb, uint64_t npages)
{
	paddr_t pa = bootmem_alloc_pages(rb->bm, npages);

	if (pa == 0)
		panic("boot_root: out of memory for root's own objects");
	return pa;
}

/* Map a page for root and give root a Frame capability to it. */
static void root_give_frame(struct root_boot *rb, uint64_t slot, paddr_t pa, uaddr_t va,
			    unsigned vm_perm, uint8_t rights)
{
	struct cap cap = { .type = OBJ_FRAME, .rights = rights, .paddr = pa,
			   .asid = rb->thread->vspace.asid, .data = va };

	if (arch_vspace_map(&rb->thread->vspace, va, pa, vm_perm, rb->pages) != ERR_OK)
		panic("boot_root: cannot map %p for root", (void *)va);
	cap_insert(&rb->cnode[slot], &cap, NULL);
}

/* Give [base, base + size) to root as Untyped capabilities, largest aligned
 * power-of-two blocks first. A block that does not fit the boot info is
 * reported and kept back (it is then unused, not lost to a bug). */
static void root_give_untyped(struct root_boot *rb, uint64_t base, uint64_t size,
			      bool is_device, uint16_t irq, const char *name)
{
	struct bootinfo *bi = rb->info;

	while (size >= (1ul << RAM_MIN_BITS)) {
		unsigned bits = UNTYPED_MAX_BITS;
		struct bootinfo_untyped *u = &bi->untyped[bi->untyped_count];
		struct cap cap = { .type = OBJ_UNTYPED, .rights = RIGHTS_ALL, .paddr = base,
				   .is_device = is_device };

		while (bits > RAM_MIN_BITS && ((base & ((1ul << bits) - 1)) || (1ul << bits) > size))
			bits--;
		if (bi->untyped_count == BOOTINFO_MAX_UNTYPED ||
		    rb->next_slot >= (1ul << ROOT_CNODE_RADIX)) {
			kprintf("mica: boot info full: %lu KiB at %p not given to root\n",
				size >> 10, (void *)base);
			return;
		}
		cap.size_bits = (uint8_t)bits;
		cap_insert(&rb->cnode[rb->next_slot++], &cap, NULL);
		*u = (struct bootinfo_untyped){ .paddr = base, .size_bits = (uint8_t)bits,
						.is_device = is_device, .irq = irq };
		str_copy(u->name, name, sizeof(u->name));
		bi->untyped_count++;
		base += 1ul << bits;
		size -= 1ul << bits;
	}
}

static void root_give_device(struct root_boot *rb, const struct machine_device *d, const char *name)
{
	if (d->present)
		root_give_untyped(rb, PAGE_ROUND_DOWN(d->base),
				  PAGE_ROUND_UP(d->base + d->size) - PAGE_ROUND_DOWN(d->base),
				  true, (uint16_t)d->irq, name);
}

/* The thread, its address space and program, IPC buffer and boot info. */
static void root_make_thread(struct root_boot *rb, const char *name)
{
	size_t image_size = (size_t)(bootimg_end - bootimg_start), i;
	const struct bootprog_table *table = (const void *)bootprogs_start;
	const struct bootprog *prog = loader_find(table, name);
	paddr_t bootimg_pa = kva_to_pa(bootimg_start);
	struct thread *t;
	int err;

	if (prog == NULL)
		panic("no program '%s' in the boot image (%u programs; see root= in the boot arguments)",
		      name, table->count);

	t = rb->thread = pa_to_kva(root_alloc(rb, 1));
	thread_init(t);
	str_copy(t->name, name, sizeof(t->name));
	t->vspace.root = root_alloc(rb, 1);
	t->vspace.asid = vspace_create(t->vspace.root);
	err = loader_load(&t->vspace, prog, bootimg_start, rb->pages);
	if (err != ERR_OK)
		panic("cannot load '%s': %s", name, err_name(err));
	/* bootimg.S pads the image to whole pages, so root sees nothing else. */
	for (i = 0; i < PAGE_ROUND_UP(image_size); i += PAGE_SIZE)
		if (arch_vspace_map(&t->vspace, ROOT_BOOTIMG + i, bootimg_pa + i, VM_READ, rb->pages) != ERR_OK)
			panic("boot_root: cannot map the boot image");

	t->cspace = kva_to_pa(rb->cnode);
	t->cspace_radix = ROOT_CNODE_RADIX;
	t->ipc_buffer = root_alloc(rb, 1);
	t->priority = PRIORITY_MAX;
	arch_regs_init_user(&t->regs, prog->entry, BOOTPROG_STACK_TOP, ROOT_BOOTINFO);
	t->regs.x[REG_TP] = ROOT_IPC_BUFFER;     /* the user library's convention (msg.h) */
	kprintf("mica: starting %s (%lu-byte ELF, entry %p)\n", name, prog->size, (void *)prog->entry);
}

void boot_root(const struct machine *m, struct bootmem *bm, struct page_source *pages,
	       const char *name)
{
	struct root_boot rb = { .bm = bm, .pages = pages, .next_slot = BOOT_SLOT_FIRST_UNTYPED };
	char vmprint[2];
	paddr_t cnode_pa, info_pa;
	struct bootinfo *bi;
	struct thread *t;
	uint64_t ram = 0;
	unsigned i;

	cnode_pa = root_alloc(&rb, (1ul << (ROOT_CNODE_RADIX + CNODE_SLOT_BITS)) / PAGE_SIZE);
	rb.cnode = pa_to_kva(cnode_pa);
	rb.cnode[0].cap.size_bits = ROOT_CNODE_RADIX;     /* slot 0 keeps the radix (cap.h) */
	info_pa = root_alloc(&rb, 1);
	bi = rb.info = pa_to_kva(info_pa);
	root_make_thread(&rb, name);
	t = rb.thread;

	cap_insert(&rb.cnode[BOOT_SLOT_TCB], &(struct cap){ .type = OBJ_TCB, .rights = RIGHTS_ALL,
			.paddr = kva_to_pa(t) }, NULL);
	cap_insert(&rb.cnode[BOOT_SLOT_CNODE], &(struct cap){ .type = OBJ_CNODE, .rights = RIGHTS_ALL,
			.size_bits = ROOT_CNODE_RADIX, .paddr = cnode_pa }, NULL);
	cap_insert(&rb.cnode[BOOT_SLOT_VSPACE], &(struct cap){ .type = OBJ_VSPACE, .rights = RIGHTS_ALL,
			.paddr = t->vspace.root, .asid = t->vspace.asid }, NULL);
	root_give_frame(&rb, BOOT_SLOT_IPC_BUFFER, t->ipc_buffer, ROOT_IPC_BUFFER,
			VM_READ | VM_WRITE, RIGHTS_ALL);
	root_give_frame(&rb, BOOT_SLOT_BOOTINFO, info_pa, ROOT_BOOTINFO, VM_READ, RIGHT_READ);
	cap_insert(&rb.cnode[BOOT_SLOT_IRQ_CONTROL], &(struct cap){ .type = OBJ_IRQ_CONTROL,
			.rights = RIGHTS_ALL }, NULL);
	thread_hold(t, &rb.cnode[BOOT_SLOT_CNODE], &rb.cnode[BOOT_SLOT_VSPACE],
		    &rb.cnode[BOOT_SLOT_IPC_BUFFER]);

	bi->magic = BOOTINFO_MAGIC;
	bi->cnode_size_bits = ROOT_CNODE_RADIX;
	bi->untyped_first = BOOT_SLOT_FIRST_UNTYPED;
	bi->ipc_buffer = ROOT_IPC_BUFFER;
	bi->bootimg = ROOT_BOOTIMG;
	bi->bootimg_size = (uint64_t)(bootimg_end - bootimg_start);
	bi->free_vaddr = ROOT_FREE_START;
	bi->free_vaddr_end = ROOT_BOOTIMG;
	str_copy(bi->bootargs, m->bootargs, sizeof(bi->bootargs));
	root_give_device(&rb, &m->uart, "uart");
	for (i = 0; i < m->nvirtio; i++) {
		char slot_name[] = "virtio0";

		slot_name[6] = (char)('0' + i);
		root_give_device(&rb, &m->virtio[i], slot_name);
	}
	/* Last: every page of boot memory still free. */
	for (i = 0; i < bm->nfree; i++) {
		ram += bm->free[i].size;
		root_give_untyped(&rb, bm->free[i].base, bm->free[i].size, false, 0, "ram");
	}
	bm->nfree = 0;
	bi->first_free_slot = rb.next_slot;
	kprintf("mica: root gets %lu KiB of RAM and %u device regions as %lu Untyped capabilities\n",
		ram >> 10, m->nvirtio + (m->uart.present ? 1 : 0), bi->untyped_count);
	if (machine_bootarg(m, "vmprint", vmprint, sizeof(vmprint)))
		arch_vspace_print(&t->vspace);
	thread_resume(t);
}
