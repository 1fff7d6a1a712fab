/*
 * fdt.c - reads Flattened Device Tree blobs, written from the devicetree spec.
 *
 * Layout of a blob: a 40-byte big-endian header, a memory reservation block
 * of (address, size) pairs ending in (0, 0), a structure block of 4-aligned
 * tokens (BEGIN_NODE name, PROP len nameoff value, END_NODE, NOP, END) and a
 * strings block holding property names.
 * Every token is read through fdt_token(), the one place that turns an offset
 * into bytes, so every walk keeps the bounds checks fdt_open() relied on.
 * Every loop moves its offset forward by at least 4 bytes, so none can spin.
 */
#include "fdt.h"
#include "errors.h"

#define FDT_HEADER_SIZE	40
#define FDT_RSV_SIZE	16	/* one reservation entry: two 64-bit words */

/* Structure block tokens; FDT_BAD is ours, for anything malformed. */
enum {
	FDT_BAD = 0,
	FDT_BEGIN_NODE = 1,
	FDT_END_NODE = 2,
	FDT_PROP = 3,
	FDT_NOP = 4,
	FDT_END = 9,
};

static uint32_t fdt_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t fdt_be64(const uint8_t *p)
{
	return (uint64_t)fdt_be32(p) << 32 | fdt_be32(p + 4);
}

static const uint8_t *fdt_struct(const struct fdt *fdt)
{
	return fdt->blob + fdt->struct_off;
}

/*
 * fdt_token decodes the token at structure offset 'off' and stores the offset
 * of the token after it in *next. Returns FDT_BAD if the token, a node name
 * (must end with a nul inside the block), a property (its value must fit, its
 * name offset must lie in the strings block) or the padding runs past the end.
 * On success *next > off and *next <= struct_size.
 */
static int fdt_token(const struct fdt *fdt, uint32_t off, uint32_t *next)
{
	const uint8_t *sb = fdt_struct(fdt);
	uint32_t size = fdt->struct_size;
	uint32_t tok, len, end;

	if (off % 4 != 0 || off > size || size - off < 4)
		return FDT_BAD;
	tok = fdt_be32(sb + off);
	switch (tok) {
	case FDT_BEGIN_NODE:
		for (end = off + 4; end < size && sb[end] != 0; end++)
			;
		if (end == size)
			return FDT_BAD;
		end = (end + 1 + 3) & ~(uint32_t)3;	/* nul, then padding */
		break;
	case FDT_PROP:
		if (size - off < 12)
			return FDT_BAD;
		len = fdt_be32(sb + off + 4);
		if (fdt_be32(sb + off + 8) >= fdt->strings_size ||
		    len > size - off - 12)
			return FDT_BAD;
		end = (off + 12 + len + 3) & ~(uint32_t)3;
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		end = off + 4;
		break;
	default:
		return FDT_BAD;
	}
	if (end > size)
		return FDT_BAD;
	*next = end;
	return (int)tok;
}

/* fdt_node_body returns the offset just past a node's BEGIN_NODE and name,
 * or 0 (never a valid body offset) if 'node' is not a node. */
static uint32_t fdt_node_body(const struct fdt *fdt, int node)
{
	uint32_t next;

	if (node < 0 || fdt_token(fdt, (uint32_t)node, &next) != FDT_BEGIN_NODE)
		return 0;
	return next;
}

/* fdt_step decodes the token at *off, moves *off past it and keeps *depth
 * (BEGIN_NODE adds one, END_NODE takes one away). Returns the token. */
static int fdt_step(const struct fdt *fdt, uint32_t *off, int *depth)
{
	int tok = fdt_token(fdt, *off, off);

	if (tok == FDT_BEGIN_NODE)
		(*depth)++;
	else if (tok == FDT_END_NODE)
		(*depth)--;
	return tok;
}

/*
 * fdt_check_struct walks the whole structure block once: exactly one root
 * node, properties only before a node's children, END_NODE balanced, depth at
 * most FDT_MAX_DEPTH, and an END token after the root. Sets fdt->root.
 */
