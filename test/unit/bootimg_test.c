/*
 * bootimg_test.c - host tests for lib/bootimg.c and tools/mkbootimg.c.
 *
 * Images are built in memory by a small writer below (independent of
 * mkbootimg), then round-tripped or damaged one field at a time. Buffers are
 * exactly as large as the image, so -fsanitize=address catches over-reads.
 * If MICA_MKBOOTIMG names the built tool, it is run end to end as well,
 * with its program table checked against lib/elf.c's reading of a real ELF.
 */
#define _POSIX_C_SOURCE 200809L

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bootimg.h"
#include "elf.h"
#include "errors.h"

/* One file for the writer; name is copied raw into the 32-byte field. */
struct tb_file {
	char name[BOOTIMG_NAME_SIZE];
	const char *data;
	size_t size;
};

static void put(unsigned char *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get(const unsigned char *p, unsigned n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = (v << 8) | p[n];
	return v;
}

/* tb_build writes a well-formed image of the files and returns it in an
 * exactly-sized malloc'd buffer. */
static unsigned char *tb_build(const struct tb_file *f, unsigned count,
			       size_t *size)
{
	size_t at = BOOTIMG_HEADER_SIZE + count * BOOTIMG_ENTRY_SIZE;
	size_t offs[16];
	unsigned char *b;

	cr_assert(count <= 16);
	for (unsigned i = 0; i < count; i++) {
		at = (at + 7) & ~(size_t)7;
		offs[i] = at;
		at += f[i].size;
	}
	*size = at;
	b = calloc(1, at);
	cr_assert_not_null(b);
	memcpy(b, "MICABOOT", 8);
	put(b + 8, 1, 4);
	put(b + 12, count, 4);
	for (unsigned i = 0; i < count; i++) {
		unsigned char *e = b + 16 + i * 48;

		memcpy(e, f[i].name, 32);
		put(e + 32, offs[i], 8);
		put(e + 40, f[i].size, 8);
		memcpy(b + offs[i], f[i].data, f[i].size);
	}
	return b;
}

static const struct tb_file three[] = {
	{ "init", "\x7f" "ELF init program", 17 },
	{ "empty", "", 0 },
	{ "sh", "the shell, a little longer than the others", 42 },
};

/* Field addresses in an image built from `three`. */
#define ENTRY(b, i) ((b) + 16 + (i) * 48)

static int open_bytes(const unsigned char *b, size_t size)
{
	struct bootimg img;
	int err = bootimg_open(&img, b, size);

	if (err != ERR_OK)
		cr_assert_eq(bootimg_count(&img), 0, "failed open left entries");
	return err;
}

Test(bootimg, round_trip)
{
	size_t size, fsize;
	unsigned char *b = tb_build(three, 3, &size);
	struct bootimg img;
	const char *name;
	const void *data;

	cr_assert_eq(bootimg_open(&img, b, size), ERR_OK);
	cr_assert_eq(bootimg_count(&img), 3);
	for (unsigned i = 0; i < 3; i++) {
		cr_assert_eq(bootimg_entry(&img, i, &name, &data, &fsize), ERR_OK);
		cr_assert_str_eq(name, three[i].name);
		cr_assert_eq(fsize, three[i].size);
		cr_assert_eq(memcmp(data, three[i].data, fsize), 0);
		cr_assert_eq(((const unsigned char *)data - b) % 8, 0);
		data = NULL;
		fsize = 99;
		cr_assert_eq(bootimg_find(&img, three[i].name, &data, &fsize), ERR_OK);
		cr_assert_eq(fsize, three[i].size);
		cr_assert_eq(memcmp(data, three[i].data, fsize), 0);
	}
	cr_assert_eq(bootimg_entry(&img, 0, NULL, NULL, NULL), ERR_OK);
	name = "untouched";
	cr_assert_eq(bootimg_entry(&img, 3, &name, &data, &fsize), ERR_NOT_FOUND);
	cr_assert_str_eq(name, "untouched");
	cr_assert_eq(bootimg_entry(&img, 1u << 31, NULL, NULL, NULL), ERR_NOT_FOUND);
	cr_assert_eq(bootimg_find(&img, "ini", &data, &fsize), ERR_NOT_FOUND);
	cr_assert_eq(bootimg_find(&img, "init2", &data, &fsize), ERR_NOT_FOUND);
	cr_assert_eq(bootimg_find(&img, "", &data, &fsize), ERR_NOT_FOUND);
	cr_assert_eq(bootimg_find(&img, NULL, &data, &fsize), ERR_NOT_FOUND);
	cr_assert_eq(bootimg_find(&img, "a name much longer than thirty-two chars",
				  &data, &fsize), ERR_NOT_FOUND);
	free(b);
}

Test(bootimg, accepts_empty_and_unaligned_images)
{
	size_t size;
	unsigned char *b = tb_build(NULL, 0, &size);
	unsigned char *odd;
	struct bootimg img;

	cr_assert_eq(size, 16);
	cr_assert_eq(bootimg_open(&img, b, size), ERR_OK);
	cr_assert_eq(bootimg_count(&img), 0);
	cr_assert_eq(bootimg_find(&img, "init", NULL, NULL), ERR_NOT_FOUND);
	free(b);

	b = tb_build(three, 3, &size);
	odd = malloc(size + 3);
	memcpy(odd + 3, b, size);
	cr_assert_eq(bootimg_open(&img, odd + 3, size), ERR_OK);
	cr_assert_eq(bootimg_find(&img, "sh", NULL, NULL), ERR_OK);
	free(odd);
	free(b);
}

Test(bootimg, accepts_longest_name_and_trailing_bytes)
{
	struct tb_file f = { "0123456789abcdef0123456789abcde", "x", 1 };
	size_t size;
	unsigned char *b = tb_build(&f, 1, &size);
	unsigned char *more = calloc(1, size + 100);
	struct bootimg img;

	cr_assert_eq(open_bytes(b, size), ERR_OK);
	memcpy(more, b, size);		/* padding after the last file is fine */
	cr_assert_eq(bootimg_open(&img, more, size + 100), ERR_OK);
	cr_assert_eq(bootimg_find(&img, f.name, NULL, NULL), ERR_OK);
	free(more);
	free(b);
}

Test(bootimg, rejects_bad_header)
{
	size_t size;
	unsigned char *b = tb_build(three, 3, &size);
	struct bootimg img;

	cr_assert_eq(bootimg_open(&img, NULL, 0), ERR_BAD_FORMAT);
	b[0] = 'm';
	cr_assert_eq(open_bytes(b, size), ERR_BAD_FORMAT);
	b[0] = 'M';
	b[7] = '\0';
	cr_assert_eq(open_bytes(b, size), ERR_BAD_FORMAT);
	b[7] = 'T';
	cr_assert_eq(open_bytes(b, size), ERR_OK);
	put(b + 8, 0, 4);
	cr_assert_eq(open_bytes(b, size), ERR_BAD_FORMAT);
	put(b + 8, 2, 4);
	cr_assert_eq(open_bytes(b, size), ERR_BAD_FORMAT);
	put(b + 8, 0x101, 4);
	cr_assert_eq(open_bytes(b, size), ERR_BAD_FORMAT);
	put(b + 8, 1, 4);
	cr_assert_eq(open_bytes(b, size), ERR_OK);
	free(b);
}

Test(bootimg, rejects_bad_count)
{
	size_t size;
	unsigned char *b = tb_build(three, 3, &size);

	put(b + 12, 4, 4);		/* the 4th entry would cover file data */
	cr_assert_eq(open_bytes(b, size), ERR_BAD_FORMAT);
	put(b + 12, BOOTIMG_MAX_COUNT + 1, 4);
	cr_assert_eq(open_bytes(b, size), ERR_BAD_FORMAT);
	put(b + 12, 0xffffffff, 4);
	cr_assert_eq(open_bytes(b, size), ERR_BAD_FORMAT);
	put(b + 12, 2, 4);		/* fewer entries: the rest is unused bytes */
	cr_assert_eq(open_bytes(b, size), ERR_OK);
	free(b);
}

Test(bootimg, rejects_every_truncation)
{
	size_t size;
	unsigned char *b = tb_build(three, 3, &size);

	for (size_t n = 0; n < size; n++) {
		unsigned char *cut = malloc(n ? n : 1);

		memcpy(cut, b, n);
		cr_assert_eq(open_bytes(cut, n), ERR_BAD_FORMAT,
			     "accepted an image cut to %zu bytes", n);
		free(cut);
	}
	free(b);
}

Test(bootimg, rejects_entries_out_of_bounds)
{
	size_t size;
	unsigned char *b = tb_build(three, 3, &size);
	unsigned char *e = ENTRY(b, 2);
	uint64_t off = get(e + 32, 8), len = get(e + 40, 8);

	put(e + 40, len + 1, 8);			/* one byte too long */
	cr_assert_eq(open_bytes(b, size), ERR_BAD_FORMAT);
	put(e + 40, UINT64_MAX - 7, 8);			/* offset + size wraps */
	cr_assert_eq(open_bytes(b, size), ERR_BAD_FORMAT);
	put(e + 40, 0, 8);
	put(e + 32, (size + 8) & ~7ull, 8);		/* starts past the end */
	cr_assert_eq(open_bytes(b, size), ERR_BAD_FORMAT);
	put(e + 32, UINT64_MAX & ~7ull, 8);
	cr_assert_eq(open_bytes(b, size), ERR_BAD_FORMAT);
	put(e + 32, off, 8);
	put(e + 40, len, 8);
	cr_assert_eq(open_bytes(b, size), ERR_OK);
	put(e + 32, off + 4, 8);			/* misaligned */
	put(e + 40, len - 4, 8);
	cr_assert_eq(open_bytes(b, size), ERR_BAD_FORMAT);
	put(e + 32, 16, 8);				/* inside the table */
	cr_assert_eq(open_bytes(b, size), ERR_BAD_FORMAT);
	put(e + 32, 0, 8);				/* over the header */
	cr_assert_eq(open_bytes(b, size), ERR_BAD_FORMAT);
	free(b);
}

/* open_with_name opens `three` with entry i's whole name field replaced. */
static int open_with_name(unsigned i, const char field[BOOTIMG_NAME_SIZE])
{
	size_t size;
	unsigned char *b = tb_build(three, 3, &size);
	int err;

	memcpy(ENTRY(b, i), field, BOOTIMG_NAME_SIZE);
	err = open_bytes(b, size);
	free(b);
	return err;
}

Test(bootimg, rejects_bad_names)
{
	char f[BOOTIMG_NAME_SIZE];

	memset(f, 'a', sizeof(f));			/* unterminated */
	cr_assert_eq(open_with_name(1, f), ERR_BAD_FORMAT);
	memset(f, 0, sizeof(f));			/* empty */
	cr_assert_eq(open_with_name(1, f), ERR_BAD_FORMAT);
	memcpy(f, "a\0b", 3);				/* junk after the nul */
	cr_assert_eq(open_with_name(1, f), ERR_BAD_FORMAT);
	memset(f, 0, sizeof(f));
	f[31] = 'x';
	cr_assert_eq(open_with_name(1, f), ERR_BAD_FORMAT);
	const char *bad[] = { "bin/sh", "/sh", "a b", "tab\there", "nl\n",
			      "del\x7f", "hi\x80", "\xff", ".", ".." };

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(f, 0, sizeof(f));
		memcpy(f, bad[i], strlen(bad[i]));
		cr_assert_eq(open_with_name(2, f), ERR_BAD_FORMAT,
			     "accepted name \"%s\"", bad[i]);
		cr_assert(!bootimg_name_valid(bad[i]));
	}
	const char *good[] = { "...", ".init", "a-b_c.elf", "~x", "Z" };

	for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(f, 0, sizeof(f));
		memcpy(f, good[i], strlen(good[i]));
		cr_assert_eq(open_with_name(2, f), ERR_OK,
			     "refused name \"%s\"", good[i]);
		cr_assert(bootimg_name_valid(good[i]));
	}
	cr_assert(!bootimg_name_valid(NULL));
	cr_assert(!bootimg_name_valid(""));
	cr_assert(bootimg_name_valid("0123456789abcdef0123456789abcde"));
	cr_assert(!bootimg_name_valid("0123456789abcdef0123456789abcdef"));
}

