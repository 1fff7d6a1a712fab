/*
 * main.c - kmain(): the kernel's boot sequence, from the device tree to the
 * first user instruction.
 *
 * entry.S calls kmain() on the boot page table with the stack set up and
 * .bss cleared. kmain reads the machine from the device tree, builds the
 * kernel page table from boot memory, sets up traps, the PLIC and the timer,
 * makes the first user program (root, or the one named by the `root=` boot
 * argument) from the boot image and hands it the rest of memory
 * (boot_root), and enters it. Everything that goes wrong here is the
 * firmware's or the build's fault, so it panics with a reason.
 */
#include "arch.h"
#include "bootmem.h"
#include "clock.h"
#include "errors.h"
#include "irq.h"
#include "machine.h"
#include "printk.h"
#include "rootboot.h"
#include "thread.h"

#define MICA_VERSION   "0.1"
#define DTB_MAX_SIZE   (1ul << 20)

void kmain(uint64_t hartid, paddr_t dtb_pa) __attribute__((noreturn));

extern char _kernel_start[], _kernel_end[];

static struct machine boot_machine;
static struct bootmem boot_memory;

static paddr_t boot_alloc(struct page_source *self)
{
	(void)self;
	return bootmem_alloc_pages(&boot_memory, 1);
}

static struct page_source boot_pages = { .alloc = boot_alloc };

/* What the kernel itself uses of the machine. The devices it hands to root
 * (the UART, the virtio slots) are root's to report (boot_root). */
static void boot_print_machine(const struct machine *m, paddr_t dtb_pa)
{
	uint64_t ram = 0;
	unsigned i;

	for (i = 0; i < m->nmem; i++)
		ram += m->mem[i].size;
	kprintf("  RAM: %lu MiB", ram >> 20);
	for (i = 0; i < m->nmem; i++)
		kprintf(" [%p-%p]", (void *)m->mem[i].base,
			(void *)(m->mem[i].base + m->mem[i].size - 1));
	kprintf("\n  harts: %u, timebase %lu Hz\n", m->nharts, m->timebase_hz);
	for (i = 0; i < m->nreserved; i++)
		kprintf("  reserved: %p-%p\n", (void *)m->reserved[i].base,
			(void *)(m->reserved[i].base + m->reserved[i].size - 1));
	kprintf("  device tree: %p, %u bytes\n", (void *)dtb_pa, m->dtb_size);
	if (m->plic.present)
		kprintf("  plic: at %p, %u sources\n", (void *)m->plic.base, m->plic.ndev);
	kprintf("  bootargs: \"%s\"\n", m->bootargs);
}

/* Free memory = RAM - firmware reservations - everything below the end of
 * the kernel image - the device tree (which we still read). */
static void boot_memory_init(const struct machine *m, paddr_t dtb_pa)
{
	paddr_t kend = kva_to_pa(_kernel_end);
	unsigned i;
	int err = ERR_OK;

	for (i = 0; i < m->nmem && err == ERR_OK; i++)
		err = bootmem_add(&boot_memory, m->mem[i].base, m->mem[i].size);
	for (i = 0; i < m->nreserved && err == ERR_OK; i++)
		err = bootmem_remove(&boot_memory, m->reserved[i].base, m->reserved[i].size);
	if (err == ERR_OK)
		err = bootmem_remove(&boot_memory, 0, kend);
	if (err == ERR_OK)
		err = bootmem_remove(&boot_memory, dtb_pa, m->dtb_size);
	if (err != ERR_OK)
		panic("boot_memory_init: memory map too fragmented (%s)", err_name(err));
}

/* A deliberate kernel fault, for the test that proves kernel faults are
 * reported with a readable backtrace (boot argument crash=kernel). */
static void __attribute__((noinline)) boot_crash_test(void)
{
	uint64_t nowhere = 0x10;

	/* Hide the constant from gcc, which would reject a literal bad pointer. */
	__asm__ volatile("" : "+r"(nowhere));
	kprintf("mica: crash=kernel: reading address %p on purpose\n", (void *)nowhere);
	/* Use the value in a call, so the load stays inside the frame. */
	kprintf("mica: read %lx: the kernel did not fault!\n", *(volatile uint64_t *)nowhere);
}

void kmain(uint64_t hartid, paddr_t dtb_pa)
{
	struct machine *m = &boot_machine;
	char root_name[32], crash[16];
	int err;

	kprintf("\nMica %s (riscv64, Sv39) booting on hart %lu\n", MICA_VERSION, hartid);
	err = machine_probe(m, pa_to_kva(dtb_pa), DTB_MAX_SIZE);
	if (err != ERR_OK)
		panic("device tree at %p is unusable: %s", (void *)dtb_pa, err_name(err));
	boot_print_machine(m, dtb_pa);

	boot_memory_init(m, dtb_pa);
	arch_vm_init(m, &boot_pages);
	kprintf("mica: paging on (Sv39), kernel %p-%p W^X, %lu KiB of page tables\n",
		(void *)_kernel_start, (void *)_kernel_end, boot_memory.pages_allocated * 4);

	arch_cpu_init(m, hartid);
	clock_init(m->timebase_hz);

	if (machine_bootarg(m, "crash", crash, sizeof(crash)) && crash[0] == 'k')
		boot_crash_test();
	irq_init(m->plic.present ? m->plic.ndev : 0);
	boot_root(m, &boot_memory, &boot_pages,
		  machine_bootarg(m, "root", root_name, sizeof(root_name)) ? root_name : "root");
	sched_resume();
}
