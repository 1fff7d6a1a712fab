/*
 * root.c - the first user program the kernel starts.
 *
 * The kernel hands root every capability there is (lib/bootinfo.h): its own
 * objects, IRQControl, the devices and all free RAM as Untyped memory.
 * Later root builds and supervises the servers from the boot image; for
 * now it shows what it was given, checks that it can retype and revoke
 * its memory, and exits, which makes the kernel power the machine off.
 */
#include "bootinfo.h"
#include "errors.h"
#include "invoke.h"
#include "printf.h"
#include "sys.h"

/* Say what the boot info page says: RAM and each device region. */
static void root_show_bootinfo(const struct bootinfo *bi)
{
	uint64_t i, ram = 0, pieces = 0;

	for (i = 0; i < bi->untyped_count; i++) {
		const struct bootinfo_untyped *u = &bi->untyped[i];

		if (!u->is_device) {
			ram += 1ul << u->size_bits;
			pieces++;
		} else {
			printf("root: device %s at %p, irq %u (slot %lu)\n", u->name, (void *)u->paddr,
			       u->irq, bi->untyped_first + i);
		}
	}
	printf("root: %lu KiB of RAM in %lu Untyped capabilities; slots %lu..%lu are free\n",
	       ram >> 10, pieces, bi->first_free_slot, (1ul << bi->cnode_size_bits) - 1);
}

int main(const struct bootinfo *bi)
{
	uint64_t i;
	int err;

	printf("root: hello from user mode\n");
	printf("root: time counter reads %lu ticks since reset\n", time_now());
	if (bi->magic != BOOTINFO_MAGIC) {
		printf("root: no boot info at %p\n", (void *)bi);
		return 1;
	}
	root_show_bootinfo(bi);
	/* Prove the memory is ours: a page from the last RAM Untyped, and back. */
	for (i = bi->untyped_count; i-- > 0 && bi->untyped[i].is_device;)
		;
	err = untyped_retype(bi->untyped_first + i, OBJ_FRAME, 0, BOOT_SLOT_CNODE, bi->first_free_slot, 1);
	if (err == ERR_OK)
		err = cnode_revoke(BOOT_SLOT_CNODE, bi->untyped_first + i);
	printf("root: retype and revoke a frame: %s\n", err_name(err));
	printf("root: nothing else to start yet; exiting\n");
	return err == ERR_OK ? 0 : 1;
}
