/*
 * bootimg.S - the boot image: the user programs, packed by tools/mkbootimg
 * and carried inside the kernel's read-only data (see lib/bootimg.h for
 * the format). The build passes its path as BOOTIMG_PATH.
 */
	.section .rodata.bootimg, "a"
	.balign 8
	.globl bootimg_start, bootimg_end
bootimg_start:
	.incbin BOOTIMG_PATH
bootimg_end:
