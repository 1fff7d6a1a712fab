/*
 * ls - list each directory named (the current one if none is) as one line
 * per entry: name, type, inode number and size, the columns xv6's ls
 * prints. A file that is not a directory gets its own line. Types are
 * shown as numbers: 1 directory, 2 file, 3 device, 4 symbolic link
 * (kernel/stat.h); a link is listed itself, not the file it names.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/param.h"
#include "user/user.h"

static void ls_line(const char *name, const struct stat *st)
{
	printf("%-14s %d %d %d\n", name, st->type, st->ino, (int)st->size);
}

/* List the entries of the open directory fd, whose path is dir. */
static int ls_dir(int fd, const char *dir)
{
	char path[MAXPATH];
	int dirlen = strlen(dir);
	struct dirent de;
	struct stat st;

	if (dirlen + 1 + DIRSIZ + 1 > MAXPATH) {
		fprintf(2, "ls: path too long: %s\n", dir);
		return -1;
	}
	strcpy(path, dir);
	path[dirlen] = '/';
	while (read(fd, &de, sizeof(de)) == sizeof(de)) {
		char *name = path + dirlen + 1;

		if (de.inum == 0)
			continue;
		memmove(name, de.name, DIRSIZ);
		name[DIRSIZ] = '\0';
		if (lstat(path, &st) < 0) {
			fprintf(2, "ls: cannot stat %s\n", path);
			continue;
		}
		ls_line(name, &st);
	}
	return 0;
}

static int ls(const char *path)
{
	struct stat st;
	int fd, r = 0;

	if (lstat(path, &st) < 0) {
		fprintf(2, "ls: cannot open %s\n", path);
		return -1;
	}
	if (st.type != T_DIR) {
		ls_line(path, &st);
		return 0;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(2, "ls: cannot open %s\n", path);
		return -1;
	}
	r = ls_dir(fd, path);
	close(fd);
	return r;
}

int main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2)
		exit(ls(".") < 0);
	for (int i = 1; i < argc; i++)
		if (ls(argv[i]) < 0)
			status = 1;
	exit(status);
}
