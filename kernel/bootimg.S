/*
 * bootimg.S - the boot image: the user programs, packed by tools/mkbootimg
 * and carried inside the kernel's read-only data (see lib/bootimg.h for
 * the format). The build passes its path as BOOTIMG_PATH. It fills whole
 * pages of its own, because boot_root maps those pages into root.
 */
	.section .rodata.bootimg, "a"
	.balign 4096
	.globl bootimg_start, bootimg_end
bootimg_start:
	.incbin BOOTIMG_PATH
bootimg_end:
	.balign 4096
