/*
 * fdt_test.c - host tests for the device-tree reading in lib/machine.c:
 * the format rules machine_probe() checks (header, blocks, tokens,
 * nesting) and the cell arithmetic of "reg".
 *
 * Trees come from fdt_builder: a well-formed sample machine with NOPs in
 * awkward places, then one corruption per test, each asserting the exact
 * result. The fuzz tests flip bytes and truncate the sample inside
 * exactly-sized heap buffers, so under -fsanitize=address any read past
 * the blob fails the run. machine_test.c tests which nodes count.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "fdt_builder.h"
#include "machine.h"

static const char plic_compat[] = "sifive,plic-1.0.0\0riscv,plic0";

/* The sample tree:
 * / { #address-cells=2 #size-cells=2 compatible="riscv-virtio"
 *   cpus { #address-cells=1 #size-cells=0 timebase-frequency=10000000
 *     cpu@0 { device_type="cpu" reg=<0> }  cpu@1 { device_type="cpu" reg=<1> } }
 *   memory@80000000 { device_type="memory" reg=<0 0x80000000 0 0x8000000> }
 *   soc { #address-cells=2 #size-cells=2 compatible="simple-bus" ranges;
 *     serial@10000000 { compatible="ns16550a" reg=<...> interrupts=<10> }
 *     plic@c000000 { compatible=plic_compat reg=<...> riscv,ndev=<96> ... }
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
	fdtb_prop_cells(b, "reg", 4, 0, 0xc000000, 0, 0x600000);
	fdtb_prop_u32(b, "riscv,ndev", 96);
	fdtb_prop(b, "unterminated", "abc", 3);
	fdtb_prop(b, "list-unterminated", "ab\0cd", 5);
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

static int open_blob(struct fdtb *b, struct machine *m)
{
	return machine_probe(m, b->blob, b->blob_len);
}

/* ---- well-formed trees ---- */

Test(fdt, reads_sample)
{
	struct fdtb b;
	struct machine m;

	sample(&b);
	cr_assert_eq(open_blob(&b, &m), ERR_OK);
	cr_assert_eq(m.dtb_size, b.blob_len);
	cr_assert_eq(m.nharts, 2);
	cr_assert_eq(m.timebase_hz, 10000000);
	cr_assert_eq(m.nmem, 1);
	cr_assert_eq(m.mem[0].base, 0x80000000);
	cr_assert_eq(m.mem[0].size, 0x8000000);
	cr_assert_eq(m.nreserved, 2, "the header's reservation block");
	cr_assert_eq(m.reserved[0].base, 0x80000000);
	cr_assert_eq(m.reserved[0].size, 0x40000);
	cr_assert_eq(m.reserved[1].base, 0x1122334455667788ull);
	cr_assert_eq(m.reserved[1].size, 0x10);
	cr_assert_eq(m.uart.base, 0x10000000);
	cr_assert_eq(m.uart.irq, 10);
	cr_assert_eq(m.plic.base, 0xc000000, "found in the middle of its compatible list");
	cr_assert_eq(m.plic.ndev, 96);
	fdtb_free(&b);
}

Test(fdt, accepts_buffer_larger_than_blob)
{
	struct fdtb b;
	struct machine m;
	uint8_t *big;

	sample(&b);
	big = calloc(1, b.blob_len + 4096);
	memcpy(big, b.blob, b.blob_len);
	cr_assert_eq(machine_probe(&m, big, b.blob_len + 4096), ERR_OK);
	cr_assert_eq(m.dtb_size, b.blob_len);
	free(big);
	fdtb_free(&b);
}

/* A root with the given cell properties (UINT32_MAX: leave it out), a hart,
 * and a memory node whose reg has 'n' cells 1, 2, 3, ... */
