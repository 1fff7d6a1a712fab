/*
 * elf.h - checking and walking the ELF executables that the kernel and the
 * process server load into user address spaces.
 *
 * Rules:
 * - elf_open() checks the whole file before anything is loaded; once it
 *   returns ERR_OK, every segment it reports is safe to load as is, so the
 *   loader itself never has to fail because of the file's contents.
 * - Only static RISC-V rv64 executables are accepted: ELF64, little-endian,
 *   EM_RISCV, ET_EXEC, no interpreter.
 * - struct elf_image points into the caller's blob: keep the blob alive and
 *   unchanged while the image is used. Never use an image whose elf_open()
 *   failed, except to ask elf_open_reason() why.
 */
#ifndef MICA_ELF_H
#define MICA_ELF_H

#include <stddef.h>
#include <stdint.h>

/* Segment permissions: the same bits as the ELF p_flags PF_R, PF_W, PF_X. */
#define ELF_PERM_R 4
#define ELF_PERM_W 2
#define ELF_PERM_X 1

/* The lowest address a segment may use: page 0 stays unmapped so that a
 * NULL dereference faults instead of reading the program. */
#define ELF_MIN_VADDR 0x1000u

/* Segments are mapped page by page, so this is the unit of every page check. */
#define ELF_PAGE_SIZE 4096u

/* More program headers than any real user program has; bounding them keeps
 * the pairwise overlap check cheap. */
#define ELF_MAX_PHNUM 64u

/* Sizes and values from the ELF specification that the checks rely on. */
#define ELF_EHDR_SIZE 64u	/* sizeof(Elf64_Ehdr) */
#define ELF_PHDR_SIZE 56u	/* sizeof(Elf64_Phdr) */
#define ELF_EM_RISCV 243u
#define ELF_ET_EXEC 2u
#define ELF_EV_CURRENT 1u
#define ELF_PT_LOAD 1u
#define ELF_PT_DYNAMIC 2u
#define ELF_PT_INTERP 3u

/* Room for the longest failure message elf_open() writes, with its nul. */
#define ELF_REASON_MAX 64

/* An opened executable: filled by elf_open(), read-only afterwards. */
struct elf_image {
	const unsigned char *data;	/* the caller's blob */
	size_t size;
	uint64_t entry;
	uint64_t phoff;			/* program header table, in bounds */
	unsigned phnum;			/* all program headers, not only PT_LOAD */
	unsigned nload;			/* how many of them are PT_LOAD */
	char reason[ELF_REASON_MAX];	/* why elf_open() failed, or "ok" */
};

/* One loadable segment: map [vaddr, vaddr + memsz) with perm; copy filesz
 * bytes from file_offset to vaddr and zero the rest. */
struct elf_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t file_offset;
	uint64_t filesz;
	unsigned perm;			/* ELF_PERM_* bits */
};

/*
 * elf_open checks data[0..size) as an executable for an address space whose
 * user part ends at user_top (exclusive), and fills img. It accepts only if
 * the header is a static rv64 little-endian executable; the program header
 * table is in bounds and has at most ELF_MAX_PHNUM entries; and every
 * non-empty PT_LOAD segment (empty ones are ignored throughout) has filesz <= memsz, a file range inside the blob,
 * ELF_MIN_VADDR <= vaddr and vaddr + memsz <= user_top, vaddr congruent to
 * its file offset modulo ELF_PAGE_SIZE, no page shared with another PT_LOAD,
 * and is not both writable and executable. There must be at least one
 * PT_LOAD, and the entry point must lie inside an executable one.
 * Returns ERR_OK or ERR_BAD_FORMAT; in both cases elf_open_reason(img) says
 * what was found. Reads nothing outside data[0..size); data need not be
 * aligned. img must not be NULL.
 */
int elf_open(struct elf_image *img, const void *data, size_t size,
	     uint64_t user_top);

/* elf_open_reason returns a short message naming the check that failed in
 * the last elf_open(img, ...), e.g. "program header 1: writable and
 * executable", or "ok". Never NULL; valid as long as img is. */
const char *elf_open_reason(const struct elf_image *img);

/* elf_segment_count returns the number of non-empty PT_LOAD segments (at least 1). */
unsigned elf_segment_count(const struct elf_image *img);

/* elf_segment fills seg with the index-th PT_LOAD segment, counting from 0
 * in program header order. Returns ERR_OK, or ERR_NOT_FOUND if index >=
 * elf_segment_count(img) (seg is then untouched). */
int elf_segment(const struct elf_image *img, unsigned index,
		struct elf_segment *seg);

/* elf_segment_page copies into page (ELF_PAGE_SIZE bytes, a zeroed page)
 * the bytes of seg's file data that belong to the page at address page_va,
 * each at its offset; the rest of the page is left alone, as the zeroes a
 * segment's memory holds beyond its file data. page_va is page-aligned and
 * inside [vaddr, vaddr + memsz) rounded out to whole pages. */
void elf_segment_page(const struct elf_image *img, const struct elf_segment *seg,
		      uint64_t page_va, void *page);
/* elf_entry returns the entry point, which lies in an executable segment. */
uint64_t elf_entry(const struct elf_image *img);

#endif /* MICA_ELF_H */
