/*
 * str_test.c - host tests for lib/str.c, checked against the host's libc.
 *
 * lib/str.c defines memcpy, memset, ... under their standard names, which
 * would replace libc's in this very binary (and in Criterion). So the build
 * compiles lib/str.c to an object with -ffreestanding -fno-builtin and renames
 * its symbols with `objcopy --prefix-symbols=mica_ str.o` (all but str_copy,
 * which has no libc twin and which kernel code under test calls by its own
 * name); this file declares the prototypes itself, includes no lib/ header, and compares each
 * function with libc's on many sizes, alignments and overlaps, size 0
 * included. Copies and fills check the whole buffer, so a stray write before
 * or after the destination fails the test.
 */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <criterion/criterion.h>

void *mica_memcpy(void *dst, const void *src, size_t n);
void *mica_memmove(void *dst, const void *src, size_t n);
void *mica_memset(void *dst, int c, size_t n);
int mica_memcmp(const void *a, const void *b, size_t n);
size_t mica_strlen(const char *s);
size_t mica_strnlen(const char *s, size_t max);
int mica_strcmp(const char *a, const char *b);
int mica_strncmp(const char *a, const char *b, size_t n);
char *mica_strchr(const char *s, int c);
size_t str_copy(char *dst, const char *src, size_t size);

#define BUF_SIZE 8192
#define MAX_OFFSET 17
#define MAX_SMALL 80

/* Sizes beyond the small exhaustive range: a page, and odd sizes around it
 * that leave head and tail bytes on both sides of the word loop. */
static const size_t big_sizes[] = { 255, 256, 257, 1000, 4095, 4096, 4097, 4099 };

static unsigned char src_buf[BUF_SIZE];
static unsigned char got_buf[BUF_SIZE];
static unsigned char want_buf[BUF_SIZE];

/* Fills a buffer with a pattern that differs from byte to byte and from seed
 * to seed, so a copy from the wrong place never matches by accident. */
static void fill_pattern(unsigned char *buf, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(i * 7 + seed * 31 + (i >> 8));
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void check_memcpy(size_t dst_off, size_t src_off, size_t n)
{
	fill_pattern(src_buf, BUF_SIZE, 1);
	fill_pattern(got_buf, BUF_SIZE, 2);
	fill_pattern(want_buf, BUF_SIZE, 2);
	memcpy(want_buf + dst_off, src_buf + src_off, n);
	void *ret = mica_memcpy(got_buf + dst_off, src_buf + src_off, n);
	cr_assert_eq(ret, got_buf + dst_off, "memcpy returned the wrong pointer");
	cr_assert(memcmp(got_buf, want_buf, BUF_SIZE) == 0,
		  "memcpy dst_off=%zu src_off=%zu n=%zu", dst_off, src_off, n);
}

Test(str, memcpy_all_alignments_and_sizes)
{
	for (size_t d = 0; d < MAX_OFFSET; d++)
		for (size_t s = 0; s < MAX_OFFSET; s++)
			for (size_t n = 0; n <= MAX_SMALL; n++)
				check_memcpy(d, s, n);
}

Test(str, memcpy_big_sizes)
{
	for (size_t i = 0; i < sizeof(big_sizes) / sizeof(big_sizes[0]); i++)
		for (size_t d = 0; d < 9; d++)
			for (size_t s = 0; s < 9; s++)
				check_memcpy(d, s, big_sizes[i]);
}

/* Moves n bytes inside one buffer from offset from to offset to, and compares
 * the whole buffer with libc's memmove doing the same. */
static void check_memmove(size_t to, size_t from, size_t n)
{
	fill_pattern(got_buf, BUF_SIZE, 3);
	fill_pattern(want_buf, BUF_SIZE, 3);
	memmove(want_buf + to, want_buf + from, n);
	void *ret = mica_memmove(got_buf + to, got_buf + from, n);
	cr_assert_eq(ret, got_buf + to, "memmove returned the wrong pointer");
	cr_assert(memcmp(got_buf, want_buf, BUF_SIZE) == 0,
		  "memmove to=%zu from=%zu n=%zu", to, from, n);
}

Test(str, memmove_overlap_both_directions)
{
	/* Offsets 64..64+2*MAX_OFFSET make every distance from -33 to +33
	 * appear, overlapping and not, in both directions and at every
	 * relative alignment, with the same pointer (distance 0) included. */
	for (size_t to = 64; to < 64 + 2 * MAX_OFFSET; to++)
		for (size_t from = 64; from < 64 + 2 * MAX_OFFSET; from++)
			for (size_t n = 0; n <= MAX_SMALL; n++)
				check_memmove(to, from, n);
}

Test(str, memmove_big_overlaps)
{
	static const size_t shifts[] = { 1, 3, 7, 8, 9, 16, 100 };

	for (size_t i = 0; i < sizeof(big_sizes) / sizeof(big_sizes[0]); i++) {
		for (size_t j = 0; j < sizeof(shifts) / sizeof(shifts[0]); j++) {
			check_memmove(200 + shifts[j], 200, big_sizes[i]);
			check_memmove(200, 200 + shifts[j], big_sizes[i]);
		}
	}
}

static void check_memset(size_t off, int c, size_t n)
{
	fill_pattern(got_buf, BUF_SIZE, 4);
	fill_pattern(want_buf, BUF_SIZE, 4);
	memset(want_buf + off, c, n);
	void *ret = mica_memset(got_buf + off, c, n);
	cr_assert_eq(ret, got_buf + off, "memset returned the wrong pointer");
	cr_assert(memcmp(got_buf, want_buf, BUF_SIZE) == 0,
		  "memset off=%zu c=%d n=%zu", off, c, n);
}

Test(str, memset_values_alignments_sizes)
{
	/* 0x1ab and -1 check that only the low byte of c is used. */
	static const int values[] = { 0, 1, 0x5a, 0x7f, 0x80, 0xff, 0x1ab, -1 };

	for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
		for (size_t off = 0; off < MAX_OFFSET; off++) {
			for (size_t n = 0; n <= MAX_SMALL; n++)
				check_memset(off, values[v], n);
			for (size_t i = 0; i < sizeof(big_sizes) / sizeof(big_sizes[0]); i++)
				check_memset(off, values[v], big_sizes[i]);
		}
	}
}

