/*
 * fdt_test.c - host tests for lib/fdt.c.
 *
 * Trees come from fdt_builder: a well-formed sample that exercises every
 * reader, then one corruption per test, each asserting the exact result.
 * The fuzz tests flip bytes and truncate the sample inside exactly-sized heap
 * buffers, so under -fsanitize=address any read past the blob fails the run.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "fdt.h"
#include "fdt_builder.h"

static const char plic_compat[] = "sifive,plic-1.0.0\0riscv,plic0";

/* The sample tree, with NOPs in awkward places:
 * / { #address-cells=2 #size-cells=2 compatible="riscv-virtio"
 *   cpus { #address-cells=1 #size-cells=0 timebase-frequency=10000000
 *     cpu@0 { device_type="cpu" reg=<0> }  cpu@1 { device_type="cpu" reg=<1> } }
 *   memory@80000000 { device_type="memory" reg=<0 0x80000000 0 0x8000000> }
 *   soc { #address-cells=2 #size-cells=2 compatible="simple-bus" ranges;
 *     serial@10000000 { compatible="ns16550a" reg=<...> interrupts=<10> }
 *     plic@c000000 { compatible=plic_compat riscv,ndev=<96> }
 *     odd { reg=<1 2 3 4 5> } } } */
static void sample(struct fdtb *b)
{
	fdtb_init(b);
	fdtb_rsv(b, 0x80000000, 0x40000);
	fdtb_rsv(b, 0x1122334455667788ull, 0x10);
	fdtb_nop(b);
	fdtb_begin_node(b, "");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_nop(b);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_str(b, "compatible", "riscv-virtio");
	fdtb_begin_node(b, "cpus");
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 0);
	fdtb_prop_u32(b, "timebase-frequency", 10000000);
	fdtb_begin_node(b, "cpu@0");
	fdtb_prop_str(b, "device_type", "cpu");
	fdtb_prop_u32(b, "reg", 0);
	fdtb_end_node(b);
	fdtb_nop(b);
	fdtb_begin_node(b, "cpu@1");
	fdtb_prop_str(b, "device_type", "cpu");
	fdtb_prop_u32(b, "reg", 1);
	fdtb_end_node(b);
	fdtb_end_node(b);
	fdtb_begin_node(b, "memory@80000000");
	fdtb_prop_str(b, "device_type", "memory");
	fdtb_prop_cells(b, "reg", 4, 0, 0x80000000, 0, 0x8000000);
	fdtb_end_node(b);
	fdtb_begin_node(b, "soc");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_str(b, "compatible", "simple-bus");
	fdtb_prop_empty(b, "ranges");
	fdtb_begin_node(b, "serial@10000000");
	fdtb_prop_str(b, "compatible", "ns16550a");
	fdtb_prop_cells(b, "reg", 4, 0, 0x10000000, 0, 0x100);
	fdtb_prop_u32(b, "interrupts", 10);
	fdtb_end_node(b);
	fdtb_begin_node(b, "plic@c000000");
	fdtb_prop(b, "compatible", plic_compat, sizeof(plic_compat));
	fdtb_prop_u32(b, "riscv,ndev", 96);
	fdtb_prop(b, "unterminated", "abc", 3);
	fdtb_prop(b, "list-unterminated", "ab\0cd", 5);
	fdtb_prop_cells(b, "pair", 2, 0x11223344, 0x55667788);
	fdtb_prop_cells(b, "triple", 3, 1, 2, 3);
	fdtb_end_node(b);
	fdtb_begin_node(b, "odd");
	fdtb_prop_cells(b, "reg", 5, 1, 2, 3, 4, 5);
	fdtb_end_node(b);
	fdtb_nop(b);
	fdtb_end_node(b);
	fdtb_end_node(b);
	fdtb_nop(b);
	fdtb_finish(b);
}

static int open_blob(struct fdtb *b, struct fdt *f)
{
	return fdt_open(f, b->blob, b->blob_len);
}

static int open_sample(struct fdtb *b, struct fdt *f)
{
	sample(b);
	return open_blob(b, f);
}

/* ---- well-formed trees ---- */

Test(fdt, opens_sample)
{
	struct fdtb b;
	struct fdt f;

	cr_assert_eq(open_sample(&b, &f), ERR_OK);
	cr_assert_eq(fdt_total_size(&f), b.blob_len);
	cr_assert_str_eq(fdt_name(&f, fdt_root(&f)), "");
	fdtb_free(&b);
}

Test(fdt, accepts_buffer_larger_than_blob)
{
	struct fdtb b;
	struct fdt f;
	uint8_t *big;

	sample(&b);
	big = calloc(1, b.blob_len + 4096);
	memcpy(big, b.blob, b.blob_len);
	cr_assert_eq(fdt_open(&f, big, b.blob_len + 4096), ERR_OK);
	cr_assert_eq(fdt_total_size(&f), b.blob_len);
	free(big);
	fdtb_free(&b);
}

