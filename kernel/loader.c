/*
 * loader.c - loading an ELF executable into a fresh address space.
 *
 * elf_open() (lib/elf.c) checks the whole file first: segments in user
 * space, inside the file, W^X, no two segments sharing a page. Only then do
 * we copy, page by page, so loading itself cannot fail on bad input, only on
 * running out of pages.
 */
#include "loader.h"
#include "elf.h"
#include "errors.h"
#include "str.h"

/* A segment's ELF_PERM_* bits are its vm_perm as they are. */
_Static_assert(ELF_PERM_R == VM_READ && ELF_PERM_W == VM_WRITE && ELF_PERM_X == VM_EXEC,
	       "ELF permissions and VM_* rights are the same bits");

/* Map one segment: every page it touches gets a fresh zeroed frame, and the
 * bytes of the file that fall into that page are copied in. */
static int loader_map_segment(struct vspace *vs, const struct elf_image *img,
			      const struct elf_segment *seg, struct page_source *pages)
{
	uaddr_t page, end = seg->vaddr + seg->memsz;

	for (page = PAGE_ROUND_DOWN(seg->vaddr); page < end; page += PAGE_SIZE) {
		paddr_t frame = pages->alloc(pages);
		int err;

		if (frame == 0)
			return ERR_NO_MEMORY;
		elf_segment_page(img, seg, page, pa_to_kva(frame));
		err = arch_vspace_map(vs, page, frame, seg->perm, pages);
		if (err != ERR_OK)
			return err;
	}
	return ERR_OK;
}

int loader_load(struct vspace *vs, const void *elf, size_t size, struct page_source *pages,
		uaddr_t *entry, char *why, size_t why_size)
{
	/* The stack is one more segment, with no bytes from the file. */
	const struct elf_segment stack = {
		.vaddr = LOADER_STACK_TOP - LOADER_STACK_PAGES * PAGE_SIZE,
		.memsz = LOADER_STACK_PAGES * PAGE_SIZE, .perm = VM_READ | VM_WRITE,
	};
	struct elf_image img;
	struct elf_segment seg;
	unsigned i;
	/* Programs must stay below the stack and its guard page. */
	int err = elf_open(&img, elf, size, stack.vaddr - PAGE_SIZE);

	str_copy(why, elf_open_reason(&img), why_size);
	for (i = 0; err == ERR_OK && i < elf_segment_count(&img); i++) {
		elf_segment(&img, i, &seg);
		err = loader_map_segment(vs, &img, &seg, pages);
	}
	if (err != ERR_OK)
		return err;
	*entry = elf_entry(&img);
	return loader_map_segment(vs, &img, &stack, pages);
}
