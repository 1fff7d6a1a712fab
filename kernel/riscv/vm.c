/*
 * vm.c - Sv39 page tables: the kernel's own, and user address spaces.
 *
 * Sv39 translates a 39-bit virtual address through three levels of 512
 * eight-byte entries (level 2 is the root). A leaf at level 2 maps 1 GiB, at
 * level 1 2 MiB, at level 0 4 KiB. The upper half of every address space
 * (root entries 256..511) is the kernel's: a direct map of RAM at
 * KERNEL_DIRECT_MAP and the devices the kernel drives, all global pages,
 * built once at boot and never changed after, so every user root can simply
 * copy the kernel root's entries 256..511 (arch_vspace_init). User mappings live below USER_TOP and are 4 KiB pages.
 * Page-table pages come from the caller's page_source: this file owns none.
 * arch_vspace_print() shows a user address space as a tree, for debugging.
 */
#include "arch.h"
#include "bootmem.h"
#include "csr.h"
#include "errors.h"
#include "machine.h"
#include "printk.h"
#include "str.h"

#define PTE_V (1ul << 0)
#define PTE_R (1ul << 1)
#define PTE_W (1ul << 2)
#define PTE_X (1ul << 3)
#define PTE_U (1ul << 4)
#define PTE_G (1ul << 5)
#define PTE_A (1ul << 6)
#define PTE_D (1ul << 7)
#define PTE_LEAF_BITS (PTE_R | PTE_W | PTE_X)

#define PTE_PPN_SHIFT  10
#define PTE_TO_PA(pte) (((pte) >> PTE_PPN_SHIFT) << PAGE_SHIFT)
#define PA_TO_PTE(pa)  (((pa) >> PAGE_SHIFT) << PTE_PPN_SHIFT)

#define LEVEL_SHIFT(level) (PAGE_SHIFT + 9 * (level))
#define LEVEL_SIZE(level)  (1ul << LEVEL_SHIFT(level))
#define VA_INDEX(va, level) (((va) >> LEVEL_SHIFT(level)) & 511)

/* Linker-script symbols that bound the kernel image's sections. */
extern char _kernel_start[], _text_end[], _rodata_end[], _data_end[], _kernel_end[];

static paddr_t kernel_root;

/* The entry for va at `level`, creating the tables above it if pages is
 * not NULL. NULL if a table is missing (and pages is NULL or empty), or if a
 * bigger leaf already covers va. */
static uint64_t *pt_walk(paddr_t root, uint64_t va, int level, struct page_source *pages)
{
	uint64_t *table = pa_to_kva(root);
	int l;

	for (l = 2; l > level; l--) {
		uint64_t *pte = &table[VA_INDEX(va, l)];

		if (!(*pte & PTE_V)) {
			paddr_t page = pages ? pages->alloc(pages) : 0;

			if (page == 0)
				return NULL;
			*pte = PA_TO_PTE(page) | PTE_V;
		} else if (*pte & PTE_LEAF_BITS) {
			return NULL;
		}
		table = pa_to_kva(PTE_TO_PA(*pte));
	}
	return &table[VA_INDEX(va, level)];
}

/* Map physical [pa, end) at its direct-map address with `flags`, using the
 * biggest pages that alignment allows (KERNEL_DIRECT_MAP is aligned to the
 * biggest, so the virtual address aligns as pa does). Boot only: failure
 * panics. */
static void vm_map_kernel(paddr_t pa, paddr_t end, uint64_t flags, struct page_source *pages)
{
	while (pa < end) {
		int level = 2;
		uint64_t *pte;

		while (level > 0 && (pa & (LEVEL_SIZE(level) - 1) || end - pa < LEVEL_SIZE(level)))
			level--;
		pte = pt_walk(kernel_root, pa + KERNEL_DIRECT_MAP, level, pages);
		if (pte == NULL || (*pte & PTE_V))
			panic("vm_map_kernel: cannot map %p (out of pages or overlap)", (void *)pa);
		*pte = PA_TO_PTE(pa) | flags | PTE_V | PTE_G | PTE_A | PTE_D;
		pa += LEVEL_SIZE(level);
	}
}