Test(fdt, walks_children_and_siblings)
{
	struct fdtb b;
	struct fdt f;
	int root, cpus, mem, soc, serial;

	cr_assert_eq(open_sample(&b, &f), ERR_OK);
	root = fdt_root(&f);
	cpus = fdt_first_child(&f, root);
	cr_assert_str_eq(fdt_name(&f, cpus), "cpus");
	mem = fdt_next_sibling(&f, cpus);
	cr_assert_str_eq(fdt_name(&f, mem), "memory@80000000");
	soc = fdt_next_sibling(&f, mem);
	cr_assert_str_eq(fdt_name(&f, soc), "soc");
	cr_assert_eq(fdt_next_sibling(&f, soc), -1);
	cr_assert_eq(fdt_next_sibling(&f, root), -1);
	cr_assert_eq(fdt_first_child(&f, mem), -1);
	cr_assert_str_eq(fdt_name(&f, fdt_next_sibling(&f,
		fdt_first_child(&f, cpus))), "cpu@1");
	serial = fdt_first_child(&f, soc);
	cr_assert_str_eq(fdt_name(&f, serial), "serial@10000000");
	cr_assert_eq(fdt_parent(&f, serial), soc);
	cr_assert_eq(fdt_parent(&f, soc), root);
	cr_assert_eq(fdt_parent(&f, cpus), root);
	cr_assert_eq(fdt_parent(&f, root), -1);
	fdtb_free(&b);
}

Test(fdt, rejects_offsets_that_are_not_nodes)
{
	struct fdtb b;
	struct fdt f;
	int root;

	cr_assert_eq(open_sample(&b, &f), ERR_OK);
	root = fdt_root(&f);
	cr_assert_eq(fdt_first_child(&f, -1), -1);
	cr_assert_eq(fdt_next_sibling(&f, -5), -1);
	cr_assert_eq(fdt_parent(&f, -1), -1);
	cr_assert_null(fdt_name(&f, root + 1));		/* misaligned */
	cr_assert_null(fdt_name(&f, root + 8));		/* a PROP token */
	cr_assert_null(fdt_name(&f, 1 << 30));		/* past the block */
	cr_assert_null(fdt_prop(&f, 1 << 30, "reg", NULL));
	cr_assert_eq(fdt_first_child(&f, root + 8), -1);
	cr_assert_eq(fdt_next_compatible(&f, root + 8, "ns16550a"), -1);
	cr_assert_eq(fdt_reg(&f, 1 << 30, 0, NULL, NULL), ERR_NOT_FOUND);
	fdtb_free(&b);
}

Test(fdt, finds_paths)
{
	struct fdtb b;
	struct fdt f;
	int soc;

	cr_assert_eq(open_sample(&b, &f), ERR_OK);
	soc = fdt_path(&f, "/soc");
	cr_assert_str_eq(fdt_name(&f, soc), "soc");
	cr_assert_eq(fdt_path(&f, "/"), fdt_root(&f));
	cr_assert_str_eq(fdt_name(&f, fdt_path(&f, "/cpus/cpu@1")), "cpu@1");
	cr_assert_str_eq(fdt_name(&f, fdt_path(&f, "/cpus/cpu")), "cpu@0");
	cr_assert_str_eq(fdt_name(&f, fdt_path(&f, "/memory")),
			 "memory@80000000");
	cr_assert_str_eq(fdt_name(&f, fdt_path(&f, "/soc/serial@10000000")),
			 "serial@10000000");
	cr_assert_eq(fdt_path(&f, "/soc/serial"), fdt_path(&f,
		     "/soc/serial@10000000"));
	cr_assert_eq(fdt_path(&f, "//soc//"), soc);
	cr_assert_eq(fdt_path(&f, "/soc/serial@1000000"), -1);
	cr_assert_eq(fdt_path(&f, "/soc/serial@100000000"), -1);
	cr_assert_eq(fdt_path(&f, "/cpu"), -1);
	cr_assert_eq(fdt_path(&f, "/cpuss"), -1);
	cr_assert_eq(fdt_path(&f, "/nope"), -1);
	cr_assert_eq(fdt_path(&f, "/soc/serial@10000000/x"), -1);
	cr_assert_eq(fdt_path(&f, "soc"), -1);
	cr_assert_eq(fdt_path(&f, ""), -1);
	cr_assert_eq(fdt_path(&f, NULL), -1);
	fdtb_free(&b);
}

Test(fdt, finds_compatible_in_depth_first_order)
{
	struct fdtb b;
	struct fdt f;
	int n;

	cr_assert_eq(open_sample(&b, &f), ERR_OK);
	cr_assert_eq(fdt_next_compatible(&f, -1, "riscv-virtio"), fdt_root(&f));
	n = fdt_next_compatible(&f, -1, "ns16550a");
	cr_assert_str_eq(fdt_name(&f, n), "serial@10000000");
	cr_assert_eq(fdt_next_compatible(&f, n, "ns16550a"), -1);
	n = fdt_next_compatible(&f, -1, "riscv,plic0");
	cr_assert_str_eq(fdt_name(&f, n), "plic@c000000");
	cr_assert_eq(fdt_next_compatible(&f, -1, "sifive,plic-1.0.0"), n);
	cr_assert_eq(fdt_next_compatible(&f, -1, "riscv,plic"), -1);
	cr_assert_eq(fdt_next_compatible(&f, -1, "simple"), -1);
	cr_assert_eq(fdt_next_compatible(&f, -1, "none"), -1);
	fdtb_free(&b);
}

