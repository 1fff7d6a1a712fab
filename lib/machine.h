/*
 * machine.h - what the board is: RAM, reserved memory, harts, devices.
 *
 * machine_probe() fills a struct machine from the device tree once at boot;
 * everything after that reads the struct, never the tree. Nothing here knows
 * it is RISC-V beyond the compatible strings it looks for.
 * Rules: probe into a struct machine you own; whatever does not fit a fixed
 * array is an error, never dropped. bootargs points into the blob, so the
 * blob must stay mapped while it is used.
 */
#ifndef MICA_MACHINE_H
#define MICA_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MACHINE_MAX_RANGES	16
#define MACHINE_MAX_VIRTIO	8
#define MACHINE_FDT_MAX_DEPTH	32	/* nodes nested deeper make the blob invalid */

struct mem_range {
	uint64_t base, size;
};

/* One memory-mapped device: its first reg entry and first interrupt. */
struct machine_device {
	bool present;
	uint64_t base, size;
	uint32_t irq;		/* first cell of "interrupts", 0 if none */
	uint32_t ndev;		/* PLIC only: riscv,ndev (sources 1..ndev) */
};

struct machine {
	struct mem_range mem[MACHINE_MAX_RANGES];	/* every memory node's reg entries */
	unsigned nmem;
	struct mem_range reserved[MACHINE_MAX_RANGES];	/* header reservations, then /reserved-memory */
	unsigned nreserved;
	unsigned nharts;		/* available cpu nodes under /cpus */
	uint64_t timebase_hz;		/* timebase-frequency, 0 if absent */
	struct machine_device uart;	/* "ns16550a" or "ns16550" */
	struct machine_device plic;	/* "riscv,plic0" or "sifive,plic-1.0.0" */
	struct machine_device virtio[MACHINE_MAX_VIRTIO];	/* "virtio,mmio", by address */
	unsigned nvirtio;
	const char *bootargs;		/* /chosen bootargs, "" if absent; in the blob */
	uint32_t dtb_size;		/* the blob's totalsize */
};

/*
 * machine_probe reads the device tree at 'dtb' (at most 'max_size' bytes may
 * be read) into *m. Memory is every reg entry of the root's children with
 * device_type "memory" (size-0 entries skipped); harts are /cpus children with
 * device_type "cpu" that are available (status absent, "okay" or "ok").
 * Each single device is the first available node, in tree order, with one
 * of its compatible names; virtio slots are all of them.
 * Returns ERR_OK; ERR_BAD_FORMAT for a corrupt blob, a device node without a
 * usable reg or a PLIC without riscv,ndev; ERR_NOT_FOUND if there is no
 * memory or no hart;
 * ERR_RANGE if a range wraps past 2^64, its cells do not fit 64 bits, or more
 * entries exist than an array holds; the first of these the walk meets. A
 * blob is corrupt (machine.c checks each) if its header, a block's bounds,
 * the reservation block's (0, 0) end, any token, the nesting (one root,
 * balanced, at most MACHINE_FDT_MAX_DEPTH deep, properties before children,
 * END at the end) or a #address-cells/#size-cells that is not one cell is
 * wrong. On failure *m is all zero (bootargs ""),
 * so a caller cannot use half a description by mistake.
 */
int machine_probe(struct machine *m, const void *dtb, size_t max_size);

/*
 * machine_bootarg looks 'key' up in the boot arguments: words separated by
 * spaces or tabs, each "key=value" or a bare "key" (value ""). The last
 * occurrence wins, as later arguments override earlier ones. Copies the value
 * with its nul into buf and returns true; returns false if the key is absent,
 * empty, or the value does not fit bufsize (then buf is left as "" if it has
 * room for that).
 */
bool machine_bootarg(const struct machine *m, const char *key, char *buf,
		     size_t bufsize);

#endif /* MICA_MACHINE_H */