Test(str, memcmp_matches_libc_sign)
{
	unsigned char a[64], b[64];

	for (size_t n = 0; n <= sizeof(a); n++) {
		for (size_t pos = 0; pos < sizeof(a); pos++) {
			static const unsigned char bytes[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };

			for (size_t k = 0; k < sizeof(bytes); k++) {
				fill_pattern(a, sizeof(a), 5);
				memcpy(b, a, sizeof(b));
				b[pos] = bytes[k];
				cr_assert_eq(sign(mica_memcmp(a, b, n)), sign(memcmp(a, b, n)),
					     "memcmp n=%zu pos=%zu", n, pos);
				cr_assert_eq(sign(mica_memcmp(b, a, n)), sign(memcmp(b, a, n)),
					     "memcmp swapped n=%zu pos=%zu", n, pos);
			}
		}
	}
}

Test(str, memcmp_is_unsigned_and_zero_length_is_equal)
{
	unsigned char lo[] = { 0x01 };
	unsigned char hi[] = { 0x80 };

	cr_assert_lt(mica_memcmp(lo, hi, 1), 0);
	cr_assert_gt(mica_memcmp(hi, lo, 1), 0);
	cr_assert_eq(mica_memcmp(lo, hi, 0), 0);
	cr_assert_eq(mica_memcmp(NULL, NULL, 0), 0);
}

Test(str, strlen_every_length_and_alignment)
{
	char buf[128];

	for (size_t off = 0; off < MAX_OFFSET; off++) {
		for (size_t len = 0; len + off < sizeof(buf); len++) {
			memset(buf, 'x', sizeof(buf));
			buf[off + len] = '\0';
			cr_assert_eq(mica_strlen(buf + off), len, "off=%zu len=%zu", off, len);
		}
	}
	cr_assert_eq(mica_strlen("\xff\x80"), 2);
}

Test(str, strnlen_never_reads_past_max)
{
	/* Not nul-terminated: reading past max is caught by -fsanitize=address. */
	char raw[5] = { 'a', 'b', 'c', 'd', 'e' };

	cr_assert_eq(mica_strnlen(raw, sizeof(raw)), 5);
	cr_assert_eq(mica_strnlen(raw, 3), 3);
	cr_assert_eq(mica_strnlen(raw, 0), 0);
	cr_assert_eq(mica_strnlen("ab", 10), 2);
	cr_assert_eq(mica_strnlen("ab", 2), 2);
	cr_assert_eq(mica_strnlen("", 10), 0);
	cr_assert_eq(mica_strnlen(NULL, 0), 0);
}