Test(fdt, reads_properties)
{
	struct fdtb b;
	struct fdt f;
	int plic, soc;
	uint32_t len = 99, v = 7;
	uint64_t v64 = 7;

	cr_assert_eq(open_sample(&b, &f), ERR_OK);
	plic = fdt_path(&f, "/soc/plic");
	soc = fdt_path(&f, "/soc");
	cr_assert(fdt_prop_u32(&f, plic, "riscv,ndev", &v));
	cr_assert_eq(v, 96);
	cr_assert_not(fdt_prop_u32(&f, plic, "pair", &v));
	cr_assert_not(fdt_prop_u32(&f, plic, "missing", &v));
	cr_assert_eq(v, 96);
	cr_assert(fdt_prop_u64(&f, plic, "pair", &v64));
	cr_assert_eq(v64, 0x1122334455667788ull);
	cr_assert(fdt_prop_u64(&f, plic, "riscv,ndev", &v64));
	cr_assert_eq(v64, 96);
	cr_assert_not(fdt_prop_u64(&f, plic, "triple", &v64));
	cr_assert(fdt_prop_cell(&f, plic, "triple", 2, &v));
	cr_assert_eq(v, 3);
	cr_assert_not(fdt_prop_cell(&f, plic, "triple", 3, &v));
	cr_assert_not(fdt_prop_cell(&f, plic, "triple", 0xffffffffu, &v));
	cr_assert_not(fdt_prop_cell(&f, plic, "unterminated", 0, &v));

	cr_assert_not_null(fdt_prop(&f, soc, "ranges", &len));
	cr_assert_eq(len, 0);
	cr_assert_null(fdt_prop(&f, soc, "rang", NULL));
	cr_assert_null(fdt_prop(&f, soc, "rangesx", NULL));
	cr_assert_null(fdt_prop(&f, soc, "riscv,ndev", NULL)); /* child's */

	cr_assert_str_eq(fdt_prop_string(&f, soc, "compatible"), "simple-bus");
	cr_assert_str_eq(fdt_prop_string(&f, plic, "compatible"),
			 "sifive,plic-1.0.0");
	cr_assert_null(fdt_prop_string(&f, plic, "unterminated"));
	cr_assert_null(fdt_prop_string(&f, soc, "ranges"));
	cr_assert_null(fdt_prop_string(&f, soc, "missing"));

	cr_assert(fdt_prop_contains(&f, plic, "compatible", "riscv,plic0"));
	cr_assert_not(fdt_prop_contains(&f, plic, "compatible", "riscv"));
	cr_assert_not(fdt_prop_contains(&f, plic, "compatible",
					"riscv,plic0x"));
	cr_assert(fdt_prop_contains(&f, plic, "list-unterminated", "ab"));
	cr_assert_not(fdt_prop_contains(&f, plic, "list-unterminated", "cd"));
	cr_assert_not(fdt_prop_contains(&f, plic, "unterminated", "abc"));
	cr_assert_not(fdt_prop_contains(&f, soc, "ranges", ""));
	fdtb_free(&b);
}

Test(fdt, decodes_reg_with_parent_cells)
{
	struct fdtb b;
	struct fdt f;
	uint64_t addr = 1, size = 1;

	cr_assert_eq(open_sample(&b, &f), ERR_OK);
	cr_assert_eq(fdt_reg(&f, fdt_path(&f, "/memory"), 0, &addr, &size),
		     ERR_OK);
	cr_assert_eq(addr, 0x80000000);
	cr_assert_eq(size, 0x8000000);
	cr_assert_eq(fdt_reg(&f, fdt_path(&f, "/memory"), 1, &addr, &size),
		     ERR_NOT_FOUND);
	cr_assert_eq(fdt_reg(&f, fdt_path(&f, "/cpus/cpu@1"), 0, &addr, &size),
		     ERR_OK);
	cr_assert_eq(addr, 1);
	cr_assert_eq(size, 0);
	cr_assert_eq(fdt_reg(&f, fdt_path(&f, "/soc/serial"), 0, &addr, NULL),
		     ERR_OK);
	cr_assert_eq(addr, 0x10000000);
	cr_assert_eq(fdt_reg(&f, fdt_path(&f, "/soc/odd"), 0, NULL, NULL),
		     ERR_BAD_FORMAT);
	cr_assert_eq(fdt_reg(&f, fdt_path(&f, "/soc/plic"), 0, NULL, NULL),
		     ERR_NOT_FOUND);
	fdtb_free(&b);
}

/* A root with the given cell properties (UINT32_MAX: leave it out) and one
 * child "dev" whose reg has 'n' cells 1, 2, 3, ... */
