/*
 * elf_test.c - host tests for lib/elf.c: one good two-segment executable is
 * built in memory, then each test breaks exactly one thing and checks that
 * elf_open() refuses it with the right reason.
 *
 * Blobs live in malloc'd buffers of exactly the file's size, so a build with
 * -fsanitize=address catches any read past the end. MICA_SAMPLE_ELF may name
 * a real RISC-V executable, which must be accepted.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "errors.h"

#define USER_TOP 0x4000000000ull	/* Sv39 lower half */
#define TB_MAX_PH 8

/* What the builder writes: an ELF header, program headers at phoff, and a
 * recognisable byte pattern everywhere else. */
struct tb_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz;
};

struct tb_elf {
	unsigned char ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff;
	uint16_t phentsize, phnum;
	struct tb_phdr ph[TB_MAX_PH];
	size_t size;
};

static void put(unsigned char *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* tb_good: text (RX) at 0x10000 from offset 0x1000, and data (RW) on the
 * next page with 0x80 bytes from the file and the rest of 0x3000 as bss. */
static struct tb_elf tb_good(void)
{
	struct tb_elf e;

	memset(&e, 0, sizeof(e));
	memcpy(e.ident, "\x7f" "ELF", 4);
	e.ident[4] = 2;		/* ELFCLASS64 */
	e.ident[5] = 1;		/* ELFDATA2LSB */
	e.ident[6] = 1;		/* EV_CURRENT */
	e.type = ELF_ET_EXEC;
	e.machine = ELF_EM_RISCV;
	e.version = 1;
	e.entry = 0x10010;
	e.phoff = 64;
	e.phentsize = ELF_PHDR_SIZE;
	e.phnum = 2;
	e.ph[0] = (struct tb_phdr){ ELF_PT_LOAD, ELF_PERM_R | ELF_PERM_X,
				    0x1000, 0x10000, 0x100, 0x100 };
	e.ph[1] = (struct tb_phdr){ ELF_PT_LOAD, ELF_PERM_R | ELF_PERM_W,
				    0x2000, 0x11000, 0x80, 0x3000 };
	e.size = 0x2080;
	return e;
}

/* tb_build returns a malloc'd blob of exactly e->size bytes. Program headers
 * that do not fit in the blob are cut off, as a truncated file would be. */
static unsigned char *tb_build(const struct tb_elf *e)
{
	unsigned char *b = malloc(e->size ? e->size : 1);
	unsigned char hdr[64], ph[ELF_PHDR_SIZE];

	cr_assert_not_null(b);
	for (size_t i = 0; i < e->size; i++)
		b[i] = (unsigned char)(i * 7 + 3);
	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, e->ident, 16);
	put(hdr + 16, e->type, 2);
	put(hdr + 18, e->machine, 2);
	put(hdr + 20, e->version, 4);
	put(hdr + 24, e->entry, 8);
	put(hdr + 32, e->phoff, 8);
	put(hdr + 52, 64, 2);
	put(hdr + 54, e->phentsize, 2);
	put(hdr + 56, e->phnum, 2);
	memcpy(b, hdr, e->size < 64 ? e->size : 64);
	for (unsigned i = 0; i < e->phnum && i < TB_MAX_PH; i++) {
		uint64_t at = e->phoff + (uint64_t)i * ELF_PHDR_SIZE;

		memset(ph, 0, sizeof(ph));
		put(ph, e->ph[i].type, 4);
		put(ph + 4, e->ph[i].flags, 4);
		put(ph + 8, e->ph[i].offset, 8);
		put(ph + 16, e->ph[i].vaddr, 8);
		put(ph + 24, e->ph[i].vaddr, 8);
		put(ph + 32, e->ph[i].filesz, 8);
		put(ph + 40, e->ph[i].memsz, 8);
		put(ph + 48, 0x1000, 8);
		if (e->phoff < e->size &&
		    (uint64_t)i * ELF_PHDR_SIZE < e->size - e->phoff &&
		    ELF_PHDR_SIZE <= e->size - at)
			memcpy(b + at, ph, sizeof(ph));
	}
	return b;
}

