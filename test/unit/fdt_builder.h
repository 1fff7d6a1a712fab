/*
 * fdt_builder.h - builds device-tree blobs in memory, for host tests only.
 *
 * Emit tokens in order (fdtb_begin_node, fdtb_prop..., fdtb_end_node), then
 * fdtb_finish() appends FDT_END and lays out header, reservation block,
 * structure block and strings block. The raw emitters (fdtb_u32, fdtb_bytes,
 * fdtb_prop_raw) and fdtb_layout(), which adds no END, let a test write
 * malformed trees; fdtb_set_hdr() corrupts the finished header.
 * Runs out of memory by aborting: it is a test helper, not library code.
 */
#ifndef MICA_FDT_BUILDER_H
#define MICA_FDT_BUILDER_H

#include <stddef.h>
#include <stdint.h>

/* Byte offsets of the header fields, for fdtb_set_hdr() and fdtb_get_hdr(). */
enum fdtb_hdr {
	FDTB_MAGIC = 0,
	FDTB_TOTALSIZE = 4,
	FDTB_OFF_STRUCT = 8,
	FDTB_OFF_STRINGS = 12,
	FDTB_OFF_RSVMAP = 16,
	FDTB_VERSION = 20,
	FDTB_LAST_COMP = 24,
	FDTB_BOOT_CPU = 28,
	FDTB_SIZE_STRINGS = 32,
	FDTB_SIZE_STRUCT = 36,
};

struct fdtb {
	uint8_t *st;		/* structure block being built */
	size_t st_len, st_cap;
	char *str;		/* strings block being built */
	size_t str_len, str_cap;
	uint64_t rsv[32][2];
	unsigned nrsv;
	uint8_t *blob;		/* the laid-out blob, after fdtb_finish/layout */
	size_t blob_len;	/* its totalsize */
};

void fdtb_init(struct fdtb *b);
void fdtb_free(struct fdtb *b);

void fdtb_begin_node(struct fdtb *b, const char *name);
void fdtb_end_node(struct fdtb *b);
void fdtb_nop(struct fdtb *b);
void fdtb_prop(struct fdtb *b, const char *name, const void *val, uint32_t len);
void fdtb_prop_u32(struct fdtb *b, const char *name, uint32_t v);
void fdtb_prop_str(struct fdtb *b, const char *name, const char *s);
/* fdtb_prop_cells: a property of n 32-bit cells. */
void fdtb_prop_cells(struct fdtb *b, const char *name, unsigned n, ...);
/* fdtb_prop_empty: a property with no value (e.g. "ranges"). */
void fdtb_prop_empty(struct fdtb *b, const char *name);

/* Raw emitters for malformed trees. */
void fdtb_u32(struct fdtb *b, uint32_t v);
void fdtb_bytes(struct fdtb *b, const void *p, size_t n);
void fdtb_prop_raw(struct fdtb *b, uint32_t len, uint32_t nameoff,
		   const void *val, size_t vlen);
/* fdtb_string returns the strings-block offset of 'name', adding it. */
uint32_t fdtb_string(struct fdtb *b, const char *name);

void fdtb_rsv(struct fdtb *b, uint64_t addr, uint64_t size);

/* fdtb_finish appends FDT_END and lays out the blob; returns blob_len. */
size_t fdtb_finish(struct fdtb *b);
/* fdtb_layout lays out what was emitted, adding nothing; returns blob_len.
 * The blob is allocated at exactly blob_len bytes, so a sanitizer catches
 * any read past it. */
size_t fdtb_layout(struct fdtb *b);

void fdtb_set_hdr(struct fdtb *b, enum fdtb_hdr field, uint32_t v);
uint32_t fdtb_get_hdr(const struct fdtb *b, enum fdtb_hdr field);

#endif /* MICA_FDT_BUILDER_H */