static void cells_tree(struct fdtb *b, uint32_t ac, uint32_t sc, unsigned n)
{
	uint32_t cells[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, be[8];
	unsigned i;

	for (i = 0; i < n; i++)
		be[i] = __builtin_bswap32(cells[i]);
	fdtb_init(b);
	fdtb_begin_node(b, "");
	if (ac != UINT32_MAX)
		fdtb_prop_u32(b, "#address-cells", ac);
	if (sc != UINT32_MAX)
		fdtb_prop_u32(b, "#size-cells", sc);
	fdtb_begin_node(b, "dev");
	fdtb_prop(b, "reg", be, 4 * n);
	fdtb_end_node(b);
	fdtb_end_node(b);
	fdtb_finish(b);
}

static int reg_of(uint32_t ac, uint32_t sc, unsigned n, unsigned index,
		  uint64_t *addr, uint64_t *size)
{
	struct fdtb b;
	struct fdt f;
	int err;

	cells_tree(&b, ac, sc, n);
	cr_assert_eq(open_blob(&b, &f), ERR_OK);
	err = fdt_reg(&f, fdt_path(&f, "/dev"), index, addr, size);
	fdtb_free(&b);
	return err;
}

Test(fdt, reg_cell_counts)
{
	uint64_t a = 0, s = 0;

	/* Defaults are 2 address cells and 1 size cell. */
	cr_assert_eq(reg_of(UINT32_MAX, UINT32_MAX, 6, 1, &a, &s), ERR_OK);
	cr_assert_eq(a, 0x0000000400000005ull);
	cr_assert_eq(s, 6);
	cr_assert_eq(reg_of(UINT32_MAX, UINT32_MAX, 6, 2, &a, &s),
		     ERR_NOT_FOUND);
	cr_assert_eq(reg_of(1, 1, 4, 1, &a, &s), ERR_OK);
	cr_assert_eq(a, 3);
	cr_assert_eq(s, 4);
	cr_assert_eq(reg_of(1, 2, 3, 0, &a, &s), ERR_OK);
	cr_assert_eq(s, 0x0000000200000003ull);
	cr_assert_eq(reg_of(3, 2, 5, 0, &a, &s), ERR_RANGE);
	cr_assert_eq(reg_of(0, 1, 1, 0, &a, &s), ERR_RANGE);
	cr_assert_eq(reg_of(1, 3, 4, 0, &a, &s), ERR_RANGE);
	cr_assert_eq(reg_of(0x80000000u, 0x80000000u, 2, 0, &a, &s),
		     ERR_RANGE);
	cr_assert_eq(reg_of(2, 2, 3, 0, &a, &s), ERR_BAD_FORMAT);
	cr_assert_eq(reg_of(2, 2, 0, 0, &a, &s), ERR_NOT_FOUND);
}

Test(fdt, reg_rejects_malformed_cell_property)
{
	struct fdtb b;
	struct fdt f;

	fdtb_init(&b);
	fdtb_begin_node(&b, "");
	fdtb_prop_cells(&b, "#address-cells", 2, 0, 1);
	fdtb_begin_node(&b, "dev");
	fdtb_prop_cells(&b, "reg", 3, 1, 2, 3);
	fdtb_end_node(&b);
	fdtb_end_node(&b);
	fdtb_finish(&b);
	cr_assert_eq(open_blob(&b, &f), ERR_OK);
	cr_assert_eq(fdt_reg(&f, fdt_path(&f, "/dev"), 0, NULL, NULL),
		     ERR_BAD_FORMAT);
	fdtb_free(&b);
}

Test(fdt, reads_reservation_block)
{
	struct fdtb b;
	struct fdt f;
	uint64_t a, s;

	cr_assert_eq(open_sample(&b, &f), ERR_OK);
	cr_assert_eq(fdt_rsvmap_count(&f), 2);
	cr_assert_eq(fdt_rsvmap_entry(&f, 0, &a, &s), ERR_OK);
	cr_assert_eq(a, 0x80000000);
	cr_assert_eq(s, 0x40000);
	cr_assert_eq(fdt_rsvmap_entry(&f, 1, &a, &s), ERR_OK);
	cr_assert_eq(a, 0x1122334455667788ull);
	cr_assert_eq(s, 0x10);
	cr_assert_eq(fdt_rsvmap_entry(&f, 2, &a, &s), ERR_NOT_FOUND);
	fdtb_free(&b);
}

Test(fdt, minimal_tree)
{
	struct fdtb b;
	struct fdt f;

	fdtb_init(&b);
	fdtb_begin_node(&b, "");
	fdtb_end_node(&b);
	fdtb_finish(&b);
	cr_assert_eq(open_blob(&b, &f), ERR_OK);
	cr_assert_eq(fdt_rsvmap_count(&f), 0);
	cr_assert_eq(fdt_first_child(&f, fdt_root(&f)), -1);
	cr_assert_null(fdt_prop(&f, fdt_root(&f), "x", NULL));
	cr_assert_eq(fdt_next_compatible(&f, -1, ""), -1);
	fdtb_free(&b);
}

/* A chain of 'depth' nested nodes. */
static int open_nested(unsigned depth)
{
	struct fdtb b;
	struct fdt f;
	unsigned i;
	int err;

	fdtb_init(&b);
	fdtb_begin_node(&b, "");
	for (i = 1; i < depth; i++)
		fdtb_begin_node(&b, "n");
	for (i = 0; i < depth; i++)
		fdtb_end_node(&b);
	fdtb_finish(&b);
	err = open_blob(&b, &f);
	if (err == ERR_OK && depth > 1) {
		char path[2 * FDT_MAX_DEPTH + 1] = "";
		int deepest;

		for (i = 1; i < depth; i++)
			strcat(path, "/n");
		deepest = fdt_path(&f, path);
		cr_assert_geq(deepest, 0);
		cr_assert_eq(fdt_first_child(&f, deepest), -1);
		cr_assert_geq(fdt_parent(&f, deepest), 0);
	}
	fdtb_free(&b);
	return err;
}

Test(fdt, nesting_limit)
{
	cr_assert_eq(open_nested(FDT_MAX_DEPTH), ERR_OK);
	cr_assert_eq(open_nested(FDT_MAX_DEPTH + 1), ERR_BAD_FORMAT);
	cr_assert_eq(open_nested(100000), ERR_BAD_FORMAT);
}

/* ---- corrupt headers ---- */

static int open_sample_with(enum fdtb_hdr field, uint32_t v)
{
	struct fdtb b;
	struct fdt f;
	int err;

	sample(&b);
	fdtb_set_hdr(&b, field, v);
	err = open_blob(&b, &f);
	fdtb_free(&b);
	return err;
}

Test(fdt_header, null_and_short)
{
	struct fdtb b;
	struct fdt f;

	sample(&b);
	cr_assert_eq(fdt_open(&f, NULL, 100), ERR_INVALID_ARGUMENT);
	cr_assert_eq(fdt_open(&f, b.blob, 0), ERR_BAD_FORMAT);
	cr_assert_eq(fdt_open(&f, b.blob, 39), ERR_BAD_FORMAT);
	fdtb_free(&b);
}

Test(fdt_header, bad_magic)
{
	cr_assert_eq(open_sample_with(FDTB_MAGIC, 0xedfe0dd0), ERR_BAD_FORMAT);
}

Test(fdt_header, totalsize_larger_than_buffer)
{
	struct fdtb b;
	struct fdt f;

	sample(&b);
	cr_assert_eq(fdt_open(&f, b.blob, b.blob_len - 1), ERR_BAD_FORMAT);
	fdtb_set_hdr(&b, FDTB_TOTALSIZE, b.blob_len + 1);
	cr_assert_eq(open_blob(&b, &f), ERR_BAD_FORMAT);
	fdtb_set_hdr(&b, FDTB_TOTALSIZE, 0xffffffff);
	cr_assert_eq(fdt_open(&f, b.blob, SIZE_MAX), ERR_BAD_FORMAT);
	fdtb_free(&b);
}

Test(fdt_header, totalsize_too_small)
{
	cr_assert_eq(open_sample_with(FDTB_TOTALSIZE, 39), ERR_BAD_FORMAT);
	cr_assert_eq(open_sample_with(FDTB_TOTALSIZE, 0), ERR_BAD_FORMAT);
	/* Shorter than its blocks: the strings block now ends past it. */
	cr_assert_eq(open_sample_with(FDTB_TOTALSIZE, 100), ERR_BAD_FORMAT);
}

Test(fdt_header, versions)
{
	cr_assert_eq(open_sample_with(FDTB_VERSION, 16), ERR_BAD_FORMAT);
	cr_assert_eq(open_sample_with(FDTB_VERSION, 18), ERR_OK);
	cr_assert_eq(open_sample_with(FDTB_LAST_COMP, 17), ERR_OK);
	cr_assert_eq(open_sample_with(FDTB_LAST_COMP, 18), ERR_BAD_FORMAT);
}

Test(fdt_header, struct_block_out_of_bounds)
{
	cr_assert_eq(open_sample_with(FDTB_OFF_STRUCT, 0xfffffff0),
		     ERR_BAD_FORMAT);
	cr_assert_eq(open_sample_with(FDTB_OFF_STRUCT, 0), ERR_BAD_FORMAT);
	cr_assert_eq(open_sample_with(FDTB_SIZE_STRUCT, 0x7ffffffc),
		     ERR_BAD_FORMAT);
	cr_assert_eq(open_sample_with(FDTB_SIZE_STRUCT, 0xfffffffc),
		     ERR_BAD_FORMAT);
}

Test(fdt_header, struct_block_misaligned)
{
	struct fdtb b;
	struct fdt f;

	sample(&b);
	fdtb_set_hdr(&b, FDTB_OFF_STRUCT, fdtb_get_hdr(&b, FDTB_OFF_STRUCT) + 2);
	fdtb_set_hdr(&b, FDTB_SIZE_STRUCT, 8);
	cr_assert_eq(open_blob(&b, &f), ERR_BAD_FORMAT);
	fdtb_free(&b);
	sample(&b);
	fdtb_set_hdr(&b, FDTB_SIZE_STRUCT,
		     fdtb_get_hdr(&b, FDTB_SIZE_STRUCT) - 2);
	cr_assert_eq(open_blob(&b, &f), ERR_BAD_FORMAT);
	fdtb_free(&b);
}

Test(fdt_header, empty_struct_block)
{
	cr_assert_eq(open_sample_with(FDTB_SIZE_STRUCT, 0), ERR_BAD_FORMAT);
}

Test(fdt_header, strings_block_out_of_bounds)
{
	cr_assert_eq(open_sample_with(FDTB_OFF_STRINGS, 0xffffff00),
		     ERR_BAD_FORMAT);
	cr_assert_eq(open_sample_with(FDTB_OFF_STRINGS, 8), ERR_BAD_FORMAT);
	cr_assert_eq(open_sample_with(FDTB_SIZE_STRINGS, 0xffffffff),
		     ERR_BAD_FORMAT);
}

Test(fdt_header, strings_block_unterminated)
{
	struct fdtb b;
	struct fdt f;

	sample(&b);
	fdtb_set_hdr(&b, FDTB_SIZE_STRINGS,
		     fdtb_get_hdr(&b, FDTB_SIZE_STRINGS) - 1);
	cr_assert_eq(open_blob(&b, &f), ERR_BAD_FORMAT);
	fdtb_free(&b);
}

Test(fdt_header, rsvmap_misplaced)
{
	struct fdtb b;
	struct fdt f;

	cr_assert_eq(open_sample_with(FDTB_OFF_RSVMAP, 44), ERR_BAD_FORMAT);
	cr_assert_eq(open_sample_with(FDTB_OFF_RSVMAP, 0), ERR_BAD_FORMAT);
	cr_assert_eq(open_sample_with(FDTB_OFF_RSVMAP, 0xfffffff8),
		     ERR_BAD_FORMAT);
	/* No room left for the (0, 0) terminator. */
	sample(&b);
	fdtb_set_hdr(&b, FDTB_OFF_RSVMAP, (b.blob_len - 8) & ~7u);
	cr_assert_eq(open_blob(&b, &f), ERR_BAD_FORMAT);
	fdtb_free(&b);
}

Test(fdt_header, rsvmap_without_terminator)
{
	struct fdtb b;
	struct fdt f;
	uint8_t *big;

	/* Reservation block as the only content after the header, all
	 * entries non-zero up to the end of the blob. */
	big = malloc(40 + 64);
	memset(big, 0xff, 40 + 64);
	sample(&b);
	memcpy(big, b.blob, 40);
	fdtb_free(&b);
	fdtb_init(&b);
	b.blob = big;
	b.blob_len = 40 + 64;
	fdtb_set_hdr(&b, FDTB_TOTALSIZE, 40 + 64);
	fdtb_set_hdr(&b, FDTB_OFF_RSVMAP, 40);
	fdtb_set_hdr(&b, FDTB_OFF_STRUCT, 40);
	fdtb_set_hdr(&b, FDTB_SIZE_STRUCT, 0);
	fdtb_set_hdr(&b, FDTB_OFF_STRINGS, 40);
	fdtb_set_hdr(&b, FDTB_SIZE_STRINGS, 0);
	cr_assert_eq(open_blob(&b, &f), ERR_BAD_FORMAT);
	fdtb_free(&b);
}

/* ---- corrupt structure blocks ---- */

/* Opens a tree whose tokens were emitted by 'emit' and laid out with or
 * without the closing FDT_END. */
static int open_emitted(void (*emit)(struct fdtb *), bool end)
{
	struct fdtb b;
	struct fdt f;
	int err;

	fdtb_init(&b);
	emit(&b);
	if (end)
		fdtb_finish(&b);
	else
		fdtb_layout(&b);
	err = open_blob(&b, &f);
	fdtb_free(&b);
	return err;
}

static void emit_root(struct fdtb *b)
{
	fdtb_begin_node(b, "");
	fdtb_prop_u32(b, "x", 1);
	fdtb_end_node(b);
}

static void emit_bad_token(struct fdtb *b)
{
	fdtb_begin_node(b, "");
	fdtb_u32(b, 0x12345678);
	fdtb_end_node(b);
}

static void emit_token_zero(struct fdtb *b)
{
	fdtb_begin_node(b, "");
	fdtb_u32(b, 0);
	fdtb_end_node(b);
}

static void emit_prop_len_past_block(struct fdtb *b)
{
	fdtb_begin_node(b, "");
	fdtb_prop_raw(b, 0x100, fdtb_string(b, "x"), "abcd", 4);
	fdtb_end_node(b);
}

static void emit_prop_len_huge(struct fdtb *b)
{
	fdtb_begin_node(b, "");
	fdtb_prop_raw(b, 0xfffffff8, fdtb_string(b, "x"), "abcd", 4);
	fdtb_end_node(b);
}

/* off 8 + 12 + len wraps to 0: a parser adding without checking would go
 * back to the root forever. */
static void emit_prop_len_wraps(struct fdtb *b)
{
	fdtb_begin_node(b, "");
	fdtb_prop_raw(b, 0xffffffec, fdtb_string(b, "x"), "abcd", 4);
	fdtb_end_node(b);
}

static void emit_prop_header_truncated(struct fdtb *b)
{
	fdtb_begin_node(b, "");
	fdtb_u32(b, 3);
	fdtb_u32(b, 0);
}

static void emit_nameoff_past_strings(struct fdtb *b)
{
	fdtb_begin_node(b, "");
	fdtb_prop_raw(b, 0, fdtb_string(b, "x") + 2, NULL, 0);
	fdtb_end_node(b);
}

static void emit_nameoff_huge(struct fdtb *b)
{
	fdtb_begin_node(b, "");
	fdtb_prop_raw(b, 0, 0xffffffff, NULL, 0);
	fdtb_end_node(b);
}

static void emit_name_unterminated(struct fdtb *b)
{
	fdtb_begin_node(b, "");
	fdtb_u32(b, 1);
	fdtb_bytes(b, "abcdefgh", 8);
}

static void emit_truncated(struct fdtb *b)
{
	fdtb_begin_node(b, "");
	fdtb_begin_node(b, "a");
	fdtb_prop_u32(b, "x", 1);
}

static void emit_extra_end_node(struct fdtb *b)
{
	emit_root(b);
	fdtb_end_node(b);
}

static void emit_missing_end_node(struct fdtb *b)
{
	fdtb_begin_node(b, "");
	fdtb_begin_node(b, "a");
	fdtb_end_node(b);
}

static void emit_two_roots(struct fdtb *b)
{
	emit_root(b);
	emit_root(b);
}

static void emit_prop_before_root(struct fdtb *b)
{
	fdtb_prop_u32(b, "x", 1);
	emit_root(b);
}

static void emit_prop_after_root(struct fdtb *b)
{
	emit_root(b);
	fdtb_prop_u32(b, "x", 1);
}

static void emit_prop_after_child(struct fdtb *b)
{
	fdtb_begin_node(b, "");
	fdtb_begin_node(b, "a");
	fdtb_end_node(b);
	fdtb_prop_u32(b, "x", 1);
	fdtb_end_node(b);
}

static void emit_end_first(struct fdtb *b)
{
	(void)b;
}

static void emit_end_node_first(struct fdtb *b)
{
	fdtb_end_node(b);
	emit_root(b);
}

static void emit_end_inside_node(struct fdtb *b)
{
	fdtb_begin_node(b, "");
	fdtb_u32(b, 9);
	fdtb_end_node(b);
}

static void emit_nops_only(struct fdtb *b)
{
	fdtb_nop(b);
	fdtb_nop(b);
}

Test(fdt_struct, reference_tree_is_valid)
{
	cr_assert_eq(open_emitted(emit_root, true), ERR_OK);
}

Test(fdt_struct, unknown_tokens)
{
	cr_assert_eq(open_emitted(emit_bad_token, true), ERR_BAD_FORMAT);
	cr_assert_eq(open_emitted(emit_token_zero, true), ERR_BAD_FORMAT);
}

Test(fdt_struct, property_length_past_block)
{
	cr_assert_eq(open_emitted(emit_prop_len_past_block, true),
		     ERR_BAD_FORMAT);
	cr_assert_eq(open_emitted(emit_prop_len_huge, true), ERR_BAD_FORMAT);
	cr_assert_eq(open_emitted(emit_prop_len_wraps, true), ERR_BAD_FORMAT);
	cr_assert_eq(open_emitted(emit_prop_header_truncated, false),
		     ERR_BAD_FORMAT);
}

Test(fdt_struct, name_offset_out_of_strings_block)
{
	cr_assert_eq(open_emitted(emit_nameoff_past_strings, true),
		     ERR_BAD_FORMAT);
	cr_assert_eq(open_emitted(emit_nameoff_huge, true), ERR_BAD_FORMAT);
}

Test(fdt_struct, node_name_unterminated)
{
	cr_assert_eq(open_emitted(emit_name_unterminated, false),
		     ERR_BAD_FORMAT);
}

Test(fdt_struct, truncated_token_stream)
{
	cr_assert_eq(open_emitted(emit_truncated, false), ERR_BAD_FORMAT);
	cr_assert_eq(open_emitted(emit_truncated, true), ERR_BAD_FORMAT);
}

Test(fdt_struct, missing_end)
{
	cr_assert_eq(open_emitted(emit_root, false), ERR_BAD_FORMAT);
	cr_assert_eq(open_emitted(emit_nops_only, false), ERR_BAD_FORMAT);
	cr_assert_eq(open_emitted(emit_nops_only, true), ERR_BAD_FORMAT);
	cr_assert_eq(open_emitted(emit_end_first, true), ERR_BAD_FORMAT);
}

Test(fdt_struct, unbalanced_nodes)
{
	cr_assert_eq(open_emitted(emit_extra_end_node, true), ERR_BAD_FORMAT);
	cr_assert_eq(open_emitted(emit_missing_end_node, true),
		     ERR_BAD_FORMAT);
	cr_assert_eq(open_emitted(emit_end_node_first, true), ERR_BAD_FORMAT);
	cr_assert_eq(open_emitted(emit_end_inside_node, true), ERR_BAD_FORMAT);
	cr_assert_eq(open_emitted(emit_two_roots, true), ERR_BAD_FORMAT);
}

Test(fdt_struct, misplaced_properties)
{
	cr_assert_eq(open_emitted(emit_prop_before_root, true),
		     ERR_BAD_FORMAT);
	cr_assert_eq(open_emitted(emit_prop_after_root, true), ERR_BAD_FORMAT);
	cr_assert_eq(open_emitted(emit_prop_after_child, true),
		     ERR_BAD_FORMAT);
}

Test(fdt_struct, size_cut_before_end)
{
	struct fdtb b;
	struct fdt f;

	sample(&b);
	fdtb_set_hdr(&b, FDTB_SIZE_STRUCT,
		     fdtb_get_hdr(&b, FDTB_SIZE_STRUCT) - 8);
	cr_assert_eq(open_blob(&b, &f), ERR_BAD_FORMAT);
	fdtb_free(&b);
}

/* ---- fuzzing: every accepted blob must be walkable without faults ---- */

static unsigned walk(const struct fdt *f, int node, unsigned depth)
{
	static const char *const names[] = {
		"compatible", "reg", "#address-cells", "riscv,ndev", "x",
	};
	unsigned n = 1, i;
	uint32_t len, v;
	uint64_t a, s;
	int child;

	cr_assert_leq(depth, FDT_MAX_DEPTH);
	cr_assert_not_null(fdt_name(f, node));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const uint8_t *p = fdt_prop(f, node, names[i], &len);

		if (p && len)	/* touch both ends of the value */
			cr_assert_geq(p[0] + p[len - 1], 0);
		fdt_prop_u32(f, node, names[i], &v);
		fdt_prop_string(f, node, names[i]);
		fdt_prop_contains(f, node, names[i], "ns16550a");
	}
	fdt_reg(f, node, 0, &a, &s);
	for (child = fdt_first_child(f, node); child >= 0;
	     child = fdt_next_sibling(f, child)) {
		cr_assert_eq(fdt_parent(f, child), node);
		n += walk(f, child, depth + 1);
	}
	return n;
}

