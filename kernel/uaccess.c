/*
 * uaccess.c - checked copies between kernel and user memory (uaccess.h).
 *
 * The kernel runs with sstatus.SUM off, so it cannot dereference a user
 * address even by mistake. Instead it walks the thread's page table in
 * software (arch_vspace_translate) and copies through the direct map. That
 * costs a walk per page, and in return a bad pointer is an error code, never
 * a kernel fault.
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

/* Copy between the kernel buffer and user memory already checked; `out`
 * says which way. */
static void uaccess_copy_checked(const struct vspace *vs, uaddr_t uaddr, void *kbuf,
				 size_t len, unsigned vm_perm, bool out)
{
	uint8_t *k = kbuf;

	while (len > 0) {
		size_t in_page = PAGE_SIZE - (uaddr & (PAGE_SIZE - 1));
		size_t n = len < in_page ? len : in_page;
		paddr_t pa = 0;

		arch_vspace_translate(vs, uaddr, vm_perm, &pa);
		if (out)
			memcpy(pa_to_kva(pa), k, n);
		else
			memcpy(k, pa_to_kva(pa), n);
		uaddr += n;
		k += n;
		len -= n;
	}
}

int uaccess_copy_in(const struct vspace *vs, void *dst, uaddr_t src, size_t len)
{
	int err = uaccess_check(vs, src, len, VM_READ);

	if (err == ERR_OK)
		uaccess_copy_checked(vs, src, dst, len, VM_READ, false);
	return err;
}

int uaccess_copy_out(const struct vspace *vs, uaddr_t dst, const void *src, size_t len)
{
	int err = uaccess_check(vs, dst, len, VM_WRITE);

	if (err == ERR_OK)
		uaccess_copy_checked(vs, dst, (void *)src, len, VM_WRITE, true);
	return err;
}
