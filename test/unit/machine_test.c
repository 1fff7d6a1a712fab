/*
 * machine_test.c - host tests for lib/machine.c.
 *
 * Synthetic trees from fdt_builder check each rule of machine_probe (what
 * counts as memory, a hart, a device; what is too much), and the real QEMU
 * virt tree checks the board as QEMU really builds it. The real trees come from the
 * files named by MICA_VIRT_DTB and MICA_VIRT_DTB_ARGS, which the Makefile
 * dumps with QEMU; without them the tests fail (cr_assert_fail, Criterion
 * 2.4's public cr_fail) rather than skip.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "fdt_builder.h"
#include "machine.h"

#define MiB (1024ull * 1024)

/* ---- building blocks for synthetic trees ---- */

static void begin_root(struct fdtb *b)
{
	fdtb_init(b);
	fdtb_begin_node(b, "");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_str(b, "compatible", "riscv-virtio");
}

static void reg64(struct fdtb *b, uint64_t base, uint64_t size)
{
	fdtb_prop_cells(b, "reg", 4, (uint32_t)(base >> 32), (uint32_t)base,
			(uint32_t)(size >> 32), (uint32_t)size);
}

static void memory(struct fdtb *b, uint64_t base, uint64_t size)
{
	char name[32];

	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)base);
	fdtb_begin_node(b, name);
	fdtb_prop_str(b, "device_type", "memory");
	reg64(b, base, size);
	fdtb_end_node(b);
}

/* A hart; status NULL leaves the property out. */
static void cpu(struct fdtb *b, unsigned id, const char *status)
{
	char name[32];

	snprintf(name, sizeof(name), "cpu@%u", id);
	fdtb_begin_node(b, name);
	fdtb_prop_str(b, "device_type", "cpu");
	fdtb_prop_u32(b, "reg", id);
	if (status)
		fdtb_prop_str(b, "status", status);
	fdtb_begin_node(b, "interrupt-controller");
	fdtb_prop_str(b, "compatible", "riscv,cpu-intc");
	fdtb_end_node(b);
	fdtb_end_node(b);
}

static void cpus(struct fdtb *b, unsigned n)
{
	unsigned i;

	fdtb_begin_node(b, "cpus");
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 0);
	fdtb_prop_u32(b, "timebase-frequency", 10000000);
	for (i = 0; i < n; i++)
		cpu(b, i, "okay");
	fdtb_end_node(b);
}

/* A device node at 'base'; irq 0 leaves out "interrupts", status NULL
 * leaves out "status". Leaves the node open for more properties. */
static void device_begin(struct fdtb *b, const char *kind, const char *compat,
			 uint64_t base, uint64_t size, uint32_t irq,
			 const char *status)
{
	char name[64];

	snprintf(name, sizeof(name), "%s@%llx", kind, (unsigned long long)base);
	fdtb_begin_node(b, name);
	fdtb_prop_str(b, "compatible", compat);
	reg64(b, base, size);
	if (irq)
		fdtb_prop_u32(b, "interrupts", irq);
	if (status)
		fdtb_prop_str(b, "status", status);
}

static void device(struct fdtb *b, const char *kind, const char *compat,
		   uint64_t base, uint64_t size, uint32_t irq)
{
	device_begin(b, kind, compat, base, size, irq, NULL);
	fdtb_end_node(b);
}

static void soc_begin(struct fdtb *b)
{
	fdtb_begin_node(b, "soc");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_str(b, "compatible", "simple-bus");
	fdtb_prop_empty(b, "ranges");
}

/* Closes the root, lays out the blob and probes it. */
static int finish_probe(struct fdtb *b, struct machine *m)
{
	fdtb_end_node(b);
	fdtb_finish(b);
	return machine_probe(m, b->blob, b->blob_len);
}

/* The smallest tree machine_probe accepts: RAM and one hart. */
static void minimal(struct fdtb *b)
{
	begin_root(b);
	memory(b, 0x80000000, 128 * MiB);
	cpus(b, 1);
}