static void fuzz_one(const uint8_t *src, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct fdt f;
	unsigned i;
	uint64_t a, s;
	int err, n;

	memcpy(copy, src, len);
	err = fdt_open(&f, copy, len);
	cr_assert(err == ERR_OK || err == ERR_BAD_FORMAT);
	if (err == ERR_OK) {
		cr_assert_leq(fdt_total_size(&f), len);
		walk(&f, fdt_root(&f), 1);
		for (n = fdt_next_compatible(&f, -1, "ns16550a"); n >= 0;
		     n = fdt_next_compatible(&f, n, "ns16550a"))
			;
		fdt_path(&f, "/soc/serial");
		for (i = 0; i < fdt_rsvmap_count(&f); i++)
			cr_assert_eq(fdt_rsvmap_entry(&f, i, &a, &s), ERR_OK);
	}
	free(copy);
}

Test(fdt_fuzz, sample_walk_counts_nodes)
{
	struct fdtb b;
	struct fdt f;

	cr_assert_eq(open_sample(&b, &f), ERR_OK);
	cr_assert_eq(walk(&f, fdt_root(&f), 1), 9);
	fdtb_free(&b);
}

Test(fdt_fuzz, every_truncation)
{
	struct fdtb b;
	size_t len;

	sample(&b);
	for (len = 0; len <= b.blob_len; len++)
		fuzz_one(b.blob, len);
	fdtb_free(&b);
}

