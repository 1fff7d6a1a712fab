/*
 * loader.c - loading a program of the boot image from the program table.
 *
 * mkbootimg checked each ELF file at build time (lib/elf.c's elf_open: in
 * user space, inside the file, W^X, no two segments sharing a page) and
 * wrote down its segments. The kernel checks again what it relies on, all
 * of it before it copies a byte, so loading cannot fail halfway on a bad
 * table, only on running out of pages. Each page gets a fresh zeroed frame
 * with the segment's bytes that fall into it.
 */
#include "loader.h"
#include "elf.h"
#include "errors.h"
#include "str.h"

/* A segment's ELF_PERM_* bits are its vm_perm as they are. */
_Static_assert(ELF_PERM_R == VM_READ && ELF_PERM_W == VM_WRITE && ELF_PERM_X == VM_EXEC,
	       "ELF permissions and VM_* rights are the same bits");

/* Programs end below the stack's guard page. */
#define LOADER_USER_END (LOADER_STACK_TOP - (LOADER_STACK_PAGES + 1) * PAGE_SIZE)

const struct bootprog_table *loader_table(const void *table, size_t size)
{
	const struct bootprog_table *t = table;

	if (size < sizeof(*t) || t->magic != BOOTPROG_MAGIC || t->version != BOOTPROG_VERSION ||
	    t->count > (size - sizeof(*t)) / sizeof(t->program[0]))
		return NULL;
	return t;
}

const struct bootprog *loader_find(const struct bootprog_table *t, const char *name)
{
	size_t len = strlen(name) + 1;
	unsigned i;

	for (i = 0; i < t->count && len <= BOOTIMG_NAME_SIZE; i++)
		if (memcmp(t->program[i].name, name, len) == 0)
			return &t->program[i];
	return NULL;
}

/* The rules of lib/bootimg.h's program table that loading relies on. */
static const char *loader_check(const struct bootprog *p, size_t image_size)
{
	bool entry_ok = false;
	unsigned i;

	if (p->nsegments == 0 || p->nsegments > BOOTPROG_MAX_SEGMENTS)
		return "no segments, or too many";
	for (i = 0; i < p->nsegments; i++) {
		const struct bootprog_segment *s = &p->segment[i];

		if (s->filesz > s->memsz || s->offset > image_size || s->filesz > image_size - s->offset)
			return "a segment's bytes are outside the boot image";
		if (s->memsz == 0 || s->vaddr < PAGE_SIZE || s->vaddr > LOADER_USER_END ||
		    s->memsz > LOADER_USER_END - s->vaddr)
			return "a segment is empty or outside the program's part of user space";
		if (s->perm == 0 || s->perm > (VM_READ | VM_WRITE | VM_EXEC) ||
		    (s->perm & (VM_WRITE | VM_EXEC)) == (VM_WRITE | VM_EXEC))
			return "a segment's rights are unknown or writable and executable";
		if ((s->perm & VM_EXEC) && p->entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	return entry_ok ? NULL : "the entry point is not in an executable segment";
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
		size_t image_size, struct page_source *pages, const char **why)
{
	/* The stack is one more segment, with no bytes from the image. */
	const struct bootprog_segment stack = {
		.vaddr = LOADER_STACK_TOP - LOADER_STACK_PAGES * PAGE_SIZE,
		.memsz = LOADER_STACK_PAGES * PAGE_SIZE, .perm = VM_READ | VM_WRITE,
	};
	unsigned i;
	int err = ERR_OK;

	*why = loader_check(p, image_size);
	if (*why != NULL)
		return ERR_BAD_FORMAT;
	for (i = 0; err == ERR_OK && i < p->nsegments; i++)
		err = loader_map_segment(vs, image, &p->segment[i], pages);
	return err == ERR_OK ? loader_map_segment(vs, image, &stack, pages) : err;
}