Test(bootimg, rejects_duplicate_names)
{
	char f[BOOTIMG_NAME_SIZE] = "init";

	cr_assert_eq(open_with_name(2, f), ERR_BAD_FORMAT);
	cr_assert_eq(open_with_name(1, f), ERR_BAD_FORMAT);
	memcpy(f, "sh", 3);
	cr_assert_eq(open_with_name(0, f), ERR_BAD_FORMAT);
	memcpy(f, "sh2", 4);
	cr_assert_eq(open_with_name(0, f), ERR_OK);
}

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Random damage must never crash bootimg_open (run under ASan), and any
 * image it still accepts must obey the format's promises. */
Test(bootimg, survives_random_damage)
{
	size_t size;
	unsigned char *good = tb_build(three, 3, &size);
	unsigned accepted = 0;

	for (int round = 0; round < 20000; round++) {
		unsigned char *b = malloc(size);
		struct bootimg img;
		const char *name, *other;
		const void *data;
		size_t len;

		memcpy(b, good, size);
		for (int k = 1 + (int)(rng_next() % 3); k > 0; k--)
			b[rng_next() % (16 + 3 * 48)] = (unsigned char)rng_next();
		if (bootimg_open(&img, b, size) != ERR_OK) {
			cr_assert_eq(bootimg_count(&img), 0);
			free(b);
			continue;
		}
		accepted++;
		for (unsigned i = 0; i < bootimg_count(&img); i++) {
			cr_assert_eq(bootimg_entry(&img, i, &name, &data, &len), ERR_OK);
			cr_assert(bootimg_name_valid(name));
			cr_assert((const unsigned char *)data >= b + 16 + 48 * bootimg_count(&img));
			cr_assert(len <= size - (size_t)((const unsigned char *)data - b));
			for (unsigned j = 0; j < i; j++) {
				bootimg_entry(&img, j, &other, NULL, NULL);
				cr_assert_str_neq(name, other);
			}
		}
		free(b);
	}
	cr_assert(accepted > 100, "only %u damaged images accepted", accepted);
	free(good);
}

