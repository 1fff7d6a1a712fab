/*
 * uaccess.c - the checked copy from user memory into the kernel (uaccess.h).
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

int uaccess_copy_in(const struct vspace *vs, void *dst, uaddr_t src, size_t len)
{
	uaddr_t page;
	paddr_t pa = 0;
	size_t done, n;

	if (len != 0 && (src >= USER_TOP || len > USER_TOP - src))
		return ERR_BAD_ADDRESS;
	/* Every page first, so that a bad pointer copies nothing. */
	for (page = PAGE_ROUND_DOWN(src); len != 0 && page <= src + len - 1; page += PAGE_SIZE)
		if (!arch_vspace_translate(vs, page, VM_READ, &pa))
			return ERR_BAD_ADDRESS;
	for (done = 0; done < len; done += n) {
		n = PAGE_SIZE - ((src + done) & (PAGE_SIZE - 1));
		n = n < len - done ? n : len - done;
		arch_vspace_translate(vs, src + done, VM_READ, &pa);   /* checked above: it maps */
		memcpy((uint8_t *)dst + done, pa_to_kva(pa), n);
	}
	return ERR_OK;
}
