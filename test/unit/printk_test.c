/*
 * printk_test.c - the kernel's own formatter (kernel/printk.c): each
 * conversion it knows against the host's printf, the extremes of every
 * integer width, and what it does with a conversion it does not know.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>

#include "fake_arch.h"
#include "printk.h"

TestSuite(printk, .init = fake_arch_reset);

/* The console after one kprintf, compared with the host's snprintf. */
#define CHECK(...) do {                                                        \
	char want[256];                                                        \
	fake_arch_reset();                                                     \
	kprintf(__VA_ARGS__);                                                  \
	snprintf(want, sizeof(want), __VA_ARGS__);                             \
	cr_assert_str_eq(fake_console, want);                                  \
} while (0)

Test(printk, matches_printf_for_its_conversions)
{
	CHECK("plain text, 100%% sure\n");
	CHECK("%d %d %d %d", 0, 7, -7, INT32_MIN);
	CHECK("%ld %ld %ld", (long)INT64_MAX, (long)INT64_MIN, -1L);
	CHECK("%u %u %lu %lu", 0u, UINT32_MAX, 0ul, (unsigned long)UINT64_MAX);
	CHECK("%x %x %lx %lx", 0u, 0xdeadbeefu, 0xffffffc080200000ul, (unsigned long)UINT64_MAX);
	CHECK("[%s] [%s]", "root", "");
}

Test(printk, pointers_have_sixteen_digits)
{
	fake_arch_reset();
	kprintf("%p %p %p", (void *)0, (void *)0x10, (void *)UINTPTR_MAX);
	cr_assert_str_eq(fake_console,
			 "0x0000000000000000 0x0000000000000010 0xffffffffffffffff");
}

Test(printk, null_string_and_unknown_conversions)
{
	/* Hidden from -Wformat, which would refuse both at compile time. */
	const char *fmt = "%y %5d %lq %c %";
	const char *volatile null_string = NULL;

	fake_arch_reset();
	kprintf("%s", null_string);
	cr_assert_str_eq(fake_console, "(null)");
	fake_arch_reset();
	kprintf(fmt, 1);
	cr_assert_str_eq(fake_console, "%y %5d %lq %c %", "shown as written, no argument taken");
}