static void assert_zeroed(const struct machine *m)
{
	cr_assert_eq(m->nmem, 0);
	cr_assert_eq(m->nreserved, 0);
	cr_assert_eq(m->nharts, 0);
	cr_assert_eq(m->nvirtio, 0);
	cr_assert_not(m->uart.present);
	cr_assert_not(m->plic.present);
	cr_assert_str_eq(m->bootargs, "");
}

/* ---- synthetic trees ---- */

Test(machine, minimal_tree)
{
	struct fdtb b;
	struct machine m;

	minimal(&b);
	cr_assert_eq(finish_probe(&b, &m), ERR_OK);
	cr_assert_eq(m.nmem, 1);
	cr_assert_eq(m.mem[0].base, 0x80000000);
	cr_assert_eq(m.mem[0].size, 128 * MiB);
	cr_assert_eq(m.nharts, 1);
	cr_assert_eq(m.timebase_hz, 10000000);
	cr_assert_eq(m.nreserved, 0);
	cr_assert_not(m.uart.present);
	cr_assert_not(m.plic.present);
	cr_assert_eq(m.nvirtio, 0);
	cr_assert_str_eq(m.bootargs, "");
	cr_assert_eq(m.dtb_size, b.blob_len);
	fdtb_free(&b);
}

Test(machine, full_tree)
{
	struct fdtb b;
	struct machine m;
	static const char plic_compat[] = "sifive,plic-1.0.0\0riscv,plic0";
	unsigned i;

	begin_root(&b);
	fdtb_rsv(&b, 0x87e00000, 0x200000);
	fdtb_begin_node(&b, "chosen");
	fdtb_prop_str(&b, "bootargs", "console=ttyS0 root=fs");
	fdtb_end_node(&b);
	memory(&b, 0x80000000, 64 * MiB);
	memory(&b, 0x100000000ull, 64 * MiB);
	fdtb_begin_node(&b, "reserved-memory");
	fdtb_prop_u32(&b, "#address-cells", 2);
	fdtb_prop_u32(&b, "#size-cells", 2);
	fdtb_prop_empty(&b, "ranges");
	fdtb_begin_node(&b, "mmode_resv0@80000000");
	reg64(&b, 0x80000000, 0x40000);
	fdtb_end_node(&b);
	fdtb_begin_node(&b, "dynamic");	/* no reg: allocated by size */
	fdtb_prop_cells(&b, "size", 2, 0, 0x1000);
	fdtb_end_node(&b);
	fdtb_end_node(&b);
	cpus(&b, 2);
	soc_begin(&b);
	/* Slots in reverse address order, as QEMU writes them. */
	for (i = 0; i < 4; i++)
		device(&b, "virtio_mmio", "virtio,mmio",
		       0x10004000 - 0x1000 * i, 0x1000, 4 - i);
	device(&b, "serial", "ns16550a", 0x10000000, 0x100, 10);
	fdtb_begin_node(&b, "plic@c000000");
	fdtb_prop(&b, "compatible", plic_compat, sizeof(plic_compat));
	reg64(&b, 0xc000000, 0x600000);
	fdtb_prop_u32(&b, "riscv,ndev", 96);
	fdtb_end_node(&b);
	fdtb_end_node(&b);
	cr_assert_eq(finish_probe(&b, &m), ERR_OK);

	cr_assert_eq(m.nmem, 2);
	cr_assert_eq(m.mem[1].base, 0x100000000ull);
	cr_assert_eq(m.nreserved, 2);
	cr_assert_eq(m.reserved[0].base, 0x87e00000);	/* header first */
	cr_assert_eq(m.reserved[0].size, 0x200000);
	cr_assert_eq(m.reserved[1].base, 0x80000000);
	cr_assert_eq(m.reserved[1].size, 0x40000);
	cr_assert_eq(m.nharts, 2);
	cr_assert(m.uart.present);
	cr_assert_eq(m.uart.base, 0x10000000);
	cr_assert_eq(m.uart.size, 0x100);
	cr_assert_eq(m.uart.irq, 10);
	cr_assert(m.plic.present);
	cr_assert_eq(m.plic.base, 0xc000000);
	cr_assert_eq(m.plic.size, 0x600000);
	cr_assert_eq(m.plic.ndev, 96);
	cr_assert_eq(m.plic.irq, 0);
	cr_assert_eq(m.nvirtio, 4);
	for (i = 0; i < 4; i++) {
		cr_assert(m.virtio[i].present);
		cr_assert_eq(m.virtio[i].base, 0x10001000 + 0x1000 * i);
		cr_assert_eq(m.virtio[i].irq, i + 1);
	}
	cr_assert_str_eq(m.bootargs, "console=ttyS0 root=fs");
	fdtb_free(&b);
}

