/*
 * bootimg.c - checking and reading the boot image archive (format in
 * bootimg.h).
 *
 * bootimg_open() is the only place that distrusts the bytes: it walks every
 * entry once, with bounds checks written as subtractions so that no sum can
 * wrap. The lookups after it rely on what it checked and cannot fail on
 * input. Fields are decoded byte by byte, so the image may sit anywhere.
 * bootprog_check() holds the rules of the program table for mkbootimg.
 */
#include "bootimg.h"
#include "elf.h"
#include "errors.h"

/* le_get returns the n-byte little-endian number at p (n <= 8). */
static uint64_t le_get(const unsigned char *p, unsigned n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = (v << 8) | p[n];
	return v;
}

static const unsigned char *entry_at(const struct bootimg *img, unsigned i)
{
	return img->data + BOOTIMG_HEADER_SIZE + (size_t)i * BOOTIMG_ENTRY_SIZE;
}

bool bootimg_name_valid(const char *name)
{
	unsigned len;

	if (name == NULL)
		return false;
	/* Stop at the field size, so an unterminated name is never overrun. */
	for (len = 0; len < BOOTIMG_NAME_SIZE && name[len] != '\0'; len++) {
		unsigned char c = (unsigned char)name[len];

		/* Printable, because the kernel and root print these names. */
		if (c <= ' ' || c > '~' || c == '/')
			return false;
	}
	if (len == 0 || len == BOOTIMG_NAME_SIZE)
		return false;
	if (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')))
		return false;
	return true;
}

/* name_field_valid checks one 32-byte name field: a valid name, then only
 * nul bytes, so that two fields are equal exactly when their names are. */
static bool name_field_valid(const unsigned char *field)
{
	unsigned i = 0;

	if (!bootimg_name_valid((const char *)field))
		return false;
	while (field[i] != '\0')
		i++;
	for (; i < BOOTIMG_NAME_SIZE; i++) {
		if (field[i] != '\0')
			return false;
	}
	return true;
}

static bool name_fields_equal(const unsigned char *a, const unsigned char *b)
{
	for (unsigned i = 0; i < BOOTIMG_NAME_SIZE; i++) {
		if (a[i] != b[i])
			return false;
	}
	return true;
}

/* entry_valid checks entry i on its own; table_end is where data may start. */
static bool entry_valid(const struct bootimg *img, unsigned i,
			uint64_t table_end)
{
	const unsigned char *e = entry_at(img, i);
	uint64_t offset = le_get(e + BOOTIMG_ENT_OFFSET, 8);
	uint64_t size = le_get(e + BOOTIMG_ENT_SIZE, 8);

	if (!name_field_valid(e + BOOTIMG_ENT_NAME))
		return false;
	if (offset % BOOTIMG_ALIGN != 0 || offset < table_end)
		return false;
	if (offset > img->size || size > img->size - offset)
		return false;
	return true;
}

int bootimg_open(struct bootimg *img, const void *data, size_t size)
{
	const unsigned char *d = data;
	uint64_t count, table_end;
	unsigned i, j;

	img->data = d;
	img->size = size;
	img->count = 0;
	if (d == NULL || size < BOOTIMG_HEADER_SIZE)
		return ERR_BAD_FORMAT;
	for (i = 0; i < BOOTIMG_MAGIC_SIZE; i++) {
		if (d[i] != (unsigned char)BOOTIMG_MAGIC[i])
			return ERR_BAD_FORMAT;
	}
	if (le_get(d + BOOTIMG_HDR_VERSION, 4) != BOOTIMG_VERSION)
		return ERR_BAD_FORMAT;
	count = le_get(d + BOOTIMG_HDR_COUNT, 4);
	if (count > BOOTIMG_MAX_COUNT)
		return ERR_BAD_FORMAT;
	/* count is small, so table_end cannot wrap. */
	table_end = BOOTIMG_HEADER_SIZE + count * BOOTIMG_ENTRY_SIZE;
	if (table_end > size)
		return ERR_BAD_FORMAT;

	/* img->count stays 0 until every entry has passed. */
	for (i = 0; i < count; i++) {
		if (!entry_valid(img, i, table_end))
			return ERR_BAD_FORMAT;
		for (j = 0; j < i; j++) {
			if (name_fields_equal(entry_at(img, i), entry_at(img, j)))
				return ERR_BAD_FORMAT;
		}
	}
	img->count = (unsigned)count;
	return ERR_OK;
}

unsigned bootimg_count(const struct bootimg *img)
{
	return img->count;
}

int bootimg_entry(const struct bootimg *img, unsigned index, const char **name,
		  const void **data, size_t *size)
{
	const unsigned char *e;

	if (index >= img->count)
		return ERR_NOT_FOUND;
	e = entry_at(img, index);
	if (name)
		*name = (const char *)(e + BOOTIMG_ENT_NAME);
	if (data)
		*data = img->data + le_get(e + BOOTIMG_ENT_OFFSET, 8);
	if (size)
		*size = (size_t)le_get(e + BOOTIMG_ENT_SIZE, 8);
	return ERR_OK;
}

/* name_matches compares a checked name field with a caller's string without
 * reading past either terminator. */
static bool name_matches(const unsigned char *field, const char *name)
{
	for (unsigned i = 0; i < BOOTIMG_NAME_SIZE; i++) {
		if (field[i] != (unsigned char)name[i])
			return false;
		if (field[i] == '\0')
			return true;
	}
	return false;
}

int bootimg_find(const struct bootimg *img, const char *name,
		 const void **data, size_t *size)
{
	if (name == NULL)
		return ERR_NOT_FOUND;
	for (unsigned i = 0; i < img->count; i++) {
		if (name_matches(entry_at(img, i) + BOOTIMG_ENT_NAME, name))
			return bootimg_entry(img, i, NULL, data, size);
	}
	return ERR_NOT_FOUND;
}

const char *bootprog_check(const struct bootprog *p, uint64_t image_size)
{
	const unsigned rwx = ELF_PERM_R | ELF_PERM_W | ELF_PERM_X;
	bool entry_ok = false;

	if (p->nsegments == 0 || p->nsegments > BOOTPROG_MAX_SEGMENTS)
		return "no segments, or too many";
	for (unsigned i = 0; i < p->nsegments; i++) {
		const struct bootprog_segment *s = &p->segment[i];

		if (s->filesz > s->memsz || s->offset > image_size || s->filesz > image_size - s->offset)
			return "a segment's bytes are outside the boot image";
		if (s->memsz == 0 || s->vaddr < BOOTPROG_USER_START || s->vaddr > BOOTPROG_USER_END ||
		    s->memsz > BOOTPROG_USER_END - s->vaddr)
			return "a segment is empty or outside the program's part of user space";
		if (s->perm == 0 || s->perm > rwx ||
		    (s->perm & (ELF_PERM_W | ELF_PERM_X)) == (ELF_PERM_W | ELF_PERM_X))
			return "a segment's rights are unknown or writable and executable";
		if ((s->perm & ELF_PERM_X) && p->entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	return entry_ok ? NULL : "the entry point is not in an executable segment";
}
