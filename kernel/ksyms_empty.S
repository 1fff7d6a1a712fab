/* ksyms_empty.S - the empty symbol table of the kernel's first link (see ksyms.h). */
	.section .ksyms, "a"
	.balign 8
	.globl ksyms_count
ksyms_count:
	.quad 0
	.globl ksyms
ksyms:
