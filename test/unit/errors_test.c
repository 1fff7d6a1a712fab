/*
 * errors_test.c - the names and descriptions that lib/errors.c generates
 * from ERROR_TABLE: every code has both, and
 * a number outside the table gets the fallback instead of a wild read.
 */
#include <criterion/criterion.h>

#include "errors.h"

Test(errors, every_code_has_a_name_and_a_text)
{
	cr_assert_str_eq(err_name(ERR_OK), "ERR_OK");
	cr_assert_str_eq(err_text(ERR_OK), "success");
	cr_assert_str_eq(err_name(ERR_BAD_FORMAT), "ERR_BAD_FORMAT");
	for (int err = 0; err < ERR_COUNT; err++) {
		cr_assert_str_neq(err_name(err), "ERR_UNKNOWN", "code %d", err);
		cr_assert_str_neq(err_text(err), "unknown error", "code %d", err);
	}
}

Test(errors, numbers_outside_the_table)
{
	cr_assert_str_eq(err_name(-1), "ERR_UNKNOWN");
	cr_assert_str_eq(err_name(ERR_COUNT), "ERR_UNKNOWN");
	cr_assert_str_eq(err_text(-1), "unknown error");
	cr_assert_str_eq(err_text(ERR_COUNT), "unknown error");
}
