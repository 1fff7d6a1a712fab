/*
 * rootboot.h - making root, the first thread, and handing it the machine
 * (docs/capabilities.md).
 */
#ifndef MICA_ROOTBOOT_H
#define MICA_ROOTBOOT_H

#include "arch.h"
#include "bootmem.h"
#include "machine.h"

/* Load program `name` from the boot image as root, give it capabilities to
 * its own objects, IRQControl, the devices as DeviceUntyped and all of the
 * boot memory that is left as Untyped, and make it runnable. Afterwards bm
 * is empty: the kernel allocates nothing on its own again. Panics if the
 * boot image or the program is unusable (the build's fault, not a user's). */
void boot_root(const struct machine *m, struct bootmem *bm, struct page_source *pages,
	       const char *name);

#endif /* MICA_ROOTBOOT_H */