/* open_top builds e, opens it with user_top and returns elf_open's code;
 * the reason is copied to why (which may be NULL). */
static int open_top(const struct tb_elf *e, uint64_t user_top,
		    char why[ELF_REASON_MAX])
{
	struct elf_image img;
	unsigned char *b = tb_build(e);
	int err = elf_open(&img, b, e->size, user_top);

	if (why)
		snprintf(why, ELF_REASON_MAX, "%s", elf_open_reason(&img));
	free(b);
	return err;
}

static int open_tb(const struct tb_elf *e)
{
	return open_top(e, USER_TOP, NULL);
}

/* expect_reject_top checks that e is refused with a reason containing part. */
static void expect_reject_top(const struct tb_elf *e, uint64_t user_top,
			      const char *part)
{
	char why[ELF_REASON_MAX];

	cr_assert_eq(open_top(e, user_top, why), ERR_BAD_FORMAT,
		     "accepted a file that should fail with \"%s\"", part);
	cr_assert(strstr(why, part) != NULL, "reason \"%s\" lacks \"%s\"",
		  why, part);
}

static void expect_reject(const struct tb_elf *e, const char *part)
{
	expect_reject_top(e, USER_TOP, part);
}

Test(elf, accepts_two_segment_file)
{
	struct tb_elf e = tb_good();
	unsigned char *b = tb_build(&e), *odd;
	struct elf_image img;
	struct elf_segment s;

	cr_assert_eq(elf_open(&img, b, e.size, USER_TOP), ERR_OK, "%s",
		     elf_open_reason(&img));
	cr_assert_str_eq(elf_open_reason(&img), "ok");
	cr_assert_eq(elf_entry(&img), 0x10010);
	cr_assert_eq(elf_segment_count(&img), 2);
	cr_assert_eq(elf_segment(&img, 0, &s), ERR_OK);
	cr_assert_eq(s.vaddr, 0x10000);
	cr_assert_eq(s.memsz, 0x100);
	cr_assert_eq(s.file_offset, 0x1000);
	cr_assert_eq(s.filesz, 0x100);
	cr_assert_eq(s.perm, ELF_PERM_R | ELF_PERM_X);
	cr_assert_eq(elf_segment(&img, 1, &s), ERR_OK);
	cr_assert_eq(s.vaddr, 0x11000);
	cr_assert_eq(s.memsz, 0x3000);
	cr_assert_eq(s.file_offset, 0x2000);
	cr_assert_eq(s.filesz, 0x80);
	cr_assert_eq(s.perm, ELF_PERM_R | ELF_PERM_W);
	memset(&s, 0xaa, sizeof(s));
	cr_assert_eq(elf_segment(&img, 2, &s), ERR_NOT_FOUND);
	cr_assert_eq(s.vaddr, 0xaaaaaaaaaaaaaaaaull, "seg touched on failure");
	cr_assert_eq(elf_segment(&img, 1000, &s), ERR_NOT_FOUND);

	/* The same file one byte off alignment. */
	odd = malloc(e.size + 1);
	memcpy(odd + 1, b, e.size);
	cr_assert_eq(elf_open(&img, odd + 1, e.size, USER_TOP), ERR_OK);
	cr_assert_eq(elf_segment(&img, 1, &s), ERR_OK);
	cr_assert_eq(s.memsz, 0x3000);
	free(odd);
	free(b);
}