static const char *const cmp_strings[] = {
	"", "a", "b", "ab", "abc", "abd", "abcd", "A", "\x7f", "\x80", "\xff",
	"a\xff", "a\x01", "hello", "hello world", "hellp",
};

#define CMP_COUNT (sizeof(cmp_strings) / sizeof(cmp_strings[0]))

Test(str, strcmp_matches_libc_sign)
{
	for (size_t i = 0; i < CMP_COUNT; i++) {
		for (size_t j = 0; j < CMP_COUNT; j++) {
			const char *a = cmp_strings[i], *b = cmp_strings[j];

			cr_assert_eq(sign(mica_strcmp(a, b)), sign(strcmp(a, b)),
				     "strcmp(\"%s\", \"%s\")", a, b);
		}
	}
}

Test(str, strncmp_matches_libc_sign)
{
	for (size_t i = 0; i < CMP_COUNT; i++) {
		for (size_t j = 0; j < CMP_COUNT; j++) {
			for (size_t n = 0; n < 14; n++) {
				const char *a = cmp_strings[i], *b = cmp_strings[j];

				cr_assert_eq(sign(mica_strncmp(a, b, n)), sign(strncmp(a, b, n)),
					     "strncmp(\"%s\", \"%s\", %zu)", a, b, n);
			}
		}
	}
	/* Stops at the nul: bytes after it are never compared or read. */
	cr_assert_eq(mica_strncmp("ab\0x", "ab\0y", 4), 0);
	cr_assert_eq(mica_strncmp("abc", "abd", 2), 0);
	cr_assert_eq(mica_strncmp(NULL, NULL, 0), 0);
}

Test(str, strchr_matches_libc)
{
	static const char s[] = "hello, world\xff";
	static const int needles[] = { 'h', 'o', 'l', 'd', ',', 'z', '\0', 0xff, -1,
				       'o' + 256, 256 };

	for (size_t off = 0; off < sizeof(s); off++) {
		for (size_t k = 0; k < sizeof(needles) / sizeof(needles[0]); k++) {
			cr_assert_eq(mica_strchr(s + off, needles[k]), strchr(s + off, needles[k]),
				     "strchr off=%zu c=%d", off, needles[k]);
		}
	}
	static const char empty[] = "";

	cr_assert_eq(mica_strchr(empty, '\0'), empty);
	cr_assert_null(mica_strchr(empty, 'a'));
}

Test(str, str_copy_fits)
{
	char dst[8];

	memset(dst, '#', sizeof(dst));
	cr_assert_eq(str_copy(dst, "abc", sizeof(dst)), 3);
	cr_assert_str_eq(dst, "abc");
	cr_assert_eq(dst[4], '#', "wrote past the terminator");

	cr_assert_eq(str_copy(dst, "", sizeof(dst)), 0);
	cr_assert_str_eq(dst, "");

	cr_assert_eq(str_copy(dst, "1234567", sizeof(dst)), 7);
	cr_assert_str_eq(dst, "1234567");
}

Test(str, str_copy_truncates_at_every_size)
{
	static const char src[] = "abcdefghij";
	char dst[16];

	for (size_t size = 0; size < sizeof(dst); size++) {
		memset(dst, '#', sizeof(dst));
		cr_assert_eq(str_copy(dst, src, size), strlen(src), "size=%zu", size);
		if (size > 0) {
			size_t kept = size - 1 < strlen(src) ? size - 1 : strlen(src);

			cr_assert_eq(memcmp(dst, src, kept), 0, "size=%zu", size);
			cr_assert_eq(dst[kept], '\0', "size=%zu: not terminated", size);
		}
		for (size_t i = size; i < sizeof(dst); i++)
			cr_assert_eq(dst[i], '#', "size=%zu: wrote dst[%zu]", size, i);
	}
}

Test(str, str_copy_size_zero_touches_nothing)
{
	char dst[1] = { '#' };

	cr_assert_eq(str_copy(dst, "xyz", 0), 3);
	cr_assert_eq(dst[0], '#');
	cr_assert_eq(str_copy(NULL, "xyz", 0), 3);
}