static int fdt_check_struct(struct fdt *fdt)
{
	uint32_t off = 0, at;
	int depth = 0, prev = FDT_BAD, tok;

	for (;;) {
		at = off;
		tok = fdt_step(fdt, &off, &depth);
		if (tok == FDT_NOP)
			continue;
		if (tok == FDT_END)
			break;
		if (tok == FDT_BAD || depth < 0 || depth > FDT_MAX_DEPTH)
			return ERR_BAD_FORMAT;
		/* Also rejects a property outside the root: prev is not
		 * BEGIN_NODE or PROP there. */
		if (tok == FDT_PROP && prev != FDT_BEGIN_NODE && prev != FDT_PROP)
			return ERR_BAD_FORMAT;
		if (tok == FDT_BEGIN_NODE && depth == 1) {
			if (fdt->root >= 0)
				return ERR_BAD_FORMAT;
			fdt->root = (int)at;
		}
		prev = tok;
	}
	return fdt->root >= 0 && depth == 0 ? ERR_OK : ERR_BAD_FORMAT;
}

/* fdt_block_ok says whether [off, off + size) lies after the header and
 * inside a blob of 'total' bytes. */
static bool fdt_block_ok(uint32_t off, uint32_t size, uint32_t total)
{
	return off >= FDT_HEADER_SIZE && off <= total && size <= total - off;
}

/* fdt_check_rsvmap counts reservation entries up to the (0, 0) terminator,
 * which must lie inside the blob. */
static int fdt_check_rsvmap(struct fdt *fdt)
{
	uint32_t off = fdt->rsvmap_off, n;
	const uint8_t *e;

	if (off % 8 != 0 || !fdt_block_ok(off, 0, fdt->size))
		return ERR_BAD_FORMAT;
	for (n = 0; n < (fdt->size - off) / FDT_RSV_SIZE; n++) {
		e = fdt->blob + off + n * FDT_RSV_SIZE;
		if (fdt_be64(e) == 0 && fdt_be64(e + 8) == 0) {
			fdt->rsvmap_count = n;
			return ERR_OK;
		}
	}
	return ERR_BAD_FORMAT;
}

int fdt_open(struct fdt *fdt, const void *blob, size_t max_size)
{
	const uint8_t *h = blob;
	uint32_t total;
	int err;

	if (!fdt || !blob)
		return ERR_INVALID_ARGUMENT;
	if (max_size < FDT_HEADER_SIZE || fdt_be32(h) != FDT_MAGIC)
		return ERR_BAD_FORMAT;
	total = fdt_be32(h + 4);
	if (total < FDT_HEADER_SIZE || total > max_size || total > INT32_MAX)
		return ERR_BAD_FORMAT;
	if (fdt_be32(h + 20) < FDT_VERSION || fdt_be32(h + 24) > FDT_VERSION)
		return ERR_BAD_FORMAT;

	fdt->blob = h;
	fdt->size = total;
	fdt->struct_off = fdt_be32(h + 8);
	fdt->strings_off = fdt_be32(h + 12);
	fdt->rsvmap_off = fdt_be32(h + 16);
	fdt->strings_size = fdt_be32(h + 32);
	fdt->struct_size = fdt_be32(h + 36);
	fdt->rsvmap_count = 0;
	fdt->root = -1;

	if (!fdt_block_ok(fdt->struct_off, fdt->struct_size, total) ||
	    fdt->struct_off % 4 != 0 || fdt->struct_size % 4 != 0)
		return ERR_BAD_FORMAT;
	if (!fdt_block_ok(fdt->strings_off, fdt->strings_size, total))
		return ERR_BAD_FORMAT;
	/* A nul last byte makes every name offset inside the block a string. */
	if (fdt->strings_size > 0 &&
	    h[fdt->strings_off + fdt->strings_size - 1] != 0)
		return ERR_BAD_FORMAT;
	err = fdt_check_rsvmap(fdt);
	if (err)
		return err;
	return fdt_check_struct(fdt);
}

int fdt_first_child(const struct fdt *fdt, int node)
{
	uint32_t off = fdt_node_body(fdt, node), at;
	int depth = 0, tok;

	if (off == 0)
		return -1;
	do {
		at = off;
		tok = fdt_step(fdt, &off, &depth);
	} while (tok == FDT_PROP || tok == FDT_NOP);
	return tok == FDT_BEGIN_NODE ? (int)at : -1;
}