Test(machine, corrupt_blob_is_bad_format)
{
	struct fdtb b;
	struct machine m;

	minimal(&b);
	fdtb_end_node(&b);
	fdtb_finish(&b);
	fdtb_set_hdr(&b, FDTB_MAGIC, 0);
	memset(&m, 0x55, sizeof(m));
	cr_assert_eq(machine_probe(&m, b.blob, b.blob_len), ERR_BAD_FORMAT);
	assert_zeroed(&m);
	cr_assert_eq(m.dtb_size, 0);
	fdtb_set_hdr(&b, FDTB_MAGIC, 0xd00dfeed);
	cr_assert_eq(machine_probe(&m, b.blob, b.blob_len - 1),
		     ERR_BAD_FORMAT);
	fdtb_free(&b);
}

Test(machine, needs_memory)
{
	struct fdtb b;
	struct machine m;

	begin_root(&b);
	cpus(&b, 1);
	fdtb_begin_node(&b, "memory@80000000");	/* no device_type */
	reg64(&b, 0x80000000, MiB);
	fdtb_end_node(&b);
	memory(&b, 0x90000000, 0);		/* empty: skipped */
	cr_assert_eq(finish_probe(&b, &m), ERR_NOT_FOUND);
	assert_zeroed(&m);
	fdtb_free(&b);
}

Test(machine, disabled_memory_is_ignored)
{
	struct fdtb b;
	struct machine m;

	minimal(&b);
	fdtb_begin_node(&b, "memory@90000000");
	fdtb_prop_str(&b, "device_type", "memory");
	reg64(&b, 0x90000000, MiB);
	fdtb_prop_str(&b, "status", "disabled");
	fdtb_end_node(&b);
	cr_assert_eq(finish_probe(&b, &m), ERR_OK);
	cr_assert_eq(m.nmem, 1);
	fdtb_free(&b);
}

Test(machine, needs_cpus)
{
	struct fdtb b;
	struct machine m;

	begin_root(&b);
	memory(&b, 0x80000000, MiB);
	cr_assert_eq(finish_probe(&b, &m), ERR_NOT_FOUND);
	fdtb_free(&b);
}

Test(machine, counts_only_available_harts)
{
	struct fdtb b;
	struct machine m;

	begin_root(&b);
	memory(&b, 0x80000000, MiB);
	fdtb_begin_node(&b, "cpus");
	fdtb_prop_u32(&b, "#address-cells", 1);
	fdtb_prop_u32(&b, "#size-cells", 0);
	cpu(&b, 0, "disabled");
	cpu(&b, 1, NULL);
	cpu(&b, 2, "okay");
	cpu(&b, 3, "ok");
	cpu(&b, 4, "fail");
	fdtb_begin_node(&b, "cpu-map");	/* not a cpu */
	fdtb_end_node(&b);
	fdtb_begin_node(&b, "cpu@5");	/* malformed status: not usable */
	fdtb_prop_str(&b, "device_type", "cpu");
	fdtb_prop(&b, "status", "okay", 4);
	fdtb_end_node(&b);
	fdtb_end_node(&b);
	cr_assert_eq(finish_probe(&b, &m), ERR_OK);
	cr_assert_eq(m.nharts, 3);
	cr_assert_eq(m.timebase_hz, 0);
	fdtb_free(&b);
}

Test(machine, no_available_hart)
{
	struct fdtb b;
	struct machine m;

	begin_root(&b);
	memory(&b, 0x80000000, MiB);
	fdtb_begin_node(&b, "cpus");
	cpu(&b, 0, "disabled");
	fdtb_end_node(&b);
	cr_assert_eq(finish_probe(&b, &m), ERR_NOT_FOUND);
	fdtb_free(&b);
}

