/*
 * check.h - the one way guest tests report: check() prints "NAME: ok WHAT"
 * or "NAME: FAIL WHAT: got X, want Y" and counts; check_done() prints the
 * closing "NAME: N checks, M failed", then "NAME: PASS <token>" if none
 * failed (the grader's token: labs/README.md), and returns the exit status.
 * Include it in exactly one file per test program, after defining
 * CHECK_NAME.
 */
#ifndef MICA_CHECK_H
#define MICA_CHECK_H

#include "errors.h"
#include "grade_token.h"
#include "printf.h"

static int check_count, check_failures;

/* Compare error codes: both are printed by name. */
static void check(const char *what, long got, long want)
{
	check_count++;
	if (got == want) {
		printf(CHECK_NAME ": ok %s -> %s\n", what, err_name((int)got));
		return;
	}
	check_failures++;
	printf(CHECK_NAME ": FAIL %s: got %s, want %s\n", what, err_name((int)got),
	       err_name((int)want));
}

/* Compare numbers. */
static void check_eq(const char *what, unsigned long got, unsigned long want)
{
	check_count++;
	if (got == want) {
		printf(CHECK_NAME ": ok %s = %lu\n", what, got);
		return;
	}
	check_failures++;
	printf(CHECK_NAME ": FAIL %s: got %lu (0x%lx), want %lu (0x%lx)\n", what, got, got,
	       want, want);
}

static int check_done(void)
{
	printf(CHECK_NAME ": %d checks, %d failed\n", check_count, check_failures);
	if (check_failures != 0)
		return 1;
	printf(CHECK_NAME ": PASS %s\n", GRADE_TOKEN);
	return 0;
}

#endif /* MICA_CHECK_H */
