/*
 * ksyms_test.c - address-to-name lookup over a symbol table shaped like the
 * generated one (sorted, ending with the end-of-text sentinel).
 */
#include <criterion/criterion.h>

#include "ksyms.h"

const struct ksym ksyms[] = {
	{ 0x1000, "_start" },
	{ 0x1040, "kmain" },
	{ 0x1100, "panic" },
	{ 0x1100, "panic_alias" },
	{ 0x1200, "trap_from_user" },
	{ 0x2000, NULL },
};
const uint64_t ksyms_count = sizeof(ksyms) / sizeof(ksyms[0]);

Test(ksyms, finds_the_containing_function)
{
	uint64_t off = 99;

	cr_assert_str_eq(ksym_lookup(0x1000, &off), "_start");
	cr_assert_eq(off, 0);
	cr_assert_str_eq(ksym_lookup(0x105c, &off), "kmain");
	cr_assert_eq(off, 0x1c);
	cr_assert_str_eq(ksym_lookup(0x1fff, &off), "trap_from_user");
	cr_assert_eq(off, 0xdff);
}

Test(ksyms, aliases_resolve_to_one_name)
{
	uint64_t off;
	const char *name = ksym_lookup(0x1104, &off);

	cr_assert(name != NULL);
	cr_assert_eq(off, 4);
	cr_assert_str_eq(name, "panic_alias");
}

Test(ksyms, outside_the_text_is_unknown)
{
	uint64_t off;

	cr_assert_null(ksym_lookup(0xfff, &off));
	cr_assert_null(ksym_lookup(0x2000, &off));
	cr_assert_null(ksym_lookup(UINT64_MAX, &off));
	cr_assert_null(ksym_lookup(0, &off));
}
