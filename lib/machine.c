/*
 * machine.c - fills struct machine from the device tree (see machine.h).
 * A library, not kernel policy: plain data in, plain data out, host-tested;
 * the kernel calls it once at boot.
 *
 * Reads the tree only through lib/fdt.h, which has already checked every
 * offset, so the work here is policy: which nodes count (status "okay"),
 * which compatible strings name which device, and refusing, with ERR_RANGE,
 * anything that would not fit rather than booting with part of the machine.
 */
#include "machine.h"
#include "errors.h"
#include "fdt.h"

static bool machine_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* machine_available says whether a node is usable: the spec's "okay" (or
 * the older "ok"), or no status at all. A malformed status means no. */
static bool machine_available(const struct fdt *fdt, int node)
{
	const char *status;

	if (!fdt_prop(fdt, node, "status", NULL))
		return true;
	status = fdt_prop_string(fdt, node, "status");
	return status &&
	       (machine_streq(status, "okay") || machine_streq(status, "ok"));
}

static bool machine_has_type(const struct fdt *fdt, int node, const char *type)
{
	const char *t = fdt_prop_string(fdt, node, "device_type");

	return t && machine_streq(t, type);
}

/* machine_add_range appends [base, base + size) to r[0..*n). Empty ranges
 * are skipped; one that wraps past 2^64 or does not fit is ERR_RANGE. */
static int machine_add_range(struct mem_range *r, unsigned *n, uint64_t base,
			     uint64_t size)
{
	if (size == 0)
		return ERR_OK;
	if (size - 1 > UINT64_MAX - base || *n >= MACHINE_MAX_RANGES)
		return ERR_RANGE;
	r[*n].base = base;
	r[*n].size = size;
	(*n)++;
	return ERR_OK;
}

/* machine_add_reg appends every entry of the node's "reg" (none is fine). */
static int machine_add_reg(const struct fdt *fdt, int node,
			   struct mem_range *r, unsigned *n)
{
	uint64_t base, size;
	unsigned i;
	int err;

	for (i = 0;; i++) {
		err = fdt_reg(fdt, node, i, &base, &size);
		if (err == ERR_NOT_FOUND)
			return ERR_OK;
		if (!err)
			err = machine_add_range(r, n, base, size);
		if (err)
			return err;
	}
}

static int machine_probe_memory(struct machine *m, const struct fdt *fdt)
{
	int node, err;

	for (node = fdt_first_child(fdt, fdt_root(fdt)); node >= 0;
	     node = fdt_next_sibling(fdt, node)) {
		if (!machine_has_type(fdt, node, "memory") ||
		    !machine_available(fdt, node))
			continue;
		err = machine_add_reg(fdt, node, m->mem, &m->nmem);
		if (err)
			return err;
	}
	return m->nmem ? ERR_OK : ERR_NOT_FOUND;
}

/* Every reservation counts, whatever its status: reserving too much is
 * safe, handing out firmware's memory is not. */
static int machine_probe_reserved(struct machine *m, const struct fdt *fdt)
{
	uint64_t base, size;
	unsigned i;
	int node, err;

	for (i = 0; i < fdt_rsvmap_count(fdt); i++) {
		err = fdt_rsvmap_entry(fdt, i, &base, &size);
		if (!err)
			err = machine_add_range(m->reserved, &m->nreserved,
						base, size);
		if (err)
			return err;
	}
	node = fdt_path(fdt, "/reserved-memory");
	if (node < 0)
		return ERR_OK;
	for (node = fdt_first_child(fdt, node); node >= 0;
	     node = fdt_next_sibling(fdt, node)) {
		err = machine_add_reg(fdt, node, m->reserved, &m->nreserved);
		if (err)
			return err;
	}
	return ERR_OK;
}

/* Harts and the timebase, which lives in /cpus or, in older trees, in each
 * cpu node. */
static int machine_probe_cpus(struct machine *m, const struct fdt *fdt)
{
	int cpus = fdt_path(fdt, "/cpus"), node;

	if (cpus < 0)
		return ERR_NOT_FOUND;
	fdt_prop_u64(fdt, cpus, "timebase-frequency", &m->timebase_hz);
	for (node = fdt_first_child(fdt, cpus); node >= 0;
	     node = fdt_next_sibling(fdt, node)) {
		if (!machine_has_type(fdt, node, "cpu") ||
		    !machine_available(fdt, node))
			continue;
		if (m->timebase_hz == 0)
			fdt_prop_u64(fdt, node, "timebase-frequency",
				     &m->timebase_hz);
		m->nharts++;
	}
	return m->nharts ? ERR_OK : ERR_NOT_FOUND;
}

/* machine_device_read fills *d from a device node: its first reg entry
 * (required) and the first cell of "interrupts" (optional). */
static int machine_device_read(const struct fdt *fdt, int node,
			       struct machine_device *d)
{
	int err = fdt_reg(fdt, node, 0, &d->base, &d->size);