int fdt_next_sibling(const struct fdt *fdt, int node)
{
	uint32_t off = (uint32_t)node, at;
	int depth = 0, tok;

	if (fdt_node_body(fdt, node) == 0)
		return -1;
	/* Skip the node's whole subtree, then any NOPs after it. */
	do {
		tok = fdt_step(fdt, &off, &depth);
		if (tok == FDT_BAD || tok == FDT_END)
			return -1;
	} while (depth > 0);
	do {
		at = off;
		tok = fdt_step(fdt, &off, &depth);
	} while (tok == FDT_NOP);
	return tok == FDT_BEGIN_NODE ? (int)at : -1;
}

int fdt_parent(const struct fdt *fdt, int node)
{
	int stack[FDT_MAX_DEPTH];
	uint32_t off = (uint32_t)fdt->root, at;
	int depth = 0, tok;

	if (node < 0)
		return -1;
	/* stack[d] is the open node at depth d + 1 (the root is depth 1). */
	for (;;) {
		at = off;
		tok = fdt_step(fdt, &off, &depth);
		if (tok == FDT_BAD || tok == FDT_END || depth <= 0 ||
		    depth > FDT_MAX_DEPTH)
			return -1;
		if (tok != FDT_BEGIN_NODE)
			continue;
		if (at == (uint32_t)node)
			return depth > 1 ? stack[depth - 2] : -1;
		stack[depth - 1] = (int)at;
	}
}

const char *fdt_name(const struct fdt *fdt, int node)
{
	if (fdt_node_body(fdt, node) == 0)
		return NULL;
	return (const char *)fdt_struct(fdt) + node + 4;
}

/* fdt_name_matches says whether node name 'name' matches path component
 * comp[0..len): exactly, or up to its '@' when comp has no '@'. */
static bool fdt_name_matches(const char *name, const char *comp, size_t len)
{
	bool comp_has_unit = false;
	size_t i;

	for (i = 0; i < len; i++) {
		if (name[i] != comp[i])
			return false;
		if (comp[i] == '@')
			comp_has_unit = true;
	}
	return name[len] == 0 || (name[len] == '@' && !comp_has_unit);
}

int fdt_path(const struct fdt *fdt, const char *path)
{
	int node = fdt->root, child;
	size_t len;

	if (!path || *path != '/')
		return -1;
	for (;;) {
		while (*path == '/')
			path++;
		if (*path == 0)
			return node;
		for (len = 0; path[len] != 0 && path[len] != '/'; len++)
			;
		child = fdt_first_child(fdt, node);
		while (child >= 0 &&
		       !fdt_name_matches(fdt_name(fdt, child), path, len))
			child = fdt_next_sibling(fdt, child);
		if (child < 0)
			return -1;
		node = child;
		path += len;
	}
}

int fdt_next_compatible(const struct fdt *fdt, int after, const char *compat)
{
	uint32_t off, next;
	int tok;

	if (after < 0)
		off = (uint32_t)fdt->root;
	else if ((off = fdt_node_body(fdt, after)) == 0)
		return -1;
	/* Blob order of BEGIN_NODE tokens is depth-first order. */
	while ((tok = fdt_token(fdt, off, &next)) != FDT_BAD && tok != FDT_END) {
		if (tok == FDT_BEGIN_NODE &&
		    fdt_prop_contains(fdt, (int)off, "compatible", compat))
			return (int)off;
		off = next;
	}
	return -1;
}

/* fdt_string_eq compares the strings-block entry at 'nameoff' with 'name',
 * never reading past the block. */
static bool fdt_string_eq(const struct fdt *fdt, uint32_t nameoff,
			  const char *name)
{
	const uint8_t *s = fdt->blob + fdt->strings_off;
	uint32_t i;

	for (i = nameoff; i < fdt->strings_size; i++, name++) {
		if (s[i] != (uint8_t)*name)
			return false;
		if (*name == 0)
			return true;
	}
	return false;
}

const void *fdt_prop(const struct fdt *fdt, int node, const char *name,
		     uint32_t *len)
{
	const uint8_t *sb = fdt_struct(fdt);
	uint32_t off = fdt_node_body(fdt, node), next;
	int tok;

	if (off == 0)
		return NULL;
	/* A node's properties are the PROP tokens before its first child. */
	while ((tok = fdt_token(fdt, off, &next)) == FDT_PROP || tok == FDT_NOP) {
		if (tok == FDT_PROP &&
		    fdt_string_eq(fdt, fdt_be32(sb + off + 8), name)) {
			if (len)
				*len = fdt_be32(sb + off + 4);
			return sb + off + 12;
		}
		off = next;
	}
	return NULL;
}