Test(elf, fills_each_page_with_its_part_of_the_file)
{
	struct tb_elf e = tb_good();
	unsigned char *b, page[ELF_PAGE_SIZE], zero[ELF_PAGE_SIZE] = { 0 };
	struct elf_image img;
	struct elf_segment s;

	/* Data that starts 0x40 into its page: file bytes 0x2040..0x2080. */
	e.ph[1].offset = 0x2040;
	e.ph[1].vaddr = 0x11040;
	e.ph[1].filesz = 0x40;
	b = tb_build(&e);
	cr_assert_eq(elf_open(&img, b, e.size, USER_TOP), ERR_OK, "%s", elf_open_reason(&img));
	cr_assert_eq(elf_segment(&img, 1, &s), ERR_OK);
	memset(page, 0, sizeof(page));
	elf_segment_page(&img, &s, 0x11000, page);
	cr_assert_arr_eq(page, zero, 0x40);
	cr_assert_arr_eq(page + 0x40, b + 0x2040, 0x40);
	cr_assert_arr_eq(page + 0x80, zero, ELF_PAGE_SIZE - 0x80);
	/* A page of bss only stays zero. */
	elf_segment_page(&img, &s, 0x12000, page);
	cr_assert_arr_eq(page + 0x80, zero, ELF_PAGE_SIZE - 0x80);
	/* Text: one page, 0x100 bytes from 0x1000. */
	cr_assert_eq(elf_segment(&img, 0, &s), ERR_OK);
	memset(page, 0, sizeof(page));
	elf_segment_page(&img, &s, 0x10000, page);
	cr_assert_arr_eq(page, b + 0x1000, 0x100);
	cr_assert_arr_eq(page + 0x100, zero, ELF_PAGE_SIZE - 0x100);
	free(b);
}

Test(elf, skips_other_program_headers)
{
	struct tb_elf e = tb_good();
	struct elf_image img;
	struct elf_segment s;
	unsigned char *b;

	e.phnum = 5;
	e.ph[3] = e.ph[1];
	e.ph[1] = e.ph[0];
	e.ph[0] = (struct tb_phdr){ 4, ELF_PERM_R, 0x2000, 0, 0x10, 0 };
	e.ph[2] = (struct tb_phdr){ 0x6474e551, ELF_PERM_R | ELF_PERM_W,
				    0, 0, 0, 0 };	/* PT_GNU_STACK */
	e.ph[4] = (struct tb_phdr){ 0x70000003, ELF_PERM_R,
				    0x2010, 0, 0x20, 0 }; /* PT_RISCV_ATTRIBUTES */
	b = tb_build(&e);
	cr_assert_eq(elf_open(&img, b, e.size, USER_TOP), ERR_OK, "%s",
		     elf_open_reason(&img));
	cr_assert_eq(elf_segment_count(&img), 2);
	cr_assert_eq(elf_segment(&img, 0, &s), ERR_OK);
	cr_assert_eq(s.vaddr, 0x10000);
	cr_assert_eq(elf_segment(&img, 1, &s), ERR_OK);
	cr_assert_eq(s.vaddr, 0x11000);
	cr_assert_eq(elf_segment(&img, 2, &s), ERR_NOT_FOUND);
	free(b);
}

Test(elf, rejects_bad_header_fields)
{
	struct tb_elf e;

	e = tb_good(); e.ident[1] = 'e';
	expect_reject(&e, "bad magic");
	e = tb_good(); e.ident[4] = 1;
	expect_reject(&e, "64-bit");
	e = tb_good(); e.ident[5] = 2;
	expect_reject(&e, "little-endian");
	e = tb_good(); e.ident[6] = 0;
	expect_reject(&e, "version");
	e = tb_good(); e.version = 2;
	expect_reject(&e, "version");
	e = tb_good(); e.machine = 62;	/* EM_X86_64 */
	expect_reject(&e, "RISC-V");
	e = tb_good(); e.type = 3;	/* ET_DYN: PIE or shared object */
	expect_reject(&e, "ET_EXEC");
	e = tb_good(); e.type = 1;	/* ET_REL */
	expect_reject(&e, "ET_EXEC");
	e = tb_good(); e.phentsize = 32;
	expect_reject(&e, "program header size");
}

/* Every cut of the good file is missing data its headers promise. */
Test(elf, rejects_every_truncation)
{
	struct tb_elf good = tb_good();
	struct elf_image img;
	char why[ELF_REASON_MAX];

	cr_assert_eq(elf_open(&img, NULL, 0, USER_TOP), ERR_BAD_FORMAT);
	for (size_t n = 0; n < good.size; n++) {
		struct tb_elf e = good;

		e.size = n;
		cr_assert_eq(open_top(&e, USER_TOP, why), ERR_BAD_FORMAT,
			     "accepted a file cut to %zu bytes", n);
		if (n < ELF_EHDR_SIZE)
			cr_assert(strstr(why, "shorter") != NULL, "%s", why);
	}
}

