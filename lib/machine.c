/*
 * machine.c - fills struct machine from a Flattened Device Tree blob (DTB,
 * version 17, as the devicetree specification describes it), in one pass.
 *
 * A blob is a 40-byte big-endian header, a memory reservation block of
 * (address, size) pairs ending in (0, 0), a structure block of 4-aligned
 * tokens (BEGIN_NODE name, PROP len nameoff value, END_NODE, NOP, END) and
 * a strings block holding property names. The header and block bounds are
 * checked first; then one walk over the tokens checks each one before it
 * reads it (fdt_token), and the nesting as it goes, so a corrupt blob is
 * ERR_BAD_FORMAT and never a read outside it. A node's properties come
 * before its children, so a node is judged (machine_judge: which nodes
 * count, which compatible strings name which device) when its first child
 * or its END_NODE arrives, from the properties collected on the way.
 */
#include "machine.h"
#include "errors.h"
#include "str.h"

#define FDT_MAGIC       0xd00dfeedu
#define FDT_VERSION     17
#define FDT_HEADER_SIZE 40

enum { FDT_BAD = 0, FDT_BEGIN_NODE = 1, FDT_END_NODE = 2, FDT_PROP = 3, FDT_NOP = 4, FDT_END = 9 };

/* What an open node is, by its place and name. */
enum { NODE_OTHER, NODE_ROOT, NODE_CPUS, NODE_RESERVED, NODE_CHOSEN };

/* The properties machine_judge() looks at, by index into prop_names. */
enum { P_ADDRESS_CELLS, P_SIZE_CELLS, P_REG, P_DEVICE_TYPE, P_STATUS, P_COMPATIBLE,
       P_INTERRUPTS, P_NDEV, P_TIMEBASE, P_BOOTARGS, P_COUNT };
static const char *const prop_names[P_COUNT] = {
	"#address-cells", "#size-cells", "reg", "device_type", "status", "compatible",
	"interrupts", "riscv,ndev", "timebase-frequency", "bootargs",
};

