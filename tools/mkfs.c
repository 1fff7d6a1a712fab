/*
 * mkfs.c - make a file system image (lib/fs_format.h) holding host files.
 *
 *   mkfs IMAGE BLOCKS [-i INODES] [PATH=HOSTFILE]...
 *
 * IMAGE gets BLOCKS blocks of FS_BSIZE bytes, INODES inodes (default
 * 1024) and each HOSTFILE at PATH (relative paths are put in the root,
 * missing directories are made). The files are written through the fs's
 * own code (tools/fsimage.c), so the image is exactly what the fs would
 * have written itself. Exit status 0, or 1 with a message.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "fs_format.h"
#include "fsimage.h"
#include "fsops.h"

/* The whole of a host file, in a new allocation (*size bytes), or NULL. */
static void *mkfs_slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long n;

	if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (data = malloc((size_t)n + 1)) && fread(data, 1, (size_t)n, f) == (size_t)n) {
		*size = (size_t)n;
	} else {
		free(data);
		data = NULL;
	}
	if (f)
		fclose(f);
	return data;
}

static int mkfs_usage(void)
{
	fprintf(stderr, "usage: mkfs IMAGE BLOCKS [-i INODES] [PATH=HOSTFILE]...\n");
	return 1;
}

int main(int argc, char **argv)
{
	unsigned long blocks, inodes = 1024;
	struct ramdisk rd;
	char *end, path[FS_MAXPATH + 1];
	int i, first = 3, err;

	if (argc < 3 || (blocks = strtoul(argv[2], &end, 0)) == 0 || *end || blocks > UINT32_MAX)
		return mkfs_usage();
	if (argc > 4 && strcmp(argv[3], "-i") == 0) {
		inodes = strtoul(argv[4], &end, 0);
		if (*end)
			return mkfs_usage();
		first = 5;
	}
	if (ramdisk_create(&rd, (uint32_t)blocks) != ERR_OK ||
	    (err = fsimage_format(&rd, (uint32_t)inodes)) != ERR_OK) {
		fprintf(stderr, "mkfs: cannot lay out %lu blocks with %lu inodes\n", blocks, inodes);
		return 1;
	}
	for (i = first; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		size_t size = 0;
		void *data;

		if (!eq || eq == argv[i] || (size_t)(eq - argv[i]) >= FS_MAXPATH)
			return mkfs_usage();
		snprintf(path, sizeof(path), "%s%.*s", argv[i][0] == '/' ? "" : "/",
			 (int)(eq - argv[i]), argv[i]);
		if (!(data = mkfs_slurp(eq + 1, &size))) {
			fprintf(stderr, "mkfs: cannot read %s\n", eq + 1);
			return 1;
		}
		err = fsimage_add(path, data, size);
		free(data);
		if (err != ERR_OK) {
			fprintf(stderr, "mkfs: %s: %s (%s)\n", path, err_name(err), err_text(err));
			return 1;
		}
	}
	if (ramdisk_save(&rd, argv[1]) != ERR_OK) {
		fprintf(stderr, "mkfs: cannot write %s\n", argv[1]);
		return 1;
	}
	printf("mkfs: %s: %lu blocks of %u bytes, %lu inodes, %d files\n", argv[1], blocks, FS_BSIZE,
	       inodes, argc - first);
	ramdisk_destroy(&rd);
	return 0;
}