Test(elf, rejects_program_header_table_out_of_bounds)
{
	struct tb_elf e;

	e = tb_good(); e.phoff = e.size;
	expect_reject(&e, "program header table");
	e = tb_good(); e.phoff = e.size - ELF_PHDR_SIZE - 1;
	expect_reject(&e, "program header table");
	e = tb_good(); e.phoff = UINT64_MAX - 10;
	expect_reject(&e, "program header table");
	e = tb_good(); e.phnum = ELF_MAX_PHNUM + 1;
	expect_reject(&e, "too many");
	e = tb_good(); e.phnum = 0xffff;	/* PN_XNUM */
	expect_reject(&e, "too many");
}

Test(elf, rejects_file_without_load_segment)
{
	struct tb_elf e;

	e = tb_good(); e.phnum = 0;
	expect_reject(&e, "no loadable segment");
	e = tb_good(); e.ph[0].type = 4; e.ph[1].type = 6;	/* NOTE, PHDR */
	expect_reject(&e, "no loadable segment");
}

Test(elf, rejects_dynamic_linking)
{
	struct tb_elf e;

	e = tb_good(); e.phnum = 3;
	e.ph[2] = (struct tb_phdr){ ELF_PT_INTERP, ELF_PERM_R, 0x100, 0, 0x10, 0x10 };
	expect_reject(&e, "program header 2: needs dynamic linking");
	e.ph[2].type = ELF_PT_DYNAMIC;
	expect_reject(&e, "program header 2: needs dynamic linking");
}

Test(elf, rejects_bad_sizes)
{
	struct tb_elf e;

	e = tb_good(); e.ph[1].filesz = e.ph[1].memsz + 1;
	e.size = e.ph[1].offset + e.ph[1].filesz;
	expect_reject(&e, "program header 1: file size larger");
}

/* GNU ld emits an empty PT_LOAD for a declared segment with no sections:
 * it maps nothing, so it is skipped, not refused. */
Test(elf, ignores_empty_load_segments)
{
	struct tb_elf e = tb_good();
	struct elf_image img;
	struct elf_segment seg;
	unsigned char *b;

	/* An empty, RWX, page-0 PT_LOAD after the two real ones. */
	e.phnum = 3;
	e.ph[2] = (struct tb_phdr){ ELF_PT_LOAD, ELF_PERM_R | ELF_PERM_W | ELF_PERM_X, 0, 0, 0, 0 };
	b = tb_build(&e);
	cr_assert_eq(elf_open(&img, b, e.size, USER_TOP), ERR_OK, "%s", elf_open_reason(&img));
	cr_assert_eq(elf_segment_count(&img), 2);
	cr_assert_eq(elf_segment(&img, 1, &seg), ERR_OK);
	cr_assert_eq(seg.vaddr, 0x11000);
	cr_assert_eq(elf_segment(&img, 2, &seg), ERR_NOT_FOUND);
	free(b);
}

Test(elf, rejects_file_range_out_of_bounds)
{
	struct tb_elf e;

	e = tb_good(); e.ph[1].filesz = 0x81;	/* one byte past the end */
	expect_reject(&e, "program header 1: file data");
	e = tb_good(); e.ph[1].offset = 0x3000; e.ph[1].vaddr = 0x12000;
	e.ph[1].filesz = 0;	/* even an empty range must start inside */
	expect_reject(&e, "program header 1: file data");
	e = tb_good();
	e.ph[1].offset = UINT64_MAX & ~0xfffull;	/* offset + filesz wraps */
	e.ph[1].filesz = 0x2000; e.ph[1].memsz = 0x3000;
	expect_reject(&e, "program header 1: file data");
	e = tb_good();		/* offset inside, offset + filesz wraps to inside */
	e.ph[1].filesz = UINT64_MAX - 0x1000; e.ph[1].memsz = UINT64_MAX;
	expect_reject(&e, "program header 1: file data");
	e = tb_good(); e.ph[0].offset = 0x2000 + 0x1000;
	expect_reject(&e, "program header 0: file data");
}