bool fdt_prop_u32(const struct fdt *fdt, int node, const char *name,
		  uint32_t *out)
{
	uint32_t len;

	return fdt_prop(fdt, node, name, &len) && len == 4 &&
	       fdt_prop_cell(fdt, node, name, 0, out);
}

bool fdt_prop_u64(const struct fdt *fdt, int node, const char *name,
		  uint64_t *out)
{
	uint32_t len;
	const uint8_t *p = fdt_prop(fdt, node, name, &len);

	if (!p || (len != 4 && len != 8))
		return false;
	*out = len == 4 ? fdt_be32(p) : fdt_be64(p);
	return true;
}

bool fdt_prop_cell(const struct fdt *fdt, int node, const char *name,
		   unsigned index, uint32_t *out)
{
	uint32_t len;
	const uint8_t *p = fdt_prop(fdt, node, name, &len);

	if (!p || index >= len / 4)
		return false;
	*out = fdt_be32(p + (size_t)index * 4);
	return true;
}

bool fdt_prop_contains(const struct fdt *fdt, int node, const char *name,
		       const char *str)
{
	uint32_t len, i, start;
	const char *p = fdt_prop(fdt, node, name, &len);
	size_t k;

	if (!p)
		return false;
	/* Compare each nul-terminated entry that lies wholly inside the value. */
	for (start = 0, i = 0; i < len; i++) {
		if (p[i] != 0)
			continue;
		for (k = 0; start + k < i && str[k] == p[start + k]; k++)
			;
		if (start + k == i && str[k] == 0)
			return true;
		start = i + 1;
	}
	return false;
}

const char *fdt_prop_string(const struct fdt *fdt, int node, const char *name)
{
	uint32_t len;
	const char *p = fdt_prop(fdt, node, name, &len);

	if (!p || len == 0 || p[len - 1] != 0)
		return NULL;
	return p;
}

/* fdt_cells reads a #address-cells style count of 'node' into *out, which
 * keeps its default when absent. ERR_BAD_FORMAT if present but not one cell. */
static int fdt_cells(const struct fdt *fdt, int node, const char *name,
		     uint32_t *out)
{
	if (!fdt_prop(fdt, node, name, NULL))
		return ERR_OK;
	return fdt_prop_u32(fdt, node, name, out) ? ERR_OK : ERR_BAD_FORMAT;
}

int fdt_reg(const struct fdt *fdt, int node, unsigned index, uint64_t *addr,
	    uint64_t *size)
{
	uint32_t ac = 2, sc = 1, len, entry;	/* the spec's defaults */
	const uint8_t *p;
	int parent, err;

	if (fdt_node_body(fdt, node) == 0)
		return ERR_NOT_FOUND;
	parent = fdt_parent(fdt, node);
	if (parent >= 0) {
		err = fdt_cells(fdt, parent, "#address-cells", &ac);
		if (!err)
			err = fdt_cells(fdt, parent, "#size-cells", &sc);
		if (err)
			return err;
	}
	p = fdt_prop(fdt, node, "reg", &len);
	if (!p)
		return ERR_NOT_FOUND;
	if (ac == 0 || ac > 2 || sc > 2)
		return ERR_RANGE;
	entry = (ac + sc) * 4;
	if (len % entry != 0)
		return ERR_BAD_FORMAT;
	if (index >= len / entry)
		return ERR_NOT_FOUND;
	p += (size_t)index * entry;
	if (addr)
		*addr = ac == 1 ? fdt_be32(p) : fdt_be64(p);
	p += 4 * ac;
	if (size)
		*size = sc == 0 ? 0 : sc == 1 ? fdt_be32(p) : fdt_be64(p);
	return ERR_OK;
}

int fdt_rsvmap_entry(const struct fdt *fdt, unsigned i, uint64_t *addr,
		     uint64_t *size)
{
	const uint8_t *e;

	if (i >= fdt->rsvmap_count)
		return ERR_NOT_FOUND;
	e = fdt->blob + fdt->rsvmap_off + (size_t)i * FDT_RSV_SIZE;
	*addr = fdt_be64(e);
	*size = fdt_be64(e + 8);
	return ERR_OK;
}
