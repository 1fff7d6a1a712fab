/*
 * fdt.h - a read-only parser for Flattened Device Tree blobs (DTB, version 17).
 *
 * fdt_open() checks the whole blob once: header, block bounds, every token of
 * the structure block, nesting depth. Everything else reads through a
 * validated struct fdt and re-checks each bound it touches, so a corrupt blob
 * yields ERR_BAD_FORMAT or "not found", never a read outside it.
 * Rules: a node is an int offset into the structure block, -1 means none; pass
 * only offsets that came from this API. Property values are big-endian and may
 * be unaligned: read them with fdt_prop_u32() and friends, never by casting.
 * The blob must stay mapped and unchanged while any struct fdt points at it.
 */
#ifndef MICA_FDT_H
#define MICA_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC	0xd00dfeedu
#define FDT_VERSION	17
#define FDT_MAX_DEPTH	32	/* nodes nested deeper make the blob invalid */

/* A validated view of a blob; fill it only with fdt_open(). */
struct fdt {
	const uint8_t *blob;
	uint32_t size;			/* header totalsize */
	uint32_t struct_off, struct_size;
	uint32_t strings_off, strings_size;
	uint32_t rsvmap_off, rsvmap_count;
	int root;
};

/*
 * fdt_open checks the blob at 'blob' and, on success, fills *fdt and returns
 * ERR_OK. 'max_size' is how many bytes the caller can vouch for; the header's
 * totalsize must not exceed it. Returns ERR_BAD_FORMAT for anything malformed
 * and ERR_INVALID_ARGUMENT for a NULL blob. *fdt is unusable after a failure.
 */
int fdt_open(struct fdt *fdt, const void *blob, size_t max_size);

/* fdt_total_size returns the header's totalsize (the bytes the blob uses). */
static inline uint32_t fdt_total_size(const struct fdt *fdt)
{
	return fdt->size;
}

/* Tree walking. Each returns a node offset, or -1 when there is none or when
 * 'node' is not a node offset. Children come in blob order. */
static inline int fdt_root(const struct fdt *fdt)
{
	return fdt->root;
}

int fdt_first_child(const struct fdt *fdt, int node);
int fdt_next_sibling(const struct fdt *fdt, int node);
int fdt_parent(const struct fdt *fdt, int node);

/*
 * fdt_path finds a node by absolute path ("/", "/cpus", "/soc/plic@c000000").
 * A component with an '@' must match a node name exactly; one without matches
 * the first child whose name before its '@' is equal ("/memory" finds
 * "memory@80000000"). Empty components ("//", a trailing '/') are ignored.
 * Returns -1 if there is no such node or 'path' does not start with '/'.
 */
int fdt_path(const struct fdt *fdt, const char *path);

/* fdt_next_compatible returns the next node after 'after' in depth-first
 * (blob) order whose "compatible" list contains 'compat'; pass after = -1 to
 * start at the root. Returns -1 when there are no more. */
int fdt_next_compatible(const struct fdt *fdt, int after, const char *compat);

/* fdt_name returns a node's name ("" for the root, "cpu@0"), NULL if 'node'
 * is not a node. Points into the blob. */
const char *fdt_name(const struct fdt *fdt, int node);

/* fdt_prop returns a pointer to the value of property 'name' of 'node' and
 * stores its length in *len (if len is not NULL), or returns NULL if there is
 * no such property. An empty property returns a non-NULL pointer, *len = 0. */
const void *fdt_prop(const struct fdt *fdt, int node, const char *name,
		     uint32_t *len);

/* Typed property readers: each returns false, leaving *out alone, if the
 * property is missing or has the wrong length. fdt_prop_u64 accepts one cell
 * or two; fdt_prop_cell reads cell 'index' of a property of several cells. */
bool fdt_prop_u32(const struct fdt *fdt, int node, const char *name,
		  uint32_t *out);
bool fdt_prop_u64(const struct fdt *fdt, int node, const char *name,
		  uint64_t *out);
bool fdt_prop_cell(const struct fdt *fdt, int node, const char *name,
		   unsigned index, uint32_t *out);

/* fdt_prop_contains says whether the string list 'name' (for instance
 * "compatible") holds exactly 'str'. An unterminated last entry never matches. */
bool fdt_prop_contains(const struct fdt *fdt, int node, const char *name,
		       const char *str);

/* fdt_prop_string returns the property's value as a string, or NULL unless it
 * is non-empty and ends with a nul. For a string list it is the first entry. */
const char *fdt_prop_string(const struct fdt *fdt, int node, const char *name);

/*
 * fdt_reg decodes entry 'index' of the node's "reg" property, using the
 * parent's #address-cells and #size-cells (2 and 1 when absent). Either out
 * pointer may be NULL. Returns ERR_OK; ERR_NOT_FOUND if there is no "reg" or
 * 'index' is past its end (or 'node' is not a node); ERR_RANGE if the cell
 * counts do not fit 64 bits (more than 2 cells, or no address cell);
 * ERR_BAD_FORMAT if the length is not a whole number of entries.
 */
int fdt_reg(const struct fdt *fdt, int node, unsigned index, uint64_t *addr,
	    uint64_t *size);

/* The header's memory reservation block: fdt_rsvmap_count entries (without
 * the terminator); fdt_rsvmap_entry returns ERR_NOT_FOUND past the end. */
static inline unsigned fdt_rsvmap_count(const struct fdt *fdt)
{
	return fdt->rsvmap_count;
}

int fdt_rsvmap_entry(const struct fdt *fdt, unsigned i, uint64_t *addr,
		     uint64_t *size);

#endif /* MICA_FDT_H */
