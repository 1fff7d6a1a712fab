/*
 * loader.c - loading a program of the boot image from the program table.
 *
 * mkbootimg checked each ELF file at build time (lib/elf.c's elf_open: in
 * user space, inside the file, W^X, no two segments sharing a page) and
 * wrote down its segments, each checked with bootprog_check() (lib/bootimg.c)
 * against the layout root runs in. The table is part of the kernel image,
 * as trusted as the kernel's own code, so loading follows it and can fail
 * only by running out of pages. Each page gets a fresh zeroed frame with the
 * segment's bytes that fall into it.
 */
#include "loader.h"
#include "elf.h"
#include "errors.h"
#include "str.h"

/* A segment's ELF_PERM_* bits are its vm_perm as they are, and the table's
 * idea of user space is the kernel's. */
_Static_assert(ELF_PERM_R == VM_READ && ELF_PERM_W == VM_WRITE && ELF_PERM_X == VM_EXEC,
	       "ELF permissions and VM_* rights are the same bits");
_Static_assert(BOOTPROG_USER_TOP == USER_TOP, "the program table's user space is Sv39's");

const struct bootprog *loader_find(const struct bootprog_table *t, const char *name)
{
	size_t len = strlen(name) + 1;
	unsigned i;

	for (i = 0; i < t->count && len <= BOOTIMG_NAME_SIZE; i++)
		if (memcmp(t->program[i].name, name, len) == 0)
			return &t->program[i];
	return NULL;
}

/* Map one segment, page by page, copying its bytes from the image. */
static int loader_map_segment(struct vspace *vs, const uint8_t *image,
			      const struct bootprog_segment *s, struct page_source *pages)
{
	uint64_t page, file_end = s->vaddr + s->filesz;

	for (page = PAGE_ROUND_DOWN(s->vaddr); page < s->vaddr + s->memsz; page += PAGE_SIZE) {
		uint64_t from = page > s->vaddr ? page : s->vaddr;
		uint64_t to = page + PAGE_SIZE < file_end ? page + PAGE_SIZE : file_end;
		paddr_t frame = pages->alloc(pages);
		int err;

		if (frame == 0)
			return ERR_NO_MEMORY;
		if (from < to)
			memcpy((uint8_t *)pa_to_kva(frame) + (from - page),
			       image + s->offset + (from - s->vaddr), to - from);
		err = arch_vspace_map(vs, page, frame, s->perm, pages);
		if (err != ERR_OK)
			return err;
	}
	return ERR_OK;
}

int loader_load(struct vspace *vs, const struct bootprog *p, const void *image,
		struct page_source *pages)
{
	/* The stack is one more segment, with no bytes from the image. */
	const struct bootprog_segment stack = {
		.vaddr = BOOTPROG_STACK_TOP - BOOTPROG_STACK_PAGES * PAGE_SIZE,
		.memsz = BOOTPROG_STACK_PAGES * PAGE_SIZE, .perm = VM_READ | VM_WRITE,
	};
	unsigned i;
	int err = ERR_OK;

	for (i = 0; err == ERR_OK && i < p->nsegments; i++)
		err = loader_map_segment(vs, image, &p->segment[i], pages);
	return err == ERR_OK ? loader_map_segment(vs, image, &stack, pages) : err;
}