void arch_vm_init(const struct machine *m, struct page_source *pages)
{
	struct bootmem ram = { .nfree = 0 };
	paddr_t kstart = kva_to_pa(_kernel_start), kend = kva_to_pa(_kernel_end);
	unsigned i;

	kernel_root = pages->alloc(pages);
	if (kernel_root == 0)
		panic("arch_vm_init: no page for the kernel's root table");

	/* RAM minus what the firmware reserved and minus the kernel image
	 * (mapped below, section by section): read-write, never executable. */
	for (i = 0; i < m->nmem; i++)
		if (bootmem_add(&ram, m->mem[i].base, m->mem[i].size) != ERR_OK)
			panic("arch_vm_init: bad memory range %p", (void *)m->mem[i].base);
	for (i = 0; i < m->nreserved; i++)
		bootmem_remove(&ram, m->reserved[i].base, m->reserved[i].size);
	bootmem_remove(&ram, kstart, kend - kstart);
	for (i = 0; i < ram.nfree; i++)
		vm_map_kernel(ram.free[i].base, ram.free[i].base + ram.free[i].size, PTE_R | PTE_W,
			      pages);

	/* The kernel image, W^X: text RX, read-only data R, data and bss RW,
	 * the symbol table (after bss) R. */
	vm_map_kernel(kstart, kva_to_pa(_text_end), PTE_R | PTE_X, pages);
	vm_map_kernel(kva_to_pa(_text_end), kva_to_pa(_rodata_end), PTE_R, pages);
	vm_map_kernel(kva_to_pa(_rodata_end), kva_to_pa(_data_end), PTE_R | PTE_W, pages);
	vm_map_kernel(kva_to_pa(_data_end), kend, PTE_R, pages);

	/* The one device the kernel drives itself. */
	if (m->plic.present)
		vm_map_kernel(m->plic.base, m->plic.base + m->plic.size, PTE_R | PTE_W, pages);

	sfence_vma_all();
	CSR_WRITE(satp, SATP_MODE_SV39 | (kernel_root >> PAGE_SHIFT));
	sfence_vma_all();
}

void arch_vspace_init(struct vspace *vs, paddr_t root_page, uint16_t asid)
{
	uint64_t *user = pa_to_kva(root_page);
	const uint64_t *kernel = pa_to_kva(kernel_root);

	memcpy(&user[256], &kernel[256], 256 * sizeof(uint64_t));    /* the kernel half */
	vs->root = root_page;
	vs->asid = asid;
}

static uint64_t vm_pte_flags(unsigned vm_perm)
{
	uint64_t flags = PTE_U | PTE_A | PTE_D;

	if (vm_perm & VM_READ)
		flags |= PTE_R;
	if (vm_perm & VM_WRITE)
		flags |= PTE_W | PTE_R;   /* W without R is reserved in Sv39 */
	if (vm_perm & VM_EXEC)
		flags |= PTE_X;
	return flags;
}

int arch_vspace_map(struct vspace *vs, uaddr_t va, paddr_t pa, unsigned vm_perm,
		    struct page_source *pages)
{
	uint64_t *pte;

	if (va >= USER_TOP || (va & (PAGE_SIZE - 1)) || (pa & (PAGE_SIZE - 1)) ||
	    !(vm_perm & (VM_READ | VM_WRITE | VM_EXEC)))
		return ERR_INVALID_ARGUMENT;
	pte = pt_walk(vs->root, va, 0, pages);
	if (pte == NULL)
		return pages ? ERR_NO_MEMORY : ERR_NO_PAGE_TABLE;
	if (*pte & PTE_V)
		return ERR_ALREADY_MAPPED;
	*pte = PA_TO_PTE(pa) | vm_pte_flags(vm_perm) | PTE_V;
	/* A TLB may cache "not mapped" too: forget it for this page. */
	__asm__ volatile("sfence.vma %0, %1" : : "r"(va), "r"((uint64_t)vs->asid) : "memory");
	return ERR_OK;
}

int arch_vspace_map_table(struct vspace *vs, uaddr_t va, int level, paddr_t table)
{
	uint64_t *pte;

	if (va >= USER_TOP || level < 0 || level > 1 || (table & (PAGE_SIZE - 1)))
		return ERR_INVALID_ARGUMENT;
	/* LAB 2 BEGIN: find the entry at level + 1 for va, making no tables, and point it at `table` */
	/* LAB 2 HINT: pt_walk() with no page source stops where a table is missing */
	/* LAB 2 HINT: a pointer entry is V alone: R, W and X clear tell the MMU to go one level down */
	pte = pt_walk(vs->root, va, level + 1, NULL);
	if (pte == NULL)
		return ERR_NO_PAGE_TABLE;
	if (*pte & PTE_V)
		return ERR_ALREADY_MAPPED;
	*pte = PA_TO_PTE(table) | PTE_V;
	return ERR_OK;
	/* LAB 2 STUB: (void)vs; */
	/* LAB 2 STUB: (void)pte; */
	/* LAB 2 STUB: kprintf("lab 2: arch_vspace_map_table not implemented\n"); */
	/* LAB 2 STUB: return ERR_NOT_IMPLEMENTED; */
	/* LAB 2 END */
}