struct walk {
	struct machine *m;
	const uint8_t *blob, *structs;
	const char *strings;
	uint32_t struct_size, strings_size;
	int depth;                                /* of the node open last; the root is 1 */
	uint8_t kind[MACHINE_FDT_MAX_DEPTH + 1];  /* of each open node, NODE_* */
	uint32_t cells[MACHINE_FDT_MAX_DEPTH + 1][2]; /* its #address-cells, #size-cells */
	bool judged;                              /* the last node's properties are over */
	const uint8_t *prop[P_COUNT];             /* the last node's, NULL if absent */
	uint32_t len[P_COUNT];
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A number of 0, 1 or 2 big-endian cells. */
static uint64_t be_cells(const uint8_t *p, uint32_t cells)
{
	return cells == 0 ? 0 : cells == 1 ? be32(p) : (uint64_t)be32(p) << 32 | be32(p + 4);
}

/*
 * The token at structure offset off; *next is the offset after it. FDT_BAD
 * if the token, a node name (nul inside the block), a property (its value
 * inside the block, its name offset inside the strings block) or the
 * padding runs past the end. On success off < *next <= struct_size.
 */
static int fdt_token(const struct walk *w, uint32_t off, uint32_t *next)
{
	uint32_t size = w->struct_size, tok, end;

	if (off > size || size - off < 4)
		return FDT_BAD;
	tok = be32(w->structs + off);
	if (tok == FDT_BEGIN_NODE) {
		for (end = off + 4; end < size && w->structs[end] != 0; end++)
			;
		if (end == size)
			return FDT_BAD;
		end = (end + 4) & ~3u;          /* the nul, then padding */
	} else if (tok == FDT_PROP) {
		if (size - off < 12 || be32(w->structs + off + 4) > size - off - 12 ||
		    be32(w->structs + off + 8) >= w->strings_size)
			return FDT_BAD;
		end = (off + 12 + be32(w->structs + off + 4) + 3) & ~3u;
	} else if (tok == FDT_END_NODE || tok == FDT_NOP || tok == FDT_END) {
		end = off + 4;
	} else {
		return FDT_BAD;
	}
	if (end > size)
		return FDT_BAD;
	*next = end;
	return (int)tok;
}

/* [off, off + size) lies after the header, inside `total` bytes. */
static bool fdt_block_ok(uint32_t off, uint32_t size, uint32_t total)
{
	return off >= FDT_HEADER_SIZE && off <= total && size <= total - off;
}

/* The header, and the bounds of the structure and strings blocks. */
static int fdt_open(struct walk *w, const uint8_t *h, size_t max_size)
{
	uint32_t total, st_off, str_off;

	if (h == NULL || max_size < FDT_HEADER_SIZE || be32(h) != FDT_MAGIC)
		return ERR_BAD_FORMAT;
	total = be32(h + 4);
	st_off = be32(h + 8);
	str_off = be32(h + 12);
	w->strings_size = be32(h + 32);
	w->struct_size = be32(h + 36);
	if (total < FDT_HEADER_SIZE || total > max_size || total > INT32_MAX ||
	    be32(h + 20) < FDT_VERSION || be32(h + 24) > FDT_VERSION)
		return ERR_BAD_FORMAT;
	if (!fdt_block_ok(st_off, w->struct_size, total) || st_off % 4 != 0 ||
	    w->struct_size % 4 != 0 || !fdt_block_ok(str_off, w->strings_size, total))
		return ERR_BAD_FORMAT;
	/* A nul last byte makes every name offset inside the block a string. */
	if (w->strings_size > 0 && h[str_off + w->strings_size - 1] != 0)
		return ERR_BAD_FORMAT;
	w->blob = h;
	w->structs = h + st_off;
	w->strings = (const char *)h + str_off;
	w->m->dtb_size = total;
	return ERR_OK;
}

/* Appends [base, base + size) to r[0..*n); empty ranges are skipped, one
 * that wraps past 2^64 or does not fit is ERR_RANGE. */
static int machine_add_range(struct mem_range *r, unsigned *n, uint64_t base, uint64_t size)
{
	if (size == 0)
		return ERR_OK;
	if (size - 1 > UINT64_MAX - base || *n >= MACHINE_MAX_RANGES)
		return ERR_RANGE;
	r[(*n)++] = (struct mem_range){ .base = base, .size = size };
	return ERR_OK;
}

/* The header's reservations, up to the (0, 0) entry, which must be inside. */
static int machine_rsvmap(struct walk *w)
{
	uint32_t off = be32(w->blob + 16), total = w->m->dtb_size;
	const uint8_t *e;
	int err = ERR_OK;

	if (off % 8 != 0 || !fdt_block_ok(off, 0, total))
		return ERR_BAD_FORMAT;
	for (; err == ERR_OK && total - off >= 16; off += 16) {
		e = w->blob + off;
		if (be_cells(e, 2) == 0 && be_cells(e + 8, 2) == 0)
			return ERR_OK;
		err = machine_add_range(w->m->reserved, &w->m->nreserved, be_cells(e, 2),
					be_cells(e + 8, 2));
	}
	return err == ERR_OK ? ERR_BAD_FORMAT : err;
}

/* The last node's property p as a non-empty nul-terminated string, or NULL. */
static const char *prop_string(const struct walk *w, int p)
{
	if (w->prop[p] == NULL || w->len[p] == 0 || w->prop[p][w->len[p] - 1] != 0)
		return NULL;
	return (const char *)w->prop[p];
}

/* Whether the string list p holds exactly str; an unterminated last entry
 * never matches. */
static bool prop_contains(const struct walk *w, int p, const char *str)
{
	const char *v = (const char *)w->prop[p];
	size_t len = strlen(str) + 1, at = 0;

	while (v != NULL && at + len <= w->len[p]) {
		if (memcmp(v + at, str, len) == 0)
			return true;
		while (at < w->len[p] && v[at] != 0)
			at++;
		at++;
	}
	return false;
}

/* A one-cell property into *out; a missing one leaves *out alone. False if
 * it is there but not one cell. */
static bool prop_u32(const struct walk *w, int p, uint32_t *out)
{
	if (w->prop[p] != NULL && w->len[p] != 4)
		return false;
	if (w->prop[p] != NULL)
		*out = be32(w->prop[p]);
	return true;
}

/* Entry i of the last node's reg, with its parent's cell counts. */
static int machine_reg(const struct walk *w, unsigned i, uint64_t *base, uint64_t *size)
{
	uint32_t ac = w->cells[w->depth - 1][0], sc = w->cells[w->depth - 1][1];
	uint32_t entry = (ac + sc) * 4;

	if (w->prop[P_REG] == NULL)
		return ERR_NOT_FOUND;
	if (ac == 0 || ac > 2 || sc > 2)
		return ERR_RANGE;
	if (w->len[P_REG] % entry != 0)
		return ERR_BAD_FORMAT;
	if (i >= w->len[P_REG] / entry)
		return ERR_NOT_FOUND;
	*base = be_cells(w->prop[P_REG] + i * entry, ac);
	*size = be_cells(w->prop[P_REG] + i * entry + 4 * ac, sc);
	return ERR_OK;
}

/* Appends every entry of the last node's reg (none is fine). */
static int machine_add_reg(const struct walk *w, struct mem_range *r, unsigned *n)
{
	uint64_t base, size;
	unsigned i;
	int err = ERR_OK;

	for (i = 0; err == ERR_OK && (err = machine_reg(w, i, &base, &size)) == ERR_OK; i++)
		err = machine_add_range(r, n, base, size);
	return err == ERR_NOT_FOUND ? ERR_OK : err;
}

/* A device node: its first reg entry (required), the first cell of
 * "interrupts" and riscv,ndev (both optional). */
static int machine_device_read(const struct walk *w, struct machine_device *d)
{
	int err = machine_reg(w, 0, &d->base, &d->size);

	if (err != ERR_OK)
		return err == ERR_NOT_FOUND ? ERR_BAD_FORMAT : err;
	if ((w->prop[P_INTERRUPTS] && w->len[P_INTERRUPTS] < 4) || !prop_u32(w, P_NDEV, &d->ndev))
		return ERR_BAD_FORMAT;
	d->irq = w->prop[P_INTERRUPTS] ? be32(w->prop[P_INTERRUPTS]) : 0;
	d->present = true;
	return ERR_OK;
}

/* Takes the node as *d if it is the first whose compatible list holds
 * one of the two names (a failed read fails the whole probe). */
static int machine_pick(const struct walk *w, const char *name, const char *other,
			struct machine_device *d)
{
	if (d->present || !(prop_contains(w, P_COMPATIBLE, name) || prop_contains(w, P_COMPATIBLE, other)))
		return ERR_OK;
	return machine_device_read(w, d);
}

/* The UART and the PLIC are the first available node with either of their
 * compatible names; a PLIC is useless without its number of sources.
 * Virtio slots are all of them, sorted by address so slot n is virtio[n]. */
static int machine_device(struct walk *w)
{
	struct machine *m = w->m;
	struct machine_device d = { 0 };
	unsigned i;
	int err = machine_pick(w, "ns16550a", "ns16550", &m->uart);

	if (err == ERR_OK)
		err = machine_pick(w, "riscv,plic0", "sifive,plic-1.0.0", &m->plic);
	if (err == ERR_OK && m->plic.present && m->plic.ndev == 0)
		return ERR_BAD_FORMAT;
	if (err != ERR_OK || !prop_contains(w, P_COMPATIBLE, "virtio,mmio"))
		return err;
	if (m->nvirtio >= MACHINE_MAX_VIRTIO)
		return ERR_RANGE;
	err = machine_device_read(w, &d);
	for (i = m->nvirtio; err == ERR_OK && i > 0 && m->virtio[i - 1].base > d.base; i--)
		m->virtio[i] = m->virtio[i - 1];
	if (err == ERR_OK) {
		m->virtio[i] = d;
		m->nvirtio++;
	}
	return err;
}

/*
 * Judges the last node from its properties. Memory is the root's children
 * with device_type "memory"; harts are /cpus children with device_type
 * "cpu"; the timebase is in /cpus or, in older trees, in the cpu nodes;
 * every /reserved-memory child counts, whatever its status (reserving too
 * much is safe, handing out firmware's memory is not); everything else
 * counts only if available: status absent, "okay" or "ok".
 */
static int machine_judge(struct walk *w)
{
	struct machine *m = w->m;
	const char *status = prop_string(w, P_STATUS), *type = prop_string(w, P_DEVICE_TYPE);
	int parent = w->kind[w->depth - 1];
	uint32_t *cells = w->cells[w->depth];
	uint64_t timebase = 0;

	w->judged = true;
	cells[0] = 2;           /* the spec's defaults */
	cells[1] = 1;
	if (!prop_u32(w, P_ADDRESS_CELLS, &cells[0]) || !prop_u32(w, P_SIZE_CELLS, &cells[1]))
		return ERR_BAD_FORMAT;
	if (w->prop[P_TIMEBASE] && (w->len[P_TIMEBASE] == 4 || w->len[P_TIMEBASE] == 8))
		timebase = be_cells(w->prop[P_TIMEBASE], w->len[P_TIMEBASE] / 4);
	if (w->kind[w->depth] == NODE_CHOSEN && w->prop[P_BOOTARGS] && w->len[P_BOOTARGS] > 0) {
		m->bootargs = prop_string(w, P_BOOTARGS);
		if (m->bootargs == NULL)
			return ERR_BAD_FORMAT;
	}
	if (w->kind[w->depth] == NODE_CPUS && timebase != 0)
		m->timebase_hz = timebase;
	if (parent == NODE_RESERVED)
		return machine_add_reg(w, m->reserved, &m->nreserved);
	if (w->prop[P_STATUS] && !(status && (strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0)))
		return ERR_OK;
	if (parent == NODE_CPUS && type && strcmp(type, "cpu") == 0) {
		m->nharts++;
		if (m->timebase_hz == 0)
			m->timebase_hz = timebase;
	}
	if (parent == NODE_ROOT && type && strcmp(type, "memory") == 0)
		return machine_add_reg(w, m->mem, &m->nmem);
	return machine_device(w);
}

/* Opens the node whose BEGIN_NODE is at off. */
static int machine_begin_node(struct walk *w, uint32_t off)
{
	const char *name = (const char *)w->structs + off + 4;
	int kind = w->depth == 0 ? NODE_ROOT : NODE_OTHER;

	/* kind[1] is NODE_ROOT once a root has been opened: there is only one. */
	if (w->depth == MACHINE_FDT_MAX_DEPTH || (w->depth == 0 && w->kind[1] == NODE_ROOT))
		return ERR_BAD_FORMAT;
	/* The spec gives these three no unit address. */
	if (w->depth == 1 && strcmp(name, "cpus") == 0)
		kind = NODE_CPUS;
	else if (w->depth == 1 && strcmp(name, "reserved-memory") == 0)
		kind = NODE_RESERVED;
	else if (w->depth == 1 && strcmp(name, "chosen") == 0)
		kind = NODE_CHOSEN;
	w->kind[++w->depth] = (uint8_t)kind;
	w->judged = false;
	memset(w->prop, 0, sizeof(w->prop));
	return ERR_OK;
}

/* The whole structure block, once: exactly one root, properties only
 * before a node's children, END_NODE balanced, nesting at most
 * MACHINE_FDT_MAX_DEPTH deep, and END after the root. */
static int machine_walk(struct walk *w)
{
	uint32_t off, next = 0, i;
	int tok, err = ERR_OK;

	for (off = 0; err == ERR_OK; off = next) {
		tok = fdt_token(w, off, &next);
		if ((tok == FDT_BEGIN_NODE || tok == FDT_END_NODE) && w->depth > 0 && !w->judged)
			err = machine_judge(w);
		if (err != ERR_OK || tok == FDT_NOP)
			continue;
		if (tok == FDT_BEGIN_NODE) {
			err = machine_begin_node(w, off);
		} else if (tok == FDT_PROP && w->depth > 0 && !w->judged) {
			for (i = 0; i < P_COUNT; i++)
				if (strcmp(w->strings + be32(w->structs + off + 8), prop_names[i]) == 0) {
					w->prop[i] = w->structs + off + 12;
					w->len[i] = be32(w->structs + off + 4);
				}
		} else if (tok == FDT_END_NODE && w->depth > 0) {
			w->depth--;
			w->judged = true;       /* its parent has had a child */
		} else {
			return tok == FDT_END && w->depth == 0 && w->kind[1] == NODE_ROOT ? ERR_OK
											 : ERR_BAD_FORMAT;
		}
	}
	return err;
}

int machine_probe(struct machine *m, const void *dtb, size_t max_size)
{
	struct walk w = { .m = m, .cells[0] = { 2, 1 } };
	int err;

	*m = (struct machine){ .bootargs = "" };
	err = fdt_open(&w, dtb, max_size);
	if (err == ERR_OK)
		err = machine_rsvmap(&w);
	if (err == ERR_OK)
		err = machine_walk(&w);
	if (err == ERR_OK && (m->nmem == 0 || m->nharts == 0))
		err = ERR_NOT_FOUND;
	if (err != ERR_OK)
		*m = (struct machine){ .bootargs = "" };
	return err;
}

bool machine_bootarg(const struct machine *m, const char *key, char *buf, size_t bufsize)
{
	const char *p = m->bootargs ? m->bootargs : "";
	const char *word, *val = NULL;
	size_t klen = strlen(key), wlen, vlen = 0;

	if (bufsize == 0)
		return false;
	buf[0] = 0;
	while (*p && klen > 0) {
		while (*p == ' ' || *p == '\t')
			p++;
		for (word = p; *p && *p != ' ' && *p != '\t'; p++)
			;
		wlen = (size_t)(p - word);
		if (wlen >= klen && memcmp(word, key, klen) == 0 && (wlen == klen || word[klen] == '=')) {
			val = word + (wlen > klen ? klen + 1 : klen);
			vlen = wlen > klen ? wlen - klen - 1 : 0;
		}
	}
	if (!val || vlen >= bufsize)
		return false;
	memcpy(buf, val, vlen);
	buf[vlen] = 0;
	return true;
}
