/*
 * mkbootimg.c - host tool that packs user ELF files into a boot image (the
 * format is in lib/bootimg.h).
 *
 * Usage: mkbootimg [-p TABLE] OUTPUT FILE...   where FILE is NAME=PATH, or
 * PATH to use the path's last component as the name. Everything after the
 * first '=' is the path, so a path that contains '=' must be given with a
 * NAME=. With -p it also writes the program table (bootimg.h): every ELF
 * file is checked with elf_open() here, at build time, and its segments
 * listed and checked with bootprog_check(), so the kernel needs no ELF
 * reader, and checks nothing, to start one as root.
 * The image is built in memory, checked with bootimg_open() (the reader
 * root uses), written to a temporary file and renamed over OUTPUT, so
 * OUTPUT is either the old file or the whole new one, never a partial one.
 * Exit status 0 on success, 1 with a message on stderr on any error.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootimg.h"
#include "elf.h"
#include "errors.h"


/* One file to pack. */
struct input {
	char name[BOOTIMG_NAME_SIZE];
	const char *path;
	unsigned char *data;
	size_t size;
	size_t offset;		/* where it goes in the image */
};

static void put_le(unsigned char *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* input_name splits arg into name and path and checks the name; returns 0,
 * or -1 after printing why. */
static int input_name(struct input *in, const char *arg)
{
	const char *eq = strchr(arg, '=');
	const char *name, *slash;
	size_t len;

	if (eq) {
		name = arg;
		len = (size_t)(eq - arg);
		in->path = eq + 1;
	} else {
		slash = strrchr(arg, '/');
		name = slash ? slash + 1 : arg;
		len = strlen(name);
		in->path = arg;
	}
	if (*in->path == '\0') {
		fprintf(stderr, "mkbootimg: %s: no path given\n", arg);
		return -1;
	}
	if (len == 0) {
		fprintf(stderr, "mkbootimg: %s: empty name (write NAME=PATH)\n", arg);
		return -1;
	}
	if (memchr(name, '/', len)) {
		fprintf(stderr, "mkbootimg: %s: name '%.*s' contains '/'\n",
			arg, (int)len, name);
		return -1;
	}
	if (len >= BOOTIMG_NAME_SIZE) {
		fprintf(stderr, "mkbootimg: %s: name '%.*s' is too long "
			"(%zu characters, at most %u)\n", arg, (int)len, name,
			len, BOOTIMG_NAME_SIZE - 1);
		return -1;
	}
	memset(in->name, 0, sizeof(in->name));
	memcpy(in->name, name, len);
	if (!bootimg_name_valid(in->name)) {
		fprintf(stderr, "mkbootimg: %s: name '%s' is not allowed (use "
			"printable ASCII without spaces; not . or ..)\n",
			arg, in->name);
		return -1;
	}
	return 0;
}

/* input_read loads the whole file; returns 0, or -1 after printing why.
 * Reads until end of file, so pipes and special files work too. */
static int input_read(struct input *in)
{
	FILE *f = fopen(in->path, "rb");
	size_t cap = 0;
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "mkbootimg: %s: %s\n", in->path, strerror(errno));
		return -1;
	}
	in->size = 0;
	for (;;) {
		if (in->size == cap) {
			unsigned char *bigger;

			cap = cap ? cap * 2 : 65536;
			bigger = realloc(in->data, cap);
			if (bigger == NULL) {
				fprintf(stderr, "mkbootimg: %s: out of memory\n",
					in->path);
				fclose(f);
				return -1;
			}
			in->data = bigger;
		}
		n = fread(in->data + in->size, 1, cap - in->size, f);
		in->size += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "mkbootimg: %s: read error\n", in->path);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* image_build lays the files out and returns the malloc'd image, or NULL
 * after printing why. */