Test(machine, timebase_from_cpu_node_and_64_bit)
{
	struct fdtb b;
	struct machine m;

	begin_root(&b);
	memory(&b, 0x80000000, MiB);
	fdtb_begin_node(&b, "cpus");
	fdtb_prop_u32(&b, "#address-cells", 1);
	fdtb_prop_u32(&b, "#size-cells", 0);
	fdtb_begin_node(&b, "cpu@0");
	fdtb_prop_str(&b, "device_type", "cpu");
	fdtb_prop_cells(&b, "timebase-frequency", 2, 1, 0);
	fdtb_end_node(&b);
	fdtb_end_node(&b);
	cr_assert_eq(finish_probe(&b, &m), ERR_OK);
	cr_assert_eq(m.timebase_hz, 0x100000000ull);
	fdtb_free(&b);
}

Test(machine, sixteen_ranges_fit_seventeen_do_not)
{
	struct fdtb b;
	struct machine m;
	unsigned i;

	minimal(&b);
	for (i = 1; i < MACHINE_MAX_RANGES; i++)
		memory(&b, 0x100000000ull * i, MiB);
	cr_assert_eq(finish_probe(&b, &m), ERR_OK);
	cr_assert_eq(m.nmem, MACHINE_MAX_RANGES);
	cr_assert_eq(m.mem[15].base, 0xf00000000ull);
	fdtb_free(&b);

	minimal(&b);
	for (i = 1; i <= MACHINE_MAX_RANGES; i++)
		memory(&b, 0x100000000ull * i, MiB);
	cr_assert_eq(finish_probe(&b, &m), ERR_RANGE);
	assert_zeroed(&m);
	fdtb_free(&b);
}

Test(machine, too_many_reservations)
{
	struct fdtb b;
	struct machine m;
	unsigned i;

	minimal(&b);
	for (i = 0; i < 10; i++)
		fdtb_rsv(&b, 0x80000000 + 0x1000 * i, 0x1000);
	fdtb_begin_node(&b, "reserved-memory");
	fdtb_prop_u32(&b, "#address-cells", 2);
	fdtb_prop_u32(&b, "#size-cells", 2);
	for (i = 0; i < 7; i++) {
		char name[16];

		snprintf(name, sizeof(name), "r%u", i);
		fdtb_begin_node(&b, name);
		reg64(&b, 0x88000000 + 0x1000 * i, 0x1000);
		fdtb_end_node(&b);
	}
	fdtb_end_node(&b);
	cr_assert_eq(finish_probe(&b, &m), ERR_RANGE);
	fdtb_free(&b);
}

Test(machine, wrapping_range)
{
	struct fdtb b;
	struct machine m;

	minimal(&b);
	memory(&b, 0xfffffffffffff000ull, 0x1000);	/* ends at 2^64: fine */
	cr_assert_eq(finish_probe(&b, &m), ERR_OK);
	cr_assert_eq(m.nmem, 2);
	fdtb_free(&b);

	minimal(&b);
	memory(&b, 0xfffffffffffff000ull, 0x1001);
	cr_assert_eq(finish_probe(&b, &m), ERR_RANGE);
	fdtb_free(&b);

	minimal(&b);
	fdtb_rsv(&b, 0xffffffffffffffffull, 2);
	cr_assert_eq(finish_probe(&b, &m), ERR_RANGE);
	fdtb_free(&b);
}

Test(machine, malformed_memory_reg)
{
	struct fdtb b;
	struct machine m;

	begin_root(&b);
	cpus(&b, 1);
	fdtb_begin_node(&b, "memory@0");
	fdtb_prop_str(&b, "device_type", "memory");
	fdtb_prop_cells(&b, "reg", 3, 0, 0x80000000, 0);
	fdtb_end_node(&b);
	cr_assert_eq(finish_probe(&b, &m), ERR_BAD_FORMAT);
	fdtb_free(&b);
}

