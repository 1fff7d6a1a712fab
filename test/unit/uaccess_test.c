/*
 * uaccess_test.c - the checked copy from user memory into the kernel: a
 * range is copied only if every page of it is a readable user page, and a
 * refused copy touches nothing.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "errors.h"
#include "fake_arch.h"
#include "uaccess.h"

static struct vspace vs;

#define UA 0x100000ul      /* a user address with three pages mapped */
#define PA(i) (FAKE_RAM_BASE + (i) * PAGE_SIZE)

static void setup(void)
{
	fake_arch_reset();
	arch_vspace_init(&vs, PA(0), 1);
	cr_assert_eq(arch_vspace_map(&vs, UA, PA(1), VM_READ | VM_WRITE, NULL), ERR_OK);
	cr_assert_eq(arch_vspace_map(&vs, UA + PAGE_SIZE, PA(5), VM_READ | VM_WRITE, NULL), ERR_OK);
	cr_assert_eq(arch_vspace_map(&vs, UA + 2 * PAGE_SIZE, PA(3), VM_READ, NULL), ERR_OK);
}

TestSuite(uaccess, .init = setup);

Test(uaccess, copy_in_crosses_pages)
{
	char buf[16];

	memcpy((char *)pa_to_kva(PA(1)) + PAGE_SIZE - 8, "abcdefgh", 8);
	memcpy(pa_to_kva(PA(5)), "ijklmnop", 8);
	cr_assert_eq(uaccess_copy_in(&vs, buf, UA + PAGE_SIZE - 8, 16), ERR_OK);
	cr_assert_arr_eq(buf, "abcdefghijklmnop", 16);
}

Test(uaccess, refuses_unmapped_and_touches_nothing)
{
	char buf[8] = "unmoved";

	cr_assert_eq(uaccess_copy_in(&vs, buf, UA + 3 * PAGE_SIZE - 4, 8), ERR_BAD_ADDRESS);
	cr_assert_str_eq(buf, "unmoved");
	cr_assert_eq(uaccess_copy_in(&vs, buf, UA - 1, 2), ERR_BAD_ADDRESS);
	cr_assert_eq(uaccess_copy_in(&vs, buf, 0, 1), ERR_BAD_ADDRESS);
}

Test(uaccess, needs_every_page_readable)
{
	static char big[3 * PAGE_SIZE];

	/* The three pages are readable (the third only readable); the fourth
	 * is not mapped. */
	cr_assert_eq(uaccess_copy_in(&vs, big, UA + 8, 2 * PAGE_SIZE), ERR_OK);
	cr_assert_eq(uaccess_copy_in(&vs, big, UA + 2 * PAGE_SIZE, 10), ERR_OK);
	cr_assert_eq(uaccess_copy_in(&vs, big, UA + 8, 3 * PAGE_SIZE), ERR_BAD_ADDRESS);
	cr_assert_eq(uaccess_copy_in(&vs, big, UA + 3 * PAGE_SIZE, 1), ERR_BAD_ADDRESS);
}

Test(uaccess, refuses_kernel_addresses_and_wrapping_ranges)
{
	char buf[8];

	cr_assert_eq(uaccess_copy_in(&vs, buf, USER_TOP, 1), ERR_BAD_ADDRESS);
	cr_assert_eq(uaccess_copy_in(&vs, buf, KERNEL_DIRECT_MAP + PA(1), 1), ERR_BAD_ADDRESS);
	cr_assert_eq(uaccess_copy_in(&vs, buf, UA, UINT64_MAX), ERR_BAD_ADDRESS);
	cr_assert_eq(uaccess_copy_in(&vs, buf, USER_TOP - 1, 2), ERR_BAD_ADDRESS);
	cr_assert_eq(uaccess_copy_in(&vs, buf, UINT64_MAX - 3, 8), ERR_BAD_ADDRESS);
}

Test(uaccess, zero_length_is_always_fine)
{
	cr_assert_eq(uaccess_copy_in(&vs, NULL, 0xdead0000ul, 0), ERR_OK);
	cr_assert_eq(uaccess_copy_in(&vs, NULL, USER_TOP + 5, 0), ERR_OK);
}