Test(fdt_fuzz, every_byte_flipped)
{
	static const uint8_t values[] = { 0x00, 0xff, 0x01, 0x02, 0x03, 0x09,
					  0x80, 0x7f };
	struct fdtb b;
	uint8_t *mut;
	size_t pos, k;

	sample(&b);
	mut = malloc(b.blob_len);
	for (pos = 0; pos < b.blob_len; pos++) {
		for (k = 0; k < sizeof(values); k++) {
			memcpy(mut, b.blob, b.blob_len);
			mut[pos] = values[k];
			fuzz_one(mut, b.blob_len);
			mut[pos] = b.blob[pos] ^ 0x40;
			fuzz_one(mut, b.blob_len);
		}
	}
	free(mut);
	fdtb_free(&b);
}

Test(fdt_fuzz, random_words)
{
	struct fdtb b;
	uint8_t *mut;
	unsigned i, j, seed = 12345;

	sample(&b);
	mut = malloc(b.blob_len);
	for (i = 0; i < 20000; i++) {
		memcpy(mut, b.blob, b.blob_len);
		for (j = 0; j < 3; j++) {
			size_t pos;

			seed = seed * 1103515245u + 12345u;
			pos = (seed >> 8) % (b.blob_len - 3) & ~(size_t)3;
			seed = seed * 1103515245u + 12345u;
			mut[pos + 3] = seed >> 16;
			mut[pos + 2] = seed >> 24;
		}
		fuzz_one(mut, b.blob_len);
	}
	free(mut);
	fdtb_free(&b);
}