Test(elf, rejects_addresses_outside_user_memory)
{
	struct tb_elf e;

	e = tb_good(); e.ph[0].vaddr = 0; e.ph[0].offset = 0;
	e.entry = 0x10;
	expect_reject(&e, "program header 0: starts below 0x1000");
	/* vaddr + memsz wraps past 2^64 */
	e = tb_good(); e.ph[1].vaddr = UINT64_MAX & ~0xfffull;
	expect_reject(&e, "program header 1: ends above user memory");
	e = tb_good(); e.ph[1].vaddr = USER_TOP - 0x2000;
	expect_reject(&e, "program header 1: ends above user memory");
	e = tb_good(); e.ph[1].vaddr = USER_TOP;
	expect_reject(&e, "program header 1: ends above user memory");
	e = tb_good(); e.ph[1].vaddr = USER_TOP + 0x1000;
	expect_reject(&e, "program header 1: ends above user memory");
	/* With no limit at all, only the wrap-around check stands in the way. */
	e = tb_good(); e.ph[1].vaddr = UINT64_MAX & ~0xfffull;
	expect_reject_top(&e, UINT64_MAX, "program header 1: ends above user");
}

Test(elf, accepts_segments_at_the_limits)
{
	struct tb_elf e;

	e = tb_good(); e.ph[1].vaddr = USER_TOP - 0x3000;	/* ends at top */
	cr_assert_eq(open_tb(&e), ERR_OK);
	e = tb_good(); e.ph[0].vaddr = ELF_MIN_VADDR; e.entry = 0x1000;
	cr_assert_eq(open_tb(&e), ERR_OK);
}

Test(elf, rejects_offset_not_congruent_with_address)
{
	struct tb_elf e = tb_good();

	e.ph[1].vaddr = 0x11008;
	expect_reject(&e, "program header 1: address and offset differ");
}

Test(elf, rejects_segments_sharing_a_page)
{
	struct tb_elf e;

	/* data starts on the page where text ends */
	e = tb_good(); e.ph[1].vaddr = 0x10000 + 0x2000 - 0x1000;
	e.ph[0].memsz = 0x1008; e.ph[0].filesz = 0x100;
	expect_reject(&e, "program header 1: shares a page with program header 0");
	/* same page, disjoint bytes */
	e = tb_good(); e.ph[1].offset = 0x1800;
	e.ph[1].vaddr = 0x10800; e.ph[1].memsz = 0x80;
	expect_reject(&e, "program header 1: shares a page with program header 0");
	/* out of order and overlapping a later segment's bss */
	e = tb_good(); e.ph[0].vaddr = 0x12000; e.entry = 0x12010;
	expect_reject(&e, "program header 1: shares a page with program header 0");
	/* out of order but disjoint is fine */
	e = tb_good(); e.ph[0].vaddr = 0x20000; e.entry = 0x20010;
	cr_assert_eq(open_tb(&e), ERR_OK);
}

Test(elf, rejects_writable_and_executable)
{
	struct tb_elf e;

	e = tb_good(); e.ph[1].flags = ELF_PERM_R | ELF_PERM_W | ELF_PERM_X;
	expect_reject(&e, "program header 1: writable and executable");
	e = tb_good(); e.ph[0].flags = ELF_PERM_W | ELF_PERM_X;
	expect_reject(&e, "program header 0: writable and executable");
}

Test(elf, rejects_entry_outside_executable_segment)
{
	struct tb_elf e;

	e = tb_good(); e.entry = 0x11010;	/* in data */
	expect_reject(&e, "entry point");
	e = tb_good(); e.entry = 0x10100;	/* one past text */
	expect_reject(&e, "entry point");
	e = tb_good(); e.entry = 0xfff0;	/* just before text */
	expect_reject(&e, "entry point");
	e = tb_good(); e.entry = 0;
	expect_reject(&e, "entry point");
	e = tb_good(); e.entry = 0x100ff;	/* last byte of text */
	cr_assert_eq(open_tb(&e), ERR_OK);
}

