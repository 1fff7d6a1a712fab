/*
 * uaccess.c - checked copies from user memory into the kernel (uaccess.h).
 *
 * The kernel runs with sstatus.SUM off, so it cannot dereference a user
 * address even by mistake. Instead it walks the thread's page table in
 * software (arch_vspace_translate) and copies through the direct map. That
 * costs a walk per page, and in return a bad pointer is an error code, never
 * a kernel fault. There is no copy out: what the kernel gives a thread goes
 * into its registers or its IPC buffer, a frame it reaches by physical address.
 */
#include "uaccess.h"
#include "errors.h"
#include "str.h"

int uaccess_check(const struct vspace *vs, uaddr_t uaddr, size_t len, unsigned vm_perm)
{
	uaddr_t page, last;
	paddr_t pa;

	if (len == 0)
		return ERR_OK;
	if (uaddr >= USER_TOP || len > USER_TOP - uaddr)
		return ERR_BAD_ADDRESS;
	last = PAGE_ROUND_DOWN(uaddr + len - 1);
	for (page = PAGE_ROUND_DOWN(uaddr); ; page += PAGE_SIZE) {
		if (!arch_vspace_translate(vs, page, vm_perm, &pa))
			return ERR_BAD_ADDRESS;
		if (page == last)
			return ERR_OK;
	}
}

int uaccess_copy_in(const struct vspace *vs, void *dst, uaddr_t src, size_t len)
{
	uint8_t *k = dst;
	int err = uaccess_check(vs, src, len, VM_READ);

	if (err != ERR_OK)
		return err;
	while (len > 0) {
		size_t in_page = PAGE_SIZE - (src & (PAGE_SIZE - 1));
		size_t n = len < in_page ? len : in_page;
		paddr_t pa = 0;

		arch_vspace_translate(vs, src, VM_READ, &pa);   /* checked above: it maps */
		memcpy(k, pa_to_kva(pa), n);
		src += n;
		k += n;
		len -= n;
	}
	return ERR_OK;
}