static unsigned char *image_build(struct input *in, unsigned count,
				  size_t *total)
{
	size_t at = BOOTIMG_HEADER_SIZE + (size_t)count * BOOTIMG_ENTRY_SIZE;
	unsigned char *img, *e;
	unsigned i;

	for (i = 0; i < count; i++) {
		at = (at + BOOTIMG_ALIGN - 1) & ~(size_t)(BOOTIMG_ALIGN - 1);
		in[i].offset = at;
		if (in[i].size > SIZE_MAX - at - BOOTIMG_ALIGN) {
			fprintf(stderr, "mkbootimg: image too large\n");
			return NULL;
		}
		at += in[i].size;
	}
	*total = at;
	img = calloc(1, at ? at : 1);
	if (img == NULL) {
		fprintf(stderr, "mkbootimg: out of memory (%zu bytes)\n", at);
		return NULL;
	}
	memcpy(img, BOOTIMG_MAGIC, BOOTIMG_MAGIC_SIZE);
	put_le(img + BOOTIMG_HDR_VERSION, BOOTIMG_VERSION, 4);
	put_le(img + BOOTIMG_HDR_COUNT, count, 4);
	for (i = 0; i < count; i++) {
		e = img + BOOTIMG_HEADER_SIZE + (size_t)i * BOOTIMG_ENTRY_SIZE;
		memcpy(e + BOOTIMG_ENT_NAME, in[i].name, BOOTIMG_NAME_SIZE);
		put_le(e + BOOTIMG_ENT_OFFSET, in[i].offset, 8);
		put_le(e + BOOTIMG_ENT_SIZE, in[i].size, 8);
		if (in[i].size)
			memcpy(img + in[i].offset, in[i].data, in[i].size);
	}
	return img;
}

/* image_write writes data to a temporary file beside path and renames it
 * over path. Returns 0, or -1 after printing why and removing the
 * temporary file. */