/* ---- mkbootimg end to end, when the build tells us where it is ---- */

static const char *tool(void)
{
	const char *t = getenv("MICA_MKBOOTIMG");

	if (t == NULL || *t == '\0')
		cr_skip_test("MICA_MKBOOTIMG is not set");
	cr_assert_eq(access(t, X_OK), 0, "MICA_MKBOOTIMG=%s is not executable", t);
	return t;
}

/* run executes argv (argv[0] = the tool) with stderr discarded and returns
 * its exit status, or -1 if it did not exit normally. */
static int run(char *const argv[])
{
	int status;
	pid_t pid = fork();

	cr_assert(pid >= 0);
	if (pid == 0) {
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f);
	cr_assert_eq(fputs(text, f) >= 0, 1);
	cr_assert_eq(fclose(f), 0);
}

static unsigned char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = malloc(n ? (size_t)n : 1);
	cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	return b;
}

static unsigned count_dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	unsigned n = 0;

	cr_assert_not_null(d);
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

Test(bootimg, mkbootimg_end_to_end)
{
	const char *t = tool();
	char dir[] = "/tmp/mkbootimg_testXXXXXX";
	char a[64], b[64], eq[80], out[64], bad[128], missing[64];
	struct bootimg img;
	unsigned char *data;
	const void *fdata;
	size_t size, fsize;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/init", dir);
	snprintf(b, sizeof(b), "%s/shell.elf", dir);
	snprintf(eq, sizeof(eq), "sh=%s", b);
	snprintf(out, sizeof(out), "%s/boot.img", dir);
	snprintf(missing, sizeof(missing), "%s/missing", dir);
	write_file(a, "init's bytes");
	write_file(b, "the shell");

	cr_assert_eq(run((char *[]){ (char *)t, out, a, eq, NULL }), 0);
	data = read_file(out, &size);
	cr_assert_not_null(data);
	cr_assert_eq(bootimg_open(&img, data, size), ERR_OK);
	cr_assert_eq(bootimg_count(&img), 2);
	cr_assert_eq(bootimg_find(&img, "init", &fdata, &fsize), ERR_OK);
	cr_assert_eq(fsize, 12);
	cr_assert_eq(memcmp(fdata, "init's bytes", 12), 0);
	cr_assert_eq(bootimg_find(&img, "sh", &fdata, &fsize), ERR_OK);
	cr_assert_eq(memcmp(fdata, "the shell", 9), 0);
	free(data);
	cr_assert_eq(count_dir_entries(dir), 3);

	/* Each failure exits 1, leaves the old output alone and no temp file. */
	cr_assert_eq(run((char *[]){ (char *)t, out, missing, NULL }), 1);
	cr_assert_eq(run((char *[]){ (char *)t, out, a, a, NULL }), 1);
	snprintf(bad, sizeof(bad), "a/b=%s", a);
	cr_assert_eq(run((char *[]){ (char *)t, out, bad, NULL }), 1);
	snprintf(bad, sizeof(bad), "0123456789abcdef0123456789abcdef=%s", a);
	cr_assert_eq(run((char *[]){ (char *)t, out, bad, NULL }), 1);
	cr_assert_eq(run((char *[]){ (char *)t, out, NULL }), 1);
	cr_assert_eq(run((char *[]){ (char *)t, dir, a, NULL }), 1);
	snprintf(bad, sizeof(bad), "%s/no/such/dir.img", dir);
	cr_assert_eq(run((char *[]){ (char *)t, bad, a, NULL }), 1);
	cr_assert_eq(count_dir_entries(dir), 3);
	data = read_file(out, &size);
	cr_assert_eq(bootimg_open(&img, data, size), ERR_OK);
	cr_assert_eq(bootimg_count(&img), 2, "a failed run changed the output");
	free(data);

	unlink(out);
	cr_assert_eq(run((char *[]){ (char *)t, out, missing, NULL }), 1);
	cr_assert_eq(access(out, F_OK), -1, "failed run created the output");
	unlink(a);
	unlink(b);
	rmdir(dir);
}

