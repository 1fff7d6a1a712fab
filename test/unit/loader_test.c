/*
 * loader_test.c - loading ELF executables into an address space (against
 * the fake architecture): every byte of the file lands where the program
 * headers say, bss is zero, rights follow the segment flags, the stack is
 * mapped below its guard page, and running out of pages is reported.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootmem.h"
#include "elf.h"
#include "errors.h"
#include "fake_arch.h"
#include "loader.h"

static struct bootmem bm;
static struct vspace vs;

static paddr_t test_alloc(struct page_source *self)
{
	(void)self;
	return bootmem_alloc_pages(&bm, 1);
}

static struct page_source pages = { .alloc = test_alloc };

static void setup(void)
{
	fake_arch_reset();
	bm = (struct bootmem){ .nfree = 0 };
	cr_assert_eq(bootmem_add(&bm, FAKE_RAM_BASE, FAKE_RAM_SIZE), ERR_OK);
	arch_vspace_init(&vs, bootmem_alloc_pages(&bm, 1), 1);
}

TestSuite(loader, .init = setup);

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data;
	long n;

	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc(n);
	cr_assert_eq(fread(data, 1, n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	return data;
}

/* Read user memory through the fake mapping, one byte at a time. */
static int peek(uaddr_t va)
{
	paddr_t pa;

	if (!arch_vspace_translate(&vs, va, VM_READ, &pa))
		return -1;
	return *(uint8_t *)pa_to_kva(pa);
}

/* The real root program from the build (MICA_SAMPLE_ELF). */
Test(loader, loads_a_real_program_byte_for_byte)
{
	const char *path = getenv("MICA_SAMPLE_ELF");
	struct elf_image img;
	struct elf_segment seg;
	uaddr_t entry;
	char why[80];
	size_t size;
	uint8_t *file;
	unsigned i;
	uint64_t b;

	cr_assert_not_null(path, "set MICA_SAMPLE_ELF to a user ELF (make unit does)");
	file = read_file(path, &size);
	cr_assert_eq(loader_load(&vs, file, size, &pages, &entry, why, sizeof(why)),
		     ERR_OK, "%s", why);
	cr_assert_eq(elf_open(&img, file, size, USER_TOP), ERR_OK);
	cr_assert_eq(entry, elf_entry(&img));
	for (i = 0; i < elf_segment_count(&img); i++) {
		cr_assert_eq(elf_segment(&img, i, &seg), ERR_OK);
		for (b = 0; b < seg.memsz; b++) {
			int want = b < seg.filesz ? file[seg.file_offset + b] : 0;

			cr_assert_eq(peek(seg.vaddr + b), want, "segment %u byte %lu", i, b);
		}
		if (seg.perm & ELF_PERM_X)
			cr_assert_eq(fake_vspace_perm(&vs, seg.vaddr), VM_READ | VM_EXEC);
		if (seg.perm & ELF_PERM_W)
			cr_assert_eq(fake_vspace_perm(&vs, seg.vaddr), VM_READ | VM_WRITE);
	}
	free(file);
}

Test(loader, maps_the_stack_under_an_unmapped_guard)
{
	const char *path = getenv("MICA_SAMPLE_ELF");
	uaddr_t entry, stack_top = LOADER_STACK_TOP;
	char why[80];
	size_t size;
	uint8_t *file;

	cr_assert_not_null(path, "set MICA_SAMPLE_ELF");
	file = read_file(path, &size);
	cr_assert_eq(loader_load(&vs, file, size, &pages, &entry, why, sizeof(why)), ERR_OK);
	cr_assert_eq(fake_vspace_perm(&vs, stack_top - 1), VM_READ | VM_WRITE);
	cr_assert_eq(fake_vspace_perm(&vs, stack_top - LOADER_STACK_PAGES * PAGE_SIZE), VM_READ | VM_WRITE);
	cr_assert_eq(fake_vspace_perm(&vs, stack_top - (LOADER_STACK_PAGES + 1) * PAGE_SIZE), 0);
	cr_assert_eq(fake_vspace_perm(&vs, stack_top), 0);
	free(file);
}

Test(loader, refuses_a_bad_file_and_says_why)
{
	static uint8_t junk[256] = "\x7f" "ELF but not really";
	uaddr_t entry = 0;
	char why[80];

	cr_assert_eq(loader_load(&vs, junk, sizeof(junk), &pages, &entry, why, sizeof(why)),
		     ERR_BAD_FORMAT);
	cr_assert_neq(why[0], '\0');
	cr_assert_eq(fake_vspace_count(&vs), 0, "a refused file maps nothing");
}

Test(loader, reports_running_out_of_pages)
{
	const char *path = getenv("MICA_SAMPLE_ELF");
	uaddr_t entry;
	char why[80];
	size_t size;
	uint8_t *file;

	cr_assert_not_null(path, "set MICA_SAMPLE_ELF");
	file = read_file(path, &size);
	bm = (struct bootmem){ .nfree = 0 };
	cr_assert_eq(bootmem_add(&bm, FAKE_RAM_BASE + PAGE_SIZE, 2 * PAGE_SIZE), ERR_OK);
	cr_assert_eq(loader_load(&vs, file, size, &pages, &entry, why, sizeof(why)),
		     ERR_NO_MEMORY);
	free(file);
}
