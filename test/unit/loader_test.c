/*
 * loader_test.c - loading a program from the boot image's program table
 * (against the fake architecture): every byte of the file lands where the
 * segments say, bss is zero, rights follow the segment flags, the stack is
 * mapped below its guard page, and running out of pages is reported. And
 * the table's rules, which mkbootimg checks with bootprog_check() so the
 * kernel need not: the real program keeps them, and each broken one is
 * named. The table entry is made here from the ELF with lib/elf.c,
 * independently of mkbootimg (bootimg_test runs that end to end).
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

/* The real root program from the build (MICA_SAMPLE_ELF), as the "boot
 * image" (the file alone, at offset 0), and its program table entry. */
static uint8_t *sample(size_t *size, struct bootprog *p)
{
	const char *path = getenv("MICA_SAMPLE_ELF");
	struct elf_image img;
	struct elf_segment seg;
	uint8_t *data;
	unsigned i;
	FILE *f;
	long n;

	cr_assert_not_null(path, "set MICA_SAMPLE_ELF to a user ELF (make unit does)");
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc(n);
	cr_assert_eq(fread(data, 1, n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	cr_assert_eq(elf_open(&img, data, *size, USER_TOP), ERR_OK);
	*p = (struct bootprog){ .name = "root", .entry = elf_entry(&img), .size = *size,
				.nsegments = elf_segment_count(&img) };
	for (i = 0; i < p->nsegments; i++) {
		elf_segment(&img, i, &seg);
		p->segment[i] = (struct bootprog_segment){ .vaddr = seg.vaddr, .memsz = seg.memsz,
			.offset = seg.file_offset, .filesz = seg.filesz, .perm = seg.perm };
	}
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

Test(loader, loads_a_real_program_byte_for_byte)
{
	struct bootprog p;
	size_t size;
	uint8_t *file = sample(&size, &p);
	unsigned i;
	uint64_t b;

	cr_assert_null(bootprog_check(&p, size), "%s", bootprog_check(&p, size));
	cr_assert_eq(loader_load(&vs, &p, file, &pages), ERR_OK);
	cr_assert_geq(p.nsegments, 2, "root has code and data");
	for (i = 0; i < p.nsegments; i++) {
		const struct bootprog_segment *s = &p.segment[i];

		for (b = 0; b < s->memsz; b++) {
			int want = b < s->filesz ? file[s->offset + b] : 0;

			cr_assert_eq(peek(s->vaddr + b), want, "segment %u byte %lu", i, b);
		}
		/* The rest of a segment's first page is zero, not file bytes. */
		for (b = s->vaddr & ~(PAGE_SIZE - 1); b < s->vaddr; b++)
			cr_assert_eq(peek(b), 0, "below segment %u at %lx", i, b);
		if (s->perm & ELF_PERM_X)
			cr_assert_eq(fake_vspace_perm(&vs, s->vaddr), VM_READ | VM_EXEC);
		if (s->perm & ELF_PERM_W)
			cr_assert_eq(fake_vspace_perm(&vs, s->vaddr), VM_READ | VM_WRITE);
	}
	free(file);
}

Test(loader, maps_the_stack_under_an_unmapped_guard)
{
	uaddr_t stack_top = BOOTPROG_STACK_TOP;
	struct bootprog p;
	size_t size;
	uint8_t *file = sample(&size, &p);

	cr_assert_eq(loader_load(&vs, &p, file, &pages), ERR_OK);
	cr_assert_eq(fake_vspace_perm(&vs, stack_top - 1), VM_READ | VM_WRITE);
	cr_assert_eq(fake_vspace_perm(&vs, stack_top - BOOTPROG_STACK_PAGES * PAGE_SIZE), VM_READ | VM_WRITE);
	cr_assert_eq(fake_vspace_perm(&vs, stack_top - (BOOTPROG_STACK_PAGES + 1) * PAGE_SIZE), 0);
	cr_assert_eq(fake_vspace_perm(&vs, stack_top), 0);
	free(file);
}

/* Each broken rule of the table is named (mkbootimg then stops the build). */
Test(loader, bootprog_check_names_each_broken_rule)
{
	struct bootprog good, p;
	size_t size;
	uint8_t *file = sample(&size, &good);
	struct bootprog_segment *s = &p.segment[0];
	uint64_t guard = BOOTPROG_STACK_TOP - (BOOTPROG_STACK_PAGES + 1) * PAGE_SIZE;
	unsigned x;

	for (x = 0; x < good.nsegments && !(good.segment[x].perm & ELF_PERM_X); x++)
		;
	for (int rule = 0; rule < 12; rule++) {
		p = good;
		switch (rule) {
		case 0: p.nsegments = 0; break;
		case 1: p.nsegments = BOOTPROG_MAX_SEGMENTS + 1; break;
		case 2: s->filesz = s->memsz + 1; break;
		case 3: s->offset = size - s->filesz + 1; break;
		case 4: s->offset = UINT64_MAX; break;
		case 5: s->memsz = 0; s->filesz = 0; break;
		case 6: s->vaddr = 0; break;
		case 7: s->vaddr = guard - s->memsz + 1; break;
		case 8: s->memsz = UINT64_MAX; break;
		case 9: s->perm = 0; break;
		case 10: p.segment[x].perm = VM_READ | VM_WRITE | VM_EXEC; break;
		case 11: p.entry = p.segment[x].vaddr + p.segment[x].memsz; break;
		}
		cr_assert_not_null(bootprog_check(&p, size), "rule %d", rule);
	}
	free(file);
}

Test(loader, reports_running_out_of_pages)
{
	struct bootprog p;
	size_t size;
	uint8_t *file = sample(&size, &p);

	bm = (struct bootmem){ .nfree = 0 };
	cr_assert_eq(bootmem_add(&bm, FAKE_RAM_BASE + PAGE_SIZE, 2 * PAGE_SIZE), ERR_OK);
	cr_assert_eq(loader_load(&vs, &p, file, &pages), ERR_NO_MEMORY);
	free(file);
}

/* Lookups by name: the whole name, nul included, and never past a field. */
Test(loader, finds_programs_by_name)
{
	static union {
		struct bootprog_table t;
		uint8_t bytes[sizeof(struct bootprog_table) + 2 * sizeof(struct bootprog)];
	} u;

	u.t = (struct bootprog_table){ .magic = BOOTPROG_MAGIC, .version = BOOTPROG_VERSION, .count = 2 };
	strcpy(u.t.program[0].name, "root");
	memset(u.t.program[1].name, 'x', BOOTIMG_NAME_SIZE);    /* no nul: never matches */
	cr_assert_eq(loader_find(&u.t, "root"), &u.t.program[0]);
	cr_assert_null(loader_find(&u.t, "roo"));
	cr_assert_null(loader_find(&u.t, "rootx"));
	cr_assert_null(loader_find(&u.t, ""));
	cr_assert_null(loader_find(&u.t, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
}
