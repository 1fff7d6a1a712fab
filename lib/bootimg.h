/*
 * bootimg.h - the boot image: a small archive of the user ELF files that the
 * build packs into the kernel image (tools/mkbootimg writes it, root reads
 * it with the functions below), and the program table the kernel starts
 * root from (checked here, at build time: bootprog_check).
 *
 * Rules:
 * - bootimg_open() checks the header and every entry before anything is
 *   used; afterwards names, offsets and sizes can be trusted.
 * - struct bootimg points into the caller's bytes: keep them alive and
 *   unchanged while it is used; the names and data handed out point there too.
 * - File data starts at BOOTIMG_ALIGN-aligned offsets, so it is aligned in
 *   memory only if the image itself is.
 *
 * Format, all numbers little-endian:
 *   header, 16 bytes:  char magic[8] = "MICABOOT"; uint32 version = 1;
 *                      uint32 count (at most BOOTIMG_MAX_COUNT)
 *   count entries, 48 bytes each, right after the header:
 *                      char name[32]; uint64 offset; uint64 size
 *   file data:         each file at its offset, counted from the start of
 *                      the image, a multiple of 8 and past the entry table.
 * A name is 1..31 printable ASCII characters other than space and '/',
 * not "." or "..", nul-terminated and nul-padded to 32 bytes; no two entries
 * share a name. Files may appear in any order and may be empty.
 */
#ifndef MICA_BOOTIMG_H
#define MICA_BOOTIMG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOTIMG_MAGIC "MICABOOT"	/* without its nul */
#define BOOTIMG_MAGIC_SIZE 8
#define BOOTIMG_VERSION 1u
#define BOOTIMG_HEADER_SIZE 16u
#define BOOTIMG_ENTRY_SIZE 48u
#define BOOTIMG_NAME_SIZE 32u		/* field size; names are shorter by 1 */
#define BOOTIMG_ALIGN 8u
/* Far more files than a boot needs; the bound keeps the duplicate-name
 * check (pairwise) cheap at boot. */
#define BOOTIMG_MAX_COUNT 256u

/* Field offsets inside the header and inside one entry. */
#define BOOTIMG_HDR_VERSION 8u
#define BOOTIMG_HDR_COUNT 12u
#define BOOTIMG_ENT_NAME 0u
#define BOOTIMG_ENT_OFFSET 32u
#define BOOTIMG_ENT_SIZE 40u

/*
 * The program table (mkbootimg -p): for every ELF executable in the image,
 * the loadable segments that elf_open() (lib/elf.c) accepted at build time,
 * so the kernel can start any of them as root without reading ELF. Files
 * that are not ELF are not listed; a file that looks like ELF but fails
 * elf_open() stops the build. The table is the bytes of the structs below
 * (little-endian, natural alignment: the same on the host and on rv64),
 * and a segment's offset counts from the start of the boot image.
 */
#define BOOTPROG_MAGIC 0x474f52504143494dull	/* "MICAPROG" */
#define BOOTPROG_VERSION 1u
#define BOOTPROG_MAX_SEGMENTS 4u

/* One segment: map [vaddr, vaddr + memsz) with perm (ELF_PERM_* bits),
 * copy filesz bytes from offset to vaddr, zeroes after them. */
struct bootprog_segment {
	uint64_t vaddr, memsz, offset, filesz;
	uint32_t perm, reserved;
};

struct bootprog {
	char name[BOOTIMG_NAME_SIZE];	/* as in the image, nul-padded */
	uint64_t entry;
	uint64_t size;			/* of the ELF file */
	uint32_t nsegments, reserved;
	struct bootprog_segment segment[BOOTPROG_MAX_SEGMENTS];
};

struct bootprog_table {
	uint64_t magic;
	uint32_t version, count;
	struct bootprog program[];	/* count of them */
};

_Static_assert(sizeof(struct bootprog) == 216 && sizeof(struct bootprog_table) == 16,
	       "the program table's layout is its format");

/* Where a program of the table runs when the kernel starts it as root: its
 * segments lie in [BOOTPROG_USER_START, BOOTPROG_USER_END), above page 0
 * and below the unmapped guard page under its stack, which is
 * BOOTPROG_STACK_PAGES pages ending a page below the top of user space
 * (Sv39's lower half). */
#define BOOTPROG_USER_TOP    (1ull << 38)
#define BOOTPROG_STACK_TOP   (BOOTPROG_USER_TOP - 4096)
#define BOOTPROG_STACK_PAGES 4
#define BOOTPROG_USER_START  4096ull
#define BOOTPROG_USER_END    (BOOTPROG_STACK_TOP - (BOOTPROG_STACK_PAGES + 1) * 4096ull)

/*
 * bootprog_check returns the rule of the program table that p breaks, or
 * NULL: 1..BOOTPROG_MAX_SEGMENTS segments; each one's bytes inside an image
 * of image_size bytes, no more of them than its size, which is not 0; each
 * inside [BOOTPROG_USER_START, BOOTPROG_USER_END); rights some of R, W, X
 * but never W and X; the entry in an executable segment. mkbootimg writes
 * no table that breaks one, so the kernel, which carries the table inside
 * its own image, follows it without checking again (kernel/loader.c).
 */
const char *bootprog_check(const struct bootprog *p, uint64_t image_size);

/* An opened boot image: filled by bootimg_open(), read-only afterwards. */
struct bootimg {
	const unsigned char *data;	/* the caller's bytes */
	size_t size;
	unsigned count;			/* entries, all checked */
};

/*
 * bootimg_open checks data[0..size) against the format above and fills img.
 * Returns ERR_OK, or ERR_BAD_FORMAT for a bad header, an entry table or file
 * outside the image, an offset that is misaligned or inside the entry table,
 * a bad name, or a duplicate name. Reads nothing outside data[0..size); data
 * need not be aligned. On failure img holds no entries.
 */
int bootimg_open(struct bootimg *img, const void *data, size_t size);

/* bootimg_count returns the number of files in the image. */
unsigned bootimg_count(const struct bootimg *img);

/*
 * bootimg_entry gives the index-th file (in table order): its nul-terminated
 * name, its data and its size. Any out-pointer may be NULL. Returns ERR_OK,
 * or ERR_NOT_FOUND if index >= bootimg_count(img) (outputs then untouched).
 */
int bootimg_entry(const struct bootimg *img, unsigned index, const char **name,
		  const void **data, size_t *size);

/* bootimg_find is bootimg_entry() by name. Returns ERR_OK, or ERR_NOT_FOUND
 * if no file has exactly that name (name may be NULL). */
int bootimg_find(const struct bootimg *img, const char *name,
		 const void **data, size_t *size);

/* bootimg_name_valid reports whether the nul-terminated string name obeys
 * the naming rule above; mkbootimg uses it so both sides agree. */
bool bootimg_name_valid(const char *name);

#endif /* MICA_BOOTIMG_H */
