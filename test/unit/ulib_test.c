/*
 * ulib_test.c - host tests for the xv6 user library's pure parts:
 * strcpy, atoi and gets (user/ulib/ulib.c), printf and fprintf
 * (user/ulib/printf.c), over the fake system calls of xv6_fake.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>

#include "xv6_fake.h"

TestSuite(ulib, .init = fake_reset);

Test(ulib, strcpy_copies_the_terminator_and_returns_dst)
{
	char buf[8];

	memset(buf, '#', sizeof(buf));
	cr_assert_eq(xv6_strcpy(buf, "abc"), buf);
	cr_assert_eq(memcmp(buf, "abc\0####", 8), 0);
	cr_assert_eq(xv6_strcpy(buf, ""), buf);
	cr_assert_eq(buf[0], '\0');
	cr_assert_eq(buf[1], 'b');
}

Test(ulib, atoi_reads_digits_until_the_first_other_char)
{
	cr_assert_eq(xv6_atoi("0"), 0);
	cr_assert_eq(xv6_atoi("42"), 42);
	cr_assert_eq(xv6_atoi("2147483647"), 2147483647);
	cr_assert_eq(xv6_atoi("12ab"), 12);
	cr_assert_eq(xv6_atoi("x12"), 0);
	cr_assert_eq(xv6_atoi(""), 0);
	cr_assert_eq(xv6_atoi("-17"), -17);
	cr_assert_eq(xv6_atoi("--1"), 0);
	cr_assert_eq(xv6_atoi(" 5"), 0);
}

Test(ulib, gets_stops_after_a_newline_and_leaves_the_rest)
{
	char buf[32];

	fake.in = "ls\necho hi\nlast";
	cr_assert_str_eq(xv6_gets(buf, sizeof(buf)), "ls\n");
	/* One char per read(), so nothing after the line was taken. */
	cr_assert_eq(fake.in_pos, 3);
	cr_assert_str_eq(xv6_gets(buf, sizeof(buf)), "echo hi\n");
	cr_assert_str_eq(xv6_gets(buf, sizeof(buf)), "last");
	cr_assert_str_eq(xv6_gets(buf, sizeof(buf)), "");
}

Test(ulib, gets_stops_at_max_minus_one_and_at_a_carriage_return)
{
	char buf[8];

	memset(buf, '#', sizeof(buf));
	fake.in = "abcdefghij\rxy\r";
	cr_assert_str_eq(xv6_gets(buf, 5), "abcd");
	cr_assert_eq(buf[5], '#');
	cr_assert_str_eq(xv6_gets(buf, 8), "efghij\r");
	cr_assert_str_eq(xv6_gets(buf, 1), "");
	cr_assert_eq(fake.in_pos, 11);
}

Test(ulib, printf_formats_to_fd_1_in_one_write)
{
	xv6_printf("%d %u %x %p %s %c %ld %lu %lx %%\n", -5, 7u, 255u, (void *)0x1234, "str", 'z',
		   -9000000000l, 9000000000ul, 0xabcdef012l);
	cr_assert_eq(fake.writes, 1);
	fake.out[1][fake.out_len[1]] = '\0';
	cr_assert_str_eq(fake.out[1], "-5 7 ff 0x0000000000001234 str z -9000000000 9000000000 abcdef012 %\n");
	cr_assert_eq(fake.out_len[2], 0);
}

Test(ulib, fprintf_writes_to_its_fd)
{
	xv6_fprintf(2, "usage: %s %-4s|%5d|\n", "ls", "ab", 42);
	fake.out[2][fake.out_len[2]] = '\0';
	cr_assert_str_eq(fake.out[2], "usage: ls ab  |   42|\n");
	cr_assert_eq(fake.out_len[1], 0);
}

Test(ulib, printf_of_a_long_text_goes_out_whole_in_several_writes)
{
	char want[1001];

	memset(want, 'q', 1000);
	want[1000] = '\0';
	xv6_printf("%s!", want);
	cr_assert_eq(fake.out_len[1], 1001);
	cr_assert_gt(fake.writes, 1);
	cr_assert_eq(memcmp(fake.out[1], want, 1000), 0);
	cr_assert_eq(fake.out[1][1000], '!');
}

Test(ulib, printf_of_nothing_writes_nothing)
{
	xv6_printf("%s", "");
	cr_assert_eq(fake.writes, 0);
}