static int image_write(const char *path, const unsigned char *data, size_t size)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + sizeof(".tmpXXXXXX"));
	size_t done = 0;
	ssize_t n;
	int fd;

	if (tmp == NULL) {
		fprintf(stderr, "mkbootimg: out of memory\n");
		return -1;
	}
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".tmpXXXXXX", sizeof(".tmpXXXXXX"));
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "mkbootimg: cannot create %s: %s\n", tmp,
			strerror(errno));
		free(tmp);
		return -1;
	}
	while (done < size) {
		n = write(fd, data + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = EIO;	/* write() made no progress */
		if (n <= 0)
			goto fail;
		done += (size_t)n;
	}
	/* mkstemp makes the file private; an image is an ordinary output. */
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	return 0;
fail:
	fprintf(stderr, "mkbootimg: cannot write %s: %s\n", path,
		strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

/* program_add fills *p from the ELF file `in` (already checked to start
 * with the ELF magic); returns 0, or -1 after printing why. */
static int program_add(struct bootprog *p, const struct input *in)
{
	struct elf_image elf;
	struct elf_segment seg;
	const char *why;
	unsigned i;

	if (elf_open(&elf, in->data, in->size, BOOTPROG_USER_TOP) != ERR_OK) {
		fprintf(stderr, "mkbootimg: %s: not a program Mica can load: %s\n",
			in->path, elf_open_reason(&elf));
		return -1;
	}
	if (elf_segment_count(&elf) > BOOTPROG_MAX_SEGMENTS) {
		fprintf(stderr, "mkbootimg: %s: %u loadable segments, at most %u\n",
			in->path, elf_segment_count(&elf), BOOTPROG_MAX_SEGMENTS);
		return -1;
	}
	memcpy(p->name, in->name, sizeof(p->name));
	p->entry = elf_entry(&elf);
	p->size = in->size;
	p->nsegments = elf_segment_count(&elf);
	for (i = 0; i < p->nsegments; i++) {
		elf_segment(&elf, i, &seg);
		p->segment[i] = (struct bootprog_segment){
			.vaddr = seg.vaddr, .memsz = seg.memsz, .filesz = seg.filesz,
			.offset = in->offset + seg.file_offset, .perm = seg.perm };
	}
	/* The file lies inside the image, so its end bounds the segments. */
	why = bootprog_check(p, in->offset + in->size);
	if (why != NULL) {
		fprintf(stderr, "mkbootimg: %s: cannot start as root: %s\n", in->path, why);
		return -1;
	}
	return 0;
}

/* table_build returns the malloc'd program table of the ELF files among
 * in[0..count), or NULL after printing why. */
static struct bootprog_table *table_build(const struct input *in, unsigned count,
					  size_t *total)
{
	struct bootprog_table *t;
	unsigned i;

	*total = sizeof(*t) + (size_t)count * sizeof(t->program[0]);
	t = calloc(1, *total);
	if (t == NULL) {
		fprintf(stderr, "mkbootimg: out of memory\n");
		return NULL;
	}
	t->magic = BOOTPROG_MAGIC;
	t->version = BOOTPROG_VERSION;
	for (i = 0; i < count; i++) {
		if (in[i].size < 4 || memcmp(in[i].data, "\x7f" "ELF", 4) != 0)
			continue;       /* a data file, not a program */
		if (program_add(&t->program[t->count], &in[i]) != 0) {
			free(t);
			return NULL;
		}
		t->count++;
	}
	*total = sizeof(*t) + (size_t)t->count * sizeof(t->program[0]);
	return t;
}

int main(int argc, char **argv)
{
	struct bootimg check;
	struct bootprog_table *table = NULL;
	const char *table_path = NULL;
	struct input *in;
	unsigned char *img = NULL;
	unsigned count, i, j;
	size_t total = 0, table_size = 0;
	int status = 1;

	if (argc >= 3 && strcmp(argv[1], "-p") == 0) {
		table_path = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: mkbootimg [-p TABLE] OUTPUT FILE...\n"
			"  FILE is NAME=PATH, or PATH (named after its last "
			"component)\n  -p TABLE also writes the program table "
			"the kernel starts root from\n");
		return 1;
	}
	if ((unsigned long)(argc - 2) > BOOTIMG_MAX_COUNT) {
		fprintf(stderr, "mkbootimg: %d files, at most %u fit\n",
			argc - 2, BOOTIMG_MAX_COUNT);
		return 1;
	}
	count = (unsigned)(argc - 2);
	in = calloc(count, sizeof(*in));
	if (in == NULL) {
		fprintf(stderr, "mkbootimg: out of memory\n");
		return 1;
	}
	for (i = 0; i < count; i++) {
		if (input_name(&in[i], argv[i + 2]) != 0)
			goto out;
		for (j = 0; j < i; j++) {
			if (strcmp(in[i].name, in[j].name) == 0) {
				fprintf(stderr, "mkbootimg: duplicate name '%s' "
					"(%s and %s)\n", in[i].name,
					argv[j + 2], argv[i + 2]);
				goto out;
			}
		}
	}
	for (i = 0; i < count; i++) {
		if (input_read(&in[i]) != 0)
			goto out;
	}
	img = image_build(in, count, &total);
	if (img == NULL)
		goto out;
	/* Never ship an image the kernel would refuse. */
	if (bootimg_open(&check, img, total) != ERR_OK ||
	    bootimg_count(&check) != count) {
		fprintf(stderr, "mkbootimg: internal error: built image does "
			"not pass bootimg_open\n");
		goto out;
	}
	if (table_path) {
		table = table_build(in, count, &table_size);
		if (table == NULL || image_write(table_path, (unsigned char *)table, table_size) != 0)
			goto out;
	}
	if (image_write(argv[1], img, total) != 0)
		goto out;
	status = 0;
out:
	free(table);
	for (i = 0; i < count; i++)
		free(in[i].data);
	free(in);
	free(img);
	return status;
}
