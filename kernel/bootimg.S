/*
 * bootimg.S - the boot image: the user programs, packed by tools/mkbootimg
 * and carried inside the kernel's read-only data (see lib/bootimg.h for
 * the format), and the program table mkbootimg wrote for them, which the
 * kernel reads to start root (loader.c). The build passes their paths as
 * BOOTIMG_PATH and BOOTPROGS_PATH. The image fills whole pages of its own,
 * because boot_root maps those pages into root.
 */
	.section .rodata.bootimg, "a"
	.balign 4096
	.globl bootimg_start, bootimg_end, bootprogs_start
bootimg_start:
	.incbin BOOTIMG_PATH
bootimg_end:
	.balign 4096
bootprogs_start:
	.incbin BOOTPROGS_PATH