/* -p: the program table lists the ELF files, with their segments pointing
 * at their bytes in the image, skips data files, and a file that looks
 * like ELF but is not a loadable program stops the build. */
Test(bootimg, mkbootimg_program_table)
{
	const char *t = tool(), *elf_path = getenv("MICA_SAMPLE_ELF");
	char dir[] = "/tmp/mkbootimg_testXXXXXX";
	char data_arg[80], elf_arg[300], bad_arg[80], out[64], table_path[64], bad[64];
	const struct bootprog_table *table;
	const struct bootprog *p;
	struct elf_image elf;
	struct elf_segment seg;
	struct bootimg img;
	unsigned char *image, *tbytes, *file;
	const void *fdata;
	size_t size, tsize, fsize;
	unsigned i;

	cr_assert_not_null(elf_path, "set MICA_SAMPLE_ELF to a user ELF (make unit does)");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(data_arg, sizeof(data_arg), "notes=%s/notes", dir);
	snprintf(elf_arg, sizeof(elf_arg), "prog=%s", elf_path);
	snprintf(out, sizeof(out), "%s/boot.img", dir);
	snprintf(table_path, sizeof(table_path), "%s/progs.bin", dir);
	write_file(data_arg + 6, "just some text");
	cr_assert_eq(run((char *[]){ (char *)t, "-p", table_path, out, data_arg, elf_arg, NULL }), 0);

	image = read_file(out, &size);
	tbytes = read_file(table_path, &tsize);
	file = read_file(elf_path, &fsize);
	cr_assert(image && tbytes && file);
	cr_assert_eq(bootimg_open(&img, image, size), ERR_OK);
	cr_assert_eq(bootimg_find(&img, "prog", &fdata, &fsize), ERR_OK);
	table = (const struct bootprog_table *)tbytes;
	cr_assert_eq(tsize, sizeof(*table) + sizeof(table->program[0]));
	cr_assert_eq(table->magic, BOOTPROG_MAGIC);
	cr_assert_eq(table->version, BOOTPROG_VERSION);
	cr_assert_eq(table->count, 1, "only the ELF file is a program");
	p = &table->program[0];
	cr_assert_str_eq(p->name, "prog");
	cr_assert_eq(elf_open(&elf, file, fsize, 1ull << 38), ERR_OK);
	cr_assert_eq(p->entry, elf_entry(&elf));
	cr_assert_eq(p->size, fsize);
	cr_assert_eq(p->nsegments, elf_segment_count(&elf));
	for (i = 0; i < p->nsegments; i++) {
		const struct bootprog_segment *s = &p->segment[i];

		elf_segment(&elf, i, &seg);
		cr_assert_eq(s->vaddr, seg.vaddr);
		cr_assert_eq(s->memsz, seg.memsz);
		cr_assert_eq(s->filesz, seg.filesz);
		cr_assert_eq(s->perm, seg.perm);
		cr_assert_leq(s->offset + s->filesz, size);
		cr_assert_eq(memcmp(image + s->offset, file + seg.file_offset, s->filesz), 0,
			     "segment %u does not point at its bytes", i);
	}
	free(image);
	free(tbytes);
	free(file);

	snprintf(bad, sizeof(bad), "%s/bad", dir);
	snprintf(bad_arg, sizeof(bad_arg), "bad=%s", bad);
	write_file(bad, "\x7f" "ELF, but nothing more");
	cr_assert_eq(run((char *[]){ (char *)t, "-p", table_path, out, bad_arg, NULL }), 1);
	unlink(bad);
	unlink(data_arg + 6);
	unlink(out);
	unlink(table_path);
	rmdir(dir);
}