Test(machine, too_many_virtio_slots)
{
	struct fdtb b;
	struct machine m;
	unsigned i;

	minimal(&b);
	soc_begin(&b);
	for (i = 0; i < MACHINE_MAX_VIRTIO; i++)
		device(&b, "virtio_mmio", "virtio,mmio",
		       0x10001000 + 0x1000 * i, 0x1000, i + 1);
	device_begin(&b, "virtio_mmio", "virtio,mmio", 0x10009000, 0x1000, 9,
		     "disabled");	/* does not count */
	fdtb_end_node(&b);
	fdtb_end_node(&b);
	cr_assert_eq(finish_probe(&b, &m), ERR_OK);
	cr_assert_eq(m.nvirtio, MACHINE_MAX_VIRTIO);
	fdtb_free(&b);

	minimal(&b);
	soc_begin(&b);
	for (i = 0; i <= MACHINE_MAX_VIRTIO; i++)
		device(&b, "virtio_mmio", "virtio,mmio",
		       0x10001000 + 0x1000 * i, 0x1000, i + 1);
	fdtb_end_node(&b);
	cr_assert_eq(finish_probe(&b, &m), ERR_RANGE);
	fdtb_free(&b);
}

Test(machine, uart_choice)
{
	struct fdtb b;
	struct machine m;

	/* The first available one wins; a disabled one is skipped. */
	minimal(&b);
	soc_begin(&b);
	device_begin(&b, "serial", "ns16550a", 0x10000100, 0x100, 11,
		     "disabled");
	fdtb_end_node(&b);
	device(&b, "serial", "ns16550", 0x10000000, 0x100, 10);
	device(&b, "serial", "ns16550a", 0x10000200, 0x100, 12);
	fdtb_end_node(&b);
	cr_assert_eq(finish_probe(&b, &m), ERR_OK);
	cr_assert_eq(m.uart.base, 0x10000000);
	cr_assert_eq(m.uart.irq, 10);
	fdtb_free(&b);

	minimal(&b);
	device(&b, "serial", "ns16550", 0x10000000, 0x100, 0);
	cr_assert_eq(finish_probe(&b, &m), ERR_OK);
	cr_assert(m.uart.present);
	cr_assert_eq(m.uart.base, 0x10000000);
	cr_assert_eq(m.uart.irq, 0);
	fdtb_free(&b);
}

Test(machine, malformed_devices)
{
	struct fdtb b;
	struct machine m;

	minimal(&b);			/* a UART without reg */
	fdtb_begin_node(&b, "serial");
	fdtb_prop_str(&b, "compatible", "ns16550a");
	fdtb_end_node(&b);
	cr_assert_eq(finish_probe(&b, &m), ERR_BAD_FORMAT);
	fdtb_free(&b);

	minimal(&b);			/* empty interrupts */
	device_begin(&b, "serial", "ns16550a", 0x10000000, 0x100, 0, NULL);
	fdtb_prop_empty(&b, "interrupts");
	fdtb_end_node(&b);
	cr_assert_eq(finish_probe(&b, &m), ERR_BAD_FORMAT);
	fdtb_free(&b);

	minimal(&b);			/* a PLIC without riscv,ndev */
	device(&b, "plic", "riscv,plic0", 0xc000000, 0x600000, 0);
	cr_assert_eq(finish_probe(&b, &m), ERR_BAD_FORMAT);
	fdtb_free(&b);

	minimal(&b);			/* virtio with 3 address cells */
	fdtb_begin_node(&b, "bus");
	fdtb_prop_u32(&b, "#address-cells", 3);
	fdtb_prop_u32(&b, "#size-cells", 2);
	fdtb_begin_node(&b, "virtio_mmio");
	fdtb_prop_str(&b, "compatible", "virtio,mmio");
	fdtb_prop_cells(&b, "reg", 5, 0, 0, 0x10001000, 0, 0x1000);
	fdtb_end_node(&b);
	fdtb_end_node(&b);
	cr_assert_eq(finish_probe(&b, &m), ERR_RANGE);
	fdtb_free(&b);
}

Test(machine, plic_sifive_only)
{
	struct fdtb b;
	struct machine m;

	minimal(&b);
	device_begin(&b, "plic", "sifive,plic-1.0.0", 0xc000000, 0x4000000, 0,
		     NULL);
	fdtb_prop_u32(&b, "riscv,ndev", 53);
	fdtb_end_node(&b);
	cr_assert_eq(finish_probe(&b, &m), ERR_OK);
	cr_assert(m.plic.present);
	cr_assert_eq(m.plic.ndev, 53);
	fdtb_free(&b);
}

