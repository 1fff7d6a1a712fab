/*
 * elf.c - the checks that make an ELF executable safe to load, and the walk
 * over its PT_LOAD segments.
 *
 * The blob is untrusted and may sit at any alignment, so every header is
 * decoded byte by byte into a local struct before a field is looked at, and
 * every offset is checked against the blob's size with subtraction rather
 * than addition, so that no sum can wrap. elf_open() does all the checking;
 * elf_segment() only decodes again what elf_open() already accepted.
 */
#include "elf.h"

#include <stdbool.h>

#include "errors.h"
#include "str.h"

/* Offsets of the fields we use, from the ELF64 specification. */
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS64 2
#define ELFDATA2LSB 1

/* The fields of an Elf64_Ehdr that the checks need, decoded. */
struct elf_ehdr {
	uint16_t type;
	uint16_t machine;
	uint32_t version;
	uint64_t entry;
	uint64_t phoff;
	uint16_t phentsize;
	uint16_t phnum;
};

/* The fields of an Elf64_Phdr, decoded. */
struct elf_phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t filesz;
	uint64_t memsz;
};

/* le_get returns the n-byte little-endian number at p (n <= 8). */
static uint64_t le_get(const unsigned char *p, unsigned n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = (v << 8) | p[n];
	return v;
}

/* ehdr_decode reads the header; data must hold at least ELF_EHDR_SIZE bytes. */
static void ehdr_decode(struct elf_ehdr *eh, const unsigned char *data)
{
	eh->type = (uint16_t)le_get(data + 16, 2);
	eh->machine = (uint16_t)le_get(data + 18, 2);
	eh->version = (uint32_t)le_get(data + 20, 4);
	eh->entry = le_get(data + 24, 8);
	eh->phoff = le_get(data + 32, 8);
	eh->phentsize = (uint16_t)le_get(data + 54, 2);
	eh->phnum = (uint16_t)le_get(data + 56, 2);
}

/* phdr_decode reads program header i; the caller has checked that the
 * table img->phoff .. + img->phnum * ELF_PHDR_SIZE is inside the blob. */
static void phdr_decode(const struct elf_image *img, unsigned i,
			struct elf_phdr *ph)
{
	const unsigned char *p = img->data + img->phoff + (uint64_t)i * ELF_PHDR_SIZE;

	ph->type = (uint32_t)le_get(p, 4);
	ph->flags = (uint32_t)le_get(p + 4, 4);
	ph->offset = le_get(p + 8, 8);
	ph->vaddr = le_get(p + 16, 8);
	ph->filesz = le_get(p + 32, 8);
	ph->memsz = le_get(p + 40, 8);
}

/*
 * The failure message is built in img->reason so that it can name the
 * program header at fault; these helpers append and always keep a nul.
 */
static void reason_add(struct elf_image *img, const char *s)
{
	size_t len = 0;

	while (img->reason[len] != '\0')
		len++;
	while (*s != '\0' && len + 1 < sizeof(img->reason))
		img->reason[len++] = *s++;
	img->reason[len] = '\0';
}