void arch_vspace_unmap(struct vspace *vs, uaddr_t va, int level, paddr_t pa)
{
	uint64_t *pte;

	if (va >= USER_TOP || level < 0 || level > 2)
		return;
	/* LAB 2 BEGIN: clear the entry at `level` for va if it is valid and points at pa, then flush the TLB */
	/* LAB 2 HINT: never make a table here; an entry that points elsewhere is someone else's mapping */
	/* LAB 2 HINT: arch_vspace_map() shows how to flush one page; a table's entry covers many pages */
	pte = pt_walk(vs->root, va, level, NULL);
	if (pte == NULL || !(*pte & PTE_V) || PTE_TO_PA(*pte) != pa)
		return;
	*pte = 0;
	if (level == 0)
		__asm__ volatile("sfence.vma %0, %1" : : "r"(va), "r"((uint64_t)vs->asid) : "memory");
	else
		arch_vspace_flush(vs->asid);    /* a whole table's worth of pages went */
	/* LAB 2 STUB: (void)vs; */
	/* LAB 2 STUB: (void)pte; */
	/* LAB 2 STUB: (void)pa; */
	/* LAB 2 STUB: kprintf("lab 2: arch_vspace_unmap not implemented\n"); */
	/* LAB 2 END */
}

void arch_vspace_flush(uint16_t asid)
{
	__asm__ volatile("sfence.vma zero, %0" : : "r"((uint64_t)asid) : "memory");
}

bool arch_vspace_translate(const struct vspace *vs, uaddr_t va, unsigned vm_perm, paddr_t *pa)
{
	uint64_t need = vm_pte_flags(vm_perm) & (PTE_R | PTE_W | PTE_X);
	/* User pages are 4 KiB leaves only: arch_vspace_map() makes no others. */
	const uint64_t *pte = va < USER_TOP ? pt_walk(vs->root, va, 0, NULL) : NULL;

	if (pte == NULL || !(*pte & PTE_V) || !(*pte & PTE_U) || (*pte & need) != need)
		return false;
	*pa = PTE_TO_PA(*pte) + (va & (PAGE_SIZE - 1));
	return true;
}

/* Print the valid entries of the level-`level` table at `table`, whose entry
 * 0 maps `va`, one line each, indented by depth; below a pointer entry, the
 * table it points at. The root stops at entry 255: the rest is the kernel
 * half, the same in every address space. Rights are PTE bits 1..4, R W X U. */
/* LAB 2 BEGIN: write vm_print_table(), which prints one table and, below each pointer, the table it points at */
static void vm_print_table(paddr_t table, int level, uint64_t va)
{
	const uint64_t *pt = pa_to_kva(table);
	unsigned i, b;

	for (i = 0; i < (level == 2 ? 256u : 512u); i++) {
		uint64_t pte = pt[i], at = va + ((uint64_t)i << LEVEL_SHIFT(level));
		bool leaf = level == 0 || (pte & PTE_LEAF_BITS);
		char rights[] = " rwxu";

		if (!(pte & PTE_V))
			continue;
		for (b = 0; b < 4; b++)
			if (!((pte >> (1 + b)) & 1))
				rights[1 + b] = '-';
		kprintf("%sL%d[%u] va 0x%lx pte 0x%lx %s 0x%lx%s\n", &"      "[2 * level], level, i,
			at, pte, leaf ? "page" : "table", PTE_TO_PA(pte), leaf ? rights : "");
		if (!leaf)
			vm_print_table(PTE_TO_PA(pte), level - 1, at);
	}
}
/* LAB 2 END */

void arch_vspace_print(const struct vspace *vs)
{
	/* LAB 2 BEGIN: print the header line, then the tree from the root table down */
	/* LAB 2 HINT: recursion mirrors the tree: a table's entries, and below each pointer the next table */
	kprintf("vspace 0x%lx asid %u: user half\n", vs->root, vs->asid);
	vm_print_table(vs->root, 2, 0);
	/* LAB 2 STUB: (void)vs; */
	/* LAB 2 STUB: kprintf("lab 2: arch_vspace_print not implemented\n"); */
	/* LAB 2 END */
}