	if (err == ERR_NOT_FOUND)
		return ERR_BAD_FORMAT;
	if (err)
		return err;
	if (fdt_prop(fdt, node, "interrupts", NULL) &&
	    !fdt_prop_cell(fdt, node, "interrupts", 0, &d->irq))
		return ERR_BAD_FORMAT;
	d->present = true;
	return ERR_OK;
}

/* machine_find returns the first available node compatible with 'compat'. */
static int machine_find(const struct fdt *fdt, const char *compat)
{
	int node = -1;

	while ((node = fdt_next_compatible(fdt, node, compat)) >= 0)
		if (machine_available(fdt, node))
			return node;
	return -1;
}

/* machine_probe_one fills *d from the first available node matching
 * 'compat', else 'alt' (may be NULL), and returns that node in *node (-1
 * if none). An absent device is not an error. */
static int machine_probe_one(const struct fdt *fdt, const char *compat,
			     const char *alt, struct machine_device *d,
			     int *node)
{
	*node = machine_find(fdt, compat);
	if (*node < 0 && alt)
		*node = machine_find(fdt, alt);
	if (*node < 0)
		return ERR_OK;
	return machine_device_read(fdt, *node, d);
}

/* The PLIC is useless without its number of sources, so a PLIC node that
 * lacks riscv,ndev is malformed. */
static int machine_probe_plic(struct machine *m, const struct fdt *fdt)
{
	int node, err;

	err = machine_probe_one(fdt, "riscv,plic0", "sifive,plic-1.0.0",
				&m->plic, &node);
	if (err || node < 0)
		return err;
	if (!fdt_prop_u32(fdt, node, "riscv,ndev", &m->plic.ndev))
		return ERR_BAD_FORMAT;
	return ERR_OK;
}

/* All virtio-mmio slots, sorted by address so slot n is virtio[n]. */
static int machine_probe_virtio(struct machine *m, const struct fdt *fdt)
{
	struct machine_device d;
	unsigned i;
	int node = -1, err;

	while ((node = fdt_next_compatible(fdt, node, "virtio,mmio")) >= 0) {
		if (!machine_available(fdt, node))
			continue;
		if (m->nvirtio >= MACHINE_MAX_VIRTIO)
			return ERR_RANGE;
		d = (struct machine_device){ 0 };
		err = machine_device_read(fdt, node, &d);
		if (err)
			return err;
		for (i = m->nvirtio; i > 0 && m->virtio[i - 1].base > d.base;
		     i--)
			m->virtio[i] = m->virtio[i - 1];
		m->virtio[i] = d;
		m->nvirtio++;
	}
	return ERR_OK;
}

static int machine_probe_bootargs(struct machine *m, const struct fdt *fdt)
{
	int chosen = fdt_path(fdt, "/chosen");
	uint32_t len;

	m->bootargs = "";
	if (chosen < 0 || !fdt_prop(fdt, chosen, "bootargs", &len) || len == 0)
		return ERR_OK;
	m->bootargs = fdt_prop_string(fdt, chosen, "bootargs");
	if (!m->bootargs)
		return ERR_BAD_FORMAT;
	return ERR_OK;
}

static int machine_fill(struct machine *m, const struct fdt *fdt)
{
	int node, err;

	m->dtb_size = fdt_total_size(fdt);
	err = machine_probe_memory(m, fdt);
	if (!err)
		err = machine_probe_reserved(m, fdt);
	if (!err)
		err = machine_probe_cpus(m, fdt);
	if (!err)
		err = machine_probe_one(fdt, "ns16550a", "ns16550", &m->uart,
					&node);
	if (!err)
		err = machine_probe_plic(m, fdt);
	if (!err)
		err = machine_probe_virtio(m, fdt);
	if (!err)
		err = machine_probe_one(fdt, "google,goldfish-rtc", NULL,
					&m->rtc, &node);
	if (!err)
		err = machine_probe_bootargs(m, fdt);
	return err;
}

int machine_probe(struct machine *m, const void *dtb, size_t max_size)
{
	struct fdt fdt;
	int err;

	*m = (struct machine){ .bootargs = "" };
	err = fdt_open(&fdt, dtb, max_size);
	if (!err)
		err = machine_fill(m, &fdt);
	if (err)
		*m = (struct machine){ .bootargs = "" };
	return err;
}

bool machine_bootarg(const struct machine *m, const char *key, char *buf,
		     size_t bufsize)
{
	const char *p = m->bootargs ? m->bootargs : "";
	const char *word, *val = NULL;
	size_t klen, wlen, vlen = 0, i;

	if (bufsize == 0)
		return false;
	buf[0] = 0;
	for (klen = 0; key[klen]; klen++)
		;
	if (klen == 0)
		return false;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		word = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		wlen = (size_t)(p - word);
		if (wlen < klen || (wlen > klen && word[klen] != '='))
			continue;
		for (i = 0; i < klen && word[i] == key[i]; i++)
			;
		if (i < klen)
			continue;
		val = wlen > klen ? word + klen + 1 : word + klen;
		vlen = wlen > klen ? wlen - klen - 1 : 0;
	}
	if (!val || vlen >= bufsize)
		return false;
	for (i = 0; i < vlen; i++)
		buf[i] = val[i];
	buf[vlen] = 0;
	return true;
}