static void reason_add_num(struct elf_image *img, unsigned n)
{
	char digits[12];
	int i = (int)sizeof(digits) - 1;

	digits[i] = '\0';
	do {
		digits[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n != 0 && i > 0);
	reason_add(img, &digits[i]);
}

static void reason_set(struct elf_image *img, const char *s)
{
	img->reason[0] = '\0';
	reason_add(img, s);
}

/* fail records why the file is refused and returns ERR_BAD_FORMAT. */
static int fail(struct elf_image *img, const char *why)
{
	reason_set(img, why);
	return ERR_BAD_FORMAT;
}

/* fail_ph is fail() for a problem with program header i. */
static int fail_ph(struct elf_image *img, unsigned i, const char *why)
{
	reason_set(img, "program header ");
	reason_add_num(img, i);
	reason_add(img, ": ");
	reason_add(img, why);
	return ERR_BAD_FORMAT;
}

/* header_check validates the ELF header and the bounds of the program
 * header table, and fills the image's header fields. */
static int header_check(struct elf_image *img, const struct elf_ehdr *eh)
{
	const unsigned char *d = img->data;

	if (d[0] != 0x7f || d[1] != 'E' || d[2] != 'L' || d[3] != 'F')
		return fail(img, "not an ELF file (bad magic)");
	if (d[EI_CLASS] != ELFCLASS64)
		return fail(img, "not a 64-bit ELF file");
	if (d[EI_DATA] != ELFDATA2LSB)
		return fail(img, "not a little-endian ELF file");
	if (d[EI_VERSION] != ELF_EV_CURRENT || eh->version != ELF_EV_CURRENT)
		return fail(img, "unknown ELF version");
	if (eh->machine != ELF_EM_RISCV)
		return fail(img, "not a RISC-V file");
	if (eh->type != ELF_ET_EXEC)
		return fail(img, "not a static executable (type is not ET_EXEC)");
	if (eh->phentsize != ELF_PHDR_SIZE)
		return fail(img, "program header size is not 56");
	if (eh->phnum > ELF_MAX_PHNUM)
		return fail(img, "too many program headers");
	/* phnum <= ELF_MAX_PHNUM, so the product cannot wrap. */
	if (eh->phoff > img->size ||
	    (uint64_t)eh->phnum * ELF_PHDR_SIZE > img->size - eh->phoff)
		return fail(img, "program header table is outside the file");
	img->entry = eh->entry;
	img->phoff = eh->phoff;
	img->phnum = eh->phnum;
	return ERR_OK;
}

/* load_nonempty: a PT_LOAD that maps at least one byte; the only program
 * headers the loader looks at. */
static bool load_nonempty(const struct elf_phdr *ph)
{
	return ph->type == ELF_PT_LOAD && ph->memsz != 0;
}

/* load_check validates PT_LOAD header i on its own. */
static int load_check(struct elf_image *img, unsigned i,
		      const struct elf_phdr *ph, uint64_t user_top)
{
	if (ph->filesz > ph->memsz)
		return fail_ph(img, i, "file size larger than memory size");
	if (ph->offset > img->size || ph->filesz > img->size - ph->offset)
		return fail_ph(img, i, "file data is outside the file");
	if (ph->vaddr < ELF_MIN_VADDR)
		return fail_ph(img, i, "starts below 0x1000");
	if (ph->vaddr > user_top || ph->memsz > user_top - ph->vaddr)
		return fail_ph(img, i, "ends above user memory");
	if ((ph->vaddr ^ ph->offset) & (ELF_PAGE_SIZE - 1))
		return fail_ph(img, i, "address and offset differ modulo 4096");
	if ((ph->flags & ELF_PERM_W) && (ph->flags & ELF_PERM_X))
		return fail_ph(img, i, "writable and executable");
	return ERR_OK;
}

/* share_page reports whether two checked, non-empty segments touch a common
 * page; page numbers of the last bytes avoid rounding vaddr + memsz up. */
static int share_page(const struct elf_phdr *a, const struct elf_phdr *b)
{
	uint64_t a_first = a->vaddr / ELF_PAGE_SIZE;
	uint64_t a_last = (a->vaddr + a->memsz - 1) / ELF_PAGE_SIZE;
	uint64_t b_first = b->vaddr / ELF_PAGE_SIZE;
	uint64_t b_last = (b->vaddr + b->memsz - 1) / ELF_PAGE_SIZE;

	return a_first <= b_last && b_first <= a_last;
}

/* segments_check validates every program header and the entry point. */
static int segments_check(struct elf_image *img, uint64_t user_top)
{
	struct elf_phdr ph, other;
	int entry_ok = 0;
	unsigned i, j;
	int err;

	for (i = 0; i < img->phnum; i++) {
		phdr_decode(img, i, &ph);
		if (ph.type == ELF_PT_INTERP || ph.type == ELF_PT_DYNAMIC)
			return fail_ph(img, i, "needs dynamic linking");
		/* An empty PT_LOAD maps nothing (GNU ld emits one for a
		 * declared segment with no sections): ignore it. */
		if (!load_nonempty(&ph))
			continue;
		err = load_check(img, i, &ph, user_top);
		if (err != ERR_OK)
			return err;
		/* Earlier PT_LOADs passed load_check, so share_page is safe. */
		for (j = 0; j < i; j++) {
			phdr_decode(img, j, &other);
			if (!load_nonempty(&other) || !share_page(&ph, &other))
				continue;
			fail_ph(img, i, "shares a page with program header ");
			reason_add_num(img, j);
			return ERR_BAD_FORMAT;
		}
		if ((ph.flags & ELF_PERM_X) && img->entry >= ph.vaddr &&
		    img->entry - ph.vaddr < ph.memsz)
			entry_ok = 1;
		img->nload++;
	}
	if (img->nload == 0)
		return fail(img, "no loadable segment");
	if (!entry_ok)
		return fail(img, "entry point is not in an executable segment");
	return ERR_OK;
}

int elf_open(struct elf_image *img, const void *data, size_t size,
	     uint64_t user_top)
{
	struct elf_ehdr eh;
	int err;

	img->data = data;
	img->size = size;
	img->entry = 0;
	img->phoff = 0;
	img->phnum = 0;
	img->nload = 0;
	img->reason[0] = '\0';
	if (data == NULL || size < ELF_EHDR_SIZE)
		return fail(img, "shorter than an ELF header");
	ehdr_decode(&eh, img->data);
	err = header_check(img, &eh);
	if (err == ERR_OK)
		err = segments_check(img, user_top);
	if (err != ERR_OK) {
		/* A failed image must not be walked as if it were valid. */
		img->nload = 0;
		img->phnum = 0;
		return err;
	}
	reason_set(img, "ok");
	return ERR_OK;
}

const char *elf_open_reason(const struct elf_image *img)
{
	return img->reason;
}

unsigned elf_segment_count(const struct elf_image *img)
{
	return img->nload;
}

int elf_segment(const struct elf_image *img, unsigned index,
		struct elf_segment *seg)
{
	struct elf_phdr ph;
	unsigned i;

	if (index >= img->nload)
		return ERR_NOT_FOUND;
	for (i = 0; i < img->phnum; i++) {
		phdr_decode(img, i, &ph);
		if (!load_nonempty(&ph))
			continue;
		if (index-- != 0)
			continue;
		seg->vaddr = ph.vaddr;
		seg->memsz = ph.memsz;
		seg->file_offset = ph.offset;
		seg->filesz = ph.filesz;
		seg->perm = ph.flags & (ELF_PERM_R | ELF_PERM_W | ELF_PERM_X);
		return ERR_OK;
	}
	return ERR_NOT_FOUND;
}

void elf_segment_page(const struct elf_image *img, const struct elf_segment *seg,
		      uint64_t page_va, void *page)
{
	uint64_t file_end = seg->vaddr + seg->filesz;
	uint64_t from = page_va > seg->vaddr ? page_va : seg->vaddr;
	uint64_t to = page_va + ELF_PAGE_SIZE < file_end ? page_va + ELF_PAGE_SIZE : file_end;

	if (from < to)
		memcpy((unsigned char *)page + (from - page_va),
		       img->data + seg->file_offset + (from - seg->vaddr), to - from);
}

uint64_t elf_entry(const struct elf_image *img)
{
	return img->entry;
}