static int cells_tree(uint32_t ac, uint32_t sc, unsigned n, struct machine *m)
{
	uint32_t cells[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, be[8];
	struct fdtb b;
	unsigned i;
	int err;

	for (i = 0; i < n; i++)
		be[i] = __builtin_bswap32(cells[i]);
	fdtb_init(&b);
	fdtb_begin_node(&b, "");
	if (ac != UINT32_MAX)
		fdtb_prop_u32(&b, "#address-cells", ac);
	if (sc != UINT32_MAX)
		fdtb_prop_u32(&b, "#size-cells", sc);
	fdtb_begin_node(&b, "cpus");
	fdtb_begin_node(&b, "cpu@0");
	fdtb_prop_str(&b, "device_type", "cpu");
	fdtb_end_node(&b);
	fdtb_end_node(&b);
	fdtb_begin_node(&b, "memory");
	fdtb_prop_str(&b, "device_type", "memory");
	fdtb_prop(&b, "reg", be, 4 * n);
	fdtb_end_node(&b);
	fdtb_end_node(&b);
	fdtb_finish(&b);
	err = open_blob(&b, m);
	fdtb_free(&b);
	return err;
}

Test(fdt, reg_cell_counts)
{
	struct machine m;

	/* Defaults are 2 address cells and 1 size cell. */
	cr_assert_eq(cells_tree(UINT32_MAX, UINT32_MAX, 6, &m), ERR_OK);
	cr_assert_eq(m.nmem, 2);
	cr_assert_eq(m.mem[1].base, 0x0000000400000005ull);
	cr_assert_eq(m.mem[1].size, 6);
	cr_assert_eq(cells_tree(1, 1, 4, &m), ERR_OK);
	cr_assert_eq(m.mem[1].base, 3);
	cr_assert_eq(m.mem[1].size, 4);
	cr_assert_eq(cells_tree(1, 2, 3, &m), ERR_OK);
	cr_assert_eq(m.mem[0].size, 0x0000000200000003ull);
	cr_assert_eq(cells_tree(3, 2, 5, &m), ERR_RANGE);
	cr_assert_eq(cells_tree(0, 1, 1, &m), ERR_RANGE);
	cr_assert_eq(cells_tree(1, 3, 4, &m), ERR_RANGE);
	cr_assert_eq(cells_tree(0x80000000u, 0x80000000u, 2, &m), ERR_RANGE);
	cr_assert_eq(cells_tree(2, 2, 3, &m), ERR_BAD_FORMAT);
	cr_assert_eq(cells_tree(2, 2, 0, &m), ERR_NOT_FOUND, "no RAM at all");
}

Test(fdt, rejects_malformed_cell_property)
{
	struct fdtb b;
	struct machine m;

	fdtb_init(&b);
	fdtb_begin_node(&b, "");
	fdtb_prop_cells(&b, "#address-cells", 2, 0, 1);
	fdtb_end_node(&b);
	fdtb_finish(&b);
	cr_assert_eq(open_blob(&b, &m), ERR_BAD_FORMAT);
	fdtb_free(&b);
}

Test(fdt, well_formed_but_no_machine)
{
	struct fdtb b;
	struct machine m;

	fdtb_init(&b);
	fdtb_begin_node(&b, "");
	fdtb_end_node(&b);
	fdtb_finish(&b);
	cr_assert_eq(open_blob(&b, &m), ERR_NOT_FOUND);
	fdtb_free(&b);
}

/* A machine with one extra node whose compatible is the raw bytes given. */
static int with_compatible(const char *compat, uint32_t len, struct machine *m)
{
	struct fdtb b;
	int err;

	fdtb_init(&b);
	fdtb_begin_node(&b, "");
	fdtb_begin_node(&b, "memory");
	fdtb_prop_str(&b, "device_type", "memory");
	fdtb_prop_cells(&b, "reg", 3, 0, 0x80000000, 0x1000);
	fdtb_end_node(&b);
	fdtb_begin_node(&b, "cpus");
	fdtb_begin_node(&b, "cpu@0");
	fdtb_prop_str(&b, "device_type", "cpu");
	fdtb_end_node(&b);
	fdtb_end_node(&b);
	fdtb_begin_node(&b, "serial");
	fdtb_prop(&b, "compatible", compat, len);
	fdtb_prop_cells(&b, "reg", 3, 0, 0x10000000, 0x100);
	fdtb_end_node(&b);
	fdtb_end_node(&b);
	fdtb_finish(&b);
	err = open_blob(&b, m);
	fdtb_free(&b);
	return err;
}

/* A compatible list matches only a whole, nul-terminated entry. */
Test(fdt, compatible_lists)
{
	struct machine m;

	cr_assert_eq(with_compatible("ns16550a", 9, &m), ERR_OK);
	cr_assert(m.uart.present);
	cr_assert_eq(with_compatible("acme,uart\0ns16550a", 19, &m), ERR_OK);
	cr_assert(m.uart.present, "the second entry");
	cr_assert_eq(with_compatible("ns16550a", 8, &m), ERR_OK);
	cr_assert_not(m.uart.present, "unterminated");
	cr_assert_eq(with_compatible("ns16550ab", 10, &m), ERR_OK);
	cr_assert_not(m.uart.present, "a longer name");
	cr_assert_eq(with_compatible("xns16550a", 10, &m), ERR_OK);
	cr_assert_not(m.uart.present, "a name that ends the same");
	cr_assert_eq(with_compatible("", 0, &m), ERR_OK);
	cr_assert_not(m.uart.present, "empty");
}

/* A chain of 'depth' nested nodes: well-formed (so ERR_NOT_FOUND: no RAM)
 * up to the limit, corrupt past it. */
static int open_nested(unsigned depth)
{
	struct fdtb b;
	struct machine m;
	unsigned i;
	int err;

	fdtb_init(&b);
	fdtb_begin_node(&b, "");
	for (i = 1; i < depth; i++)
		fdtb_begin_node(&b, "n");
	for (i = 0; i < depth; i++)
		fdtb_end_node(&b);
	fdtb_finish(&b);
	err = open_blob(&b, &m);
	fdtb_free(&b);
	return err;
}

Test(fdt, nesting_limit)
{
	cr_assert_eq(open_nested(MACHINE_FDT_MAX_DEPTH), ERR_NOT_FOUND);
	cr_assert_eq(open_nested(MACHINE_FDT_MAX_DEPTH + 1), ERR_BAD_FORMAT);
	cr_assert_eq(open_nested(100000), ERR_BAD_FORMAT);
}

/* ---- corrupt headers ---- */

static int open_sample_with(enum fdtb_hdr field, uint32_t v)
{
	struct fdtb b;
	struct machine m;
	int err;

	sample(&b);
	fdtb_set_hdr(&b, field, v);
	err = open_blob(&b, &m);
	fdtb_free(&b);
	return err;
}

Test(fdt_header, null_and_short)
{
	struct fdtb b;
	struct machine m;

	sample(&b);
	cr_assert_eq(machine_probe(&m, NULL, 100), ERR_BAD_FORMAT);
	cr_assert_eq(machine_probe(&m, b.blob, 0), ERR_BAD_FORMAT);
	cr_assert_eq(machine_probe(&m, b.blob, 39), ERR_BAD_FORMAT);
	fdtb_free(&b);
}

Test(fdt_header, bad_magic)
{
	cr_assert_eq(open_sample_with(FDTB_MAGIC, 0xedfe0dd0), ERR_BAD_FORMAT);
}

Test(fdt_header, totalsize_larger_than_buffer)
{
	struct fdtb b;
	struct machine m;

	sample(&b);
	cr_assert_eq(machine_probe(&m, b.blob, b.blob_len - 1), ERR_BAD_FORMAT);
	fdtb_set_hdr(&b, FDTB_TOTALSIZE, b.blob_len + 1);
	cr_assert_eq(open_blob(&b, &m), ERR_BAD_FORMAT);
	fdtb_set_hdr(&b, FDTB_TOTALSIZE, 0xffffffff);
	cr_assert_eq(machine_probe(&m, b.blob, SIZE_MAX), ERR_BAD_FORMAT);
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
	struct machine m;

	sample(&b);
	fdtb_set_hdr(&b, FDTB_OFF_STRUCT, fdtb_get_hdr(&b, FDTB_OFF_STRUCT) + 2);
	fdtb_set_hdr(&b, FDTB_SIZE_STRUCT, 8);
	cr_assert_eq(open_blob(&b, &m), ERR_BAD_FORMAT);
	fdtb_free(&b);
	sample(&b);
	fdtb_set_hdr(&b, FDTB_SIZE_STRUCT,
		     fdtb_get_hdr(&b, FDTB_SIZE_STRUCT) - 2);
	cr_assert_eq(open_blob(&b, &m), ERR_BAD_FORMAT);
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
	struct machine m;

	sample(&b);
	fdtb_set_hdr(&b, FDTB_SIZE_STRINGS,
		     fdtb_get_hdr(&b, FDTB_SIZE_STRINGS) - 1);
	cr_assert_eq(open_blob(&b, &m), ERR_BAD_FORMAT);
	fdtb_free(&b);
}

Test(fdt_header, rsvmap_misplaced)
{
	struct fdtb b;
	struct machine m;

	cr_assert_eq(open_sample_with(FDTB_OFF_RSVMAP, 44), ERR_BAD_FORMAT);
	cr_assert_eq(open_sample_with(FDTB_OFF_RSVMAP, 0), ERR_BAD_FORMAT);
	cr_assert_eq(open_sample_with(FDTB_OFF_RSVMAP, 0xfffffff8),
		     ERR_BAD_FORMAT);
	/* No room left for the (0, 0) terminator. */
	sample(&b);
	fdtb_set_hdr(&b, FDTB_OFF_RSVMAP, (b.blob_len - 8) & ~7u);
	cr_assert_eq(open_blob(&b, &m), ERR_BAD_FORMAT);
	fdtb_free(&b);
}

Test(fdt_header, rsvmap_without_terminator)
{
	struct fdtb b;
	struct machine m;
	uint8_t *big;

	/* Reservation block as the only content after the header, all
	 * entries non-zero (and valid ranges) up to the end of the blob. */
	big = malloc(40 + 64);
	memset(big, 0x01, 40 + 64);
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
	cr_assert_eq(open_blob(&b, &m), ERR_BAD_FORMAT);
	fdtb_free(&b);
}

/* ---- corrupt structure blocks ---- */

/* Opens a tree whose tokens were emitted by 'emit' and laid out with or
 * without the closing FDT_END. */
static int open_emitted(void (*emit)(struct fdtb *), bool end)
{
	struct fdtb b;
	struct machine m;
	int err;

	fdtb_init(&b);
	emit(&b);
	if (end)
		fdtb_finish(&b);
	else
		fdtb_layout(&b);
	err = open_blob(&b, &m);
	fdtb_free(&b);
	return err;
}

/* The smallest machine: a root with RAM and a hart. */
static void emit_root(struct fdtb *b)
{
	fdtb_begin_node(b, "");
	fdtb_prop_u32(b, "x", 1);
	fdtb_begin_node(b, "memory");
	fdtb_prop_str(b, "device_type", "memory");
	fdtb_prop_cells(b, "reg", 3, 0, 0x80000000, 0x1000);
	fdtb_end_node(b);
	fdtb_begin_node(b, "cpus");
	fdtb_begin_node(b, "cpu@0");
	fdtb_prop_str(b, "device_type", "cpu");
	fdtb_end_node(b);
	fdtb_end_node(b);
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
	struct machine m;

	sample(&b);
	fdtb_set_hdr(&b, FDTB_SIZE_STRUCT,
		     fdtb_get_hdr(&b, FDTB_SIZE_STRUCT) - 8);
	cr_assert_eq(open_blob(&b, &m), ERR_BAD_FORMAT);
	fdtb_free(&b);
}

/* ---- fuzzing: every blob ends in a documented result, never a fault ---- */

static void fuzz_one(const uint8_t *src, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct machine m;
	int err;

	memcpy(copy, src, len);
	err = machine_probe(&m, copy, len);
	cr_assert(err == ERR_OK || err == ERR_BAD_FORMAT || err == ERR_NOT_FOUND ||
		  err == ERR_RANGE, "got %s", err_name(err));
	if (err == ERR_OK) {
		cr_assert_leq(m.dtb_size, len);
		cr_assert_geq(m.nmem, 1);
		cr_assert_geq(m.nharts, 1);
		cr_assert_not_null(m.bootargs);
	} else {
		cr_assert_eq(m.nmem + m.nharts + m.nreserved + m.nvirtio + m.dtb_size, 0);
	}
	free(copy);
}

Test(fdt_fuzz, every_truncation_is_bad_format)
{
	struct fdtb b;
	struct machine m;
	size_t len;

	sample(&b);
	for (len = 0; len < b.blob_len; len++) {
		uint8_t *copy = malloc(len ? len : 1);

		memcpy(copy, b.blob, len);
		cr_assert_eq(machine_probe(&m, copy, len), ERR_BAD_FORMAT, "cut at %zu", len);
		free(copy);
	}
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