/* A tiny deterministic generator, so that a failure reproduces. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Random damage to the headers must never crash elf_open (run this under
 * -fsanitize=address), and whatever it still accepts must obey its rules. */
Test(elf, survives_random_header_damage)
{
	struct tb_elf e = tb_good();
	unsigned char *good = tb_build(&e);
	size_t hdrs = 64 + 2 * ELF_PHDR_SIZE;
	unsigned accepted = 0;

	for (int round = 0; round < 20000; round++) {
		unsigned char *b = malloc(e.size);
		struct elf_image img;
		struct elf_segment s, t;

		memcpy(b, good, e.size);
		for (int k = 1 + (int)(rng_next() % 4); k > 0; k--)
			b[rng_next() % hdrs] = (unsigned char)rng_next();
		if (elf_open(&img, b, e.size, USER_TOP) != ERR_OK) {
			cr_assert_str_neq(elf_open_reason(&img), "ok");
			free(b);
			continue;
		}
		accepted++;
		unsigned n = elf_segment_count(&img);
		int entry_ok = 0;

		for (unsigned i = 0; i < n; i++) {
			cr_assert_eq(elf_segment(&img, i, &s), ERR_OK);
			cr_assert(s.memsz > 0 && s.filesz <= s.memsz);
			cr_assert(s.file_offset <= e.size &&
				  s.filesz <= e.size - s.file_offset);
			cr_assert(s.vaddr >= ELF_MIN_VADDR && s.vaddr <= USER_TOP &&
				  s.memsz <= USER_TOP - s.vaddr);
			cr_assert_eq(s.vaddr % 4096, s.file_offset % 4096);
			cr_assert(!((s.perm & ELF_PERM_W) && (s.perm & ELF_PERM_X)));
			if ((s.perm & ELF_PERM_X) && elf_entry(&img) >= s.vaddr &&
			    elf_entry(&img) - s.vaddr < s.memsz)
				entry_ok = 1;
			for (unsigned j = 0; j < i; j++) {
				cr_assert_eq(elf_segment(&img, j, &t), ERR_OK);
				cr_assert((s.vaddr + s.memsz - 1) / 4096 < t.vaddr / 4096 ||
					  (t.vaddr + t.memsz - 1) / 4096 < s.vaddr / 4096);
			}
		}
		cr_assert(entry_ok);
		cr_assert_eq(elf_segment(&img, n, &s), ERR_NOT_FOUND);
		free(b);
	}
	/* Flips in unused fields leave the file valid: the check is not vacuous. */
	cr_assert(accepted > 100, "only %u damaged files accepted", accepted);
	free(good);
}

Test(elf, accepts_real_riscv_executable)
{
	const char *path = getenv("MICA_SAMPLE_ELF");
	struct elf_image img;
	struct elf_segment s;
	unsigned char *b;
	FILE *f;
	long n;

	if (path == NULL || *path == '\0')
		cr_skip_test("MICA_SAMPLE_ELF is not set");
	f = fopen(path, "rb");
	cr_assert_not_null(f, "MICA_SAMPLE_ELF=%s cannot be opened", path);
	n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	cr_assert(n > 0, "MICA_SAMPLE_ELF=%s is empty or unreadable", path);
	rewind(f);
	b = malloc((size_t)n);
	cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n, "short read of %s", path);
	fclose(f);
	cr_assert_eq(elf_open(&img, b, (size_t)n, USER_TOP), ERR_OK,
		     "%s refused: %s", path, elf_open_reason(&img));
	for (unsigned i = 0; i < elf_segment_count(&img); i++)
		cr_assert_eq(elf_segment(&img, i, &s), ERR_OK);
	cr_assert_eq(elf_segment(&img, elf_segment_count(&img), &s), ERR_NOT_FOUND);
	free(b);
}