Test(machine, bootargs_malformed_or_empty)
{
	struct fdtb b;
	struct machine m;

	minimal(&b);
	fdtb_begin_node(&b, "chosen");
	fdtb_prop(&b, "bootargs", "root=x", 6);
	fdtb_end_node(&b);
	cr_assert_eq(finish_probe(&b, &m), ERR_BAD_FORMAT);
	fdtb_free(&b);

	minimal(&b);
	fdtb_begin_node(&b, "chosen");
	fdtb_prop_empty(&b, "bootargs");
	fdtb_end_node(&b);
	cr_assert_eq(finish_probe(&b, &m), ERR_OK);
	cr_assert_str_eq(m.bootargs, "");
	fdtb_free(&b);
}

/* ---- machine_bootarg ---- */

static bool arg(const char *bootargs, const char *key, char *buf,
		size_t size)
{
	struct machine m = { .bootargs = bootargs };

	return machine_bootarg(&m, key, buf, size);
}

Test(machine_bootarg, finds_values)
{
	const char *args = "  root=hello\tx=1 quiet  eq=a=b  empty= x=2";
	char buf[16];

	cr_assert(arg(args, "root", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "hello");
	cr_assert(arg(args, "x", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "2");		/* the last one wins */
	cr_assert(arg(args, "quiet", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "");
	cr_assert(arg(args, "eq", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "a=b");
	cr_assert(arg(args, "empty", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "");
}

Test(machine_bootarg, misses)
{
	const char *args = "root=hello quiet";
	char buf[16] = "junk";

	cr_assert_not(arg(args, "roo", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "");
	cr_assert_not(arg(args, "rooth", buf, sizeof(buf)));
	cr_assert_not(arg(args, "hello", buf, sizeof(buf)));
	cr_assert_not(arg(args, "quie", buf, sizeof(buf)));
	cr_assert_not(arg(args, "", buf, sizeof(buf)));
	cr_assert_not(arg("", "root", buf, sizeof(buf)));
	cr_assert_not(arg(NULL, "root", buf, sizeof(buf)));
}

Test(machine_bootarg, truncation_is_an_error)
{
	char buf[6];

	cr_assert(arg("root=hello", "root", buf, 6));
	cr_assert_str_eq(buf, "hello");
	cr_assert_not(arg("root=hello!", "root", buf, 6));
	cr_assert_str_eq(buf, "");
	cr_assert_not(arg("root=", "root", buf, 0));
	cr_assert(arg("root=", "root", buf, 1));
}

/* ---- the real QEMU virt tree ---- */

/* Reads the file named by environment variable 'var' into a heap buffer of
 * exactly its size; fails the test if the variable or the file is missing. */
static uint8_t *read_env_file(const char *var, size_t *size)
{
	const char *path = getenv(var);
	uint8_t *buf;
	FILE *f;
	long n;

	if (!path || !*path)
		cr_assert_fail("%s is not set: it must name a device tree dumped by"
			" QEMU. make test sets it; by hand:\n"
			"  qemu-system-riscv64 -machine virt,dumpdtb=build/test/virt.dtb"
			" -m 128M -smp 2\n"
			"  qemu-system-riscv64 -machine virt,dumpdtb=build/test/virt-args.dtb"
			" -m 128M -smp 2 -kernel FILE -append \"root=hello x=1\"\n"
			"(FILE: any small file, QEMU takes -append only with -kernel),"
			" then run with MICA_VIRT_DTB=build/test/virt.dtb"
			" MICA_VIRT_DTB_ARGS=build/test/virt-args.dtb", var);
	if (!path || !*path)
		return NULL;
	f = fopen(path, "rb");
	cr_assert_not_null(f, "%s=%s cannot be opened", var, path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	cr_assert_gt(n, 0, "%s is empty", path);
	buf = malloc((size_t)n);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	return buf;
}

Test(machine_virt, qemu_virt_facts)
{
	struct machine m;
	size_t size = 0;
	uint8_t *dtb = read_env_file("MICA_VIRT_DTB", &size);
	unsigned i;

	if (!dtb)
		return;
	cr_assert_eq(machine_probe(&m, dtb, size), ERR_OK);
	cr_assert_eq(m.nmem, 1);
	cr_assert_eq(m.mem[0].base, 0x80000000);
	cr_assert_eq(m.mem[0].size, 128 * MiB);
	cr_assert_eq(m.nharts, 2);
	cr_assert_eq(m.timebase_hz, 10000000);
	cr_assert(m.uart.present);
	cr_assert_eq(m.uart.base, 0x10000000);
	cr_assert_eq(m.uart.size, 0x100);
	cr_assert_eq(m.uart.irq, 10);
	cr_assert(m.plic.present);
	cr_assert_eq(m.plic.base, 0xc000000);
	cr_assert_eq(m.plic.size, 0x600000);
	cr_assert_eq(m.plic.ndev, 96);	/* riscv,ndev = <0x60> in QEMU 7.2 */
	cr_assert_eq(m.nvirtio, 8);
	for (i = 0; i < 8; i++) {
		cr_assert_eq(m.virtio[i].base, 0x10001000 + 0x1000 * i);
		cr_assert_eq(m.virtio[i].size, 0x1000);
		cr_assert_eq(m.virtio[i].irq, i + 1);
	}
	/* OpenSBI adds /reserved-memory at run time; QEMU's tree has none. */
	cr_assert_eq(m.nreserved, 0);
	cr_assert_str_eq(m.bootargs, "");
	cr_assert_gt(m.dtb_size, 1000);
	cr_assert_leq(m.dtb_size, size);
	free(dtb);
}

Test(machine_virt, qemu_bootargs)
{
	struct machine m;
	size_t size = 0;
	uint8_t *dtb = read_env_file("MICA_VIRT_DTB_ARGS", &size);
	char buf[32];

	if (!dtb)
		return;
	cr_assert_eq(machine_probe(&m, dtb, size), ERR_OK);
	cr_assert_str_eq(m.bootargs, "root=hello x=1");
	cr_assert(machine_bootarg(&m, "root", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "hello");
	cr_assert(machine_bootarg(&m, "x", buf, sizeof(buf)));
	cr_assert_str_eq(buf, "1");
	cr_assert_not(machine_bootarg(&m, "y", buf, sizeof(buf)));
	cr_assert_not(machine_bootarg(&m, "root", buf, 5));
	free(dtb);
}

/* Every truncation and a spread of byte flips of the real tree: probing
 * must end with one of its documented results and never fault (run under
 * -fsanitize=address to catch stray reads). */
Test(machine_virt, qemu_tree_corrupted)
{
	size_t size = 0, len, pos;
	uint8_t *dtb = read_env_file("MICA_VIRT_DTB", &size), *mut;
	struct machine m;
	int err;

	if (!dtb)
		return;
	cr_assert_eq(machine_probe(&m, dtb, size), ERR_OK);
	size = m.dtb_size;
	for (len = 0; len <= size; len += (len < 64 || len > size - 64) ? 1 : 7) {
		mut = malloc(len ? len : 1);
		memcpy(mut, dtb, len);
		err = machine_probe(&m, mut, len);
		cr_assert_eq(err, len == size ? ERR_OK : ERR_BAD_FORMAT);
		free(mut);
	}
	mut = malloc(size);
	for (pos = 0; pos < size; pos += 3) {
		memcpy(mut, dtb, size);
		mut[pos] ^= (uint8_t)(0x5a + pos);
		err = machine_probe(&m, mut, size);
		cr_assert(err == ERR_OK || err == ERR_BAD_FORMAT ||
			  err == ERR_NOT_FOUND || err == ERR_RANGE,
			  "flip at %zu gave %s", pos, err_name(err));
		if (err == ERR_OK) {
			cr_assert_geq(m.nmem, 1);
			cr_assert_geq(m.nharts, 1);
			cr_assert_not_null(m.bootargs);
		} else {
			assert_zeroed(&m);
		}
	}
	free(mut);
	free(dtb);
}
