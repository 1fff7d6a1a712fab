/*
 * dir.h - directories and path names.
 *
 * A directory is a file of struct fs_dirent (fs_format.h); "." and ".."
 * come first. A name is 1..FS_DIRSIZ bytes without '/' or nul. Entries
 * read from the disk are checked: one naming an inode past the table is
 * ERR_BAD_FORMAT. Path resolution is a loop over components with at most
 * FS_MAXSYMLINKS symbolic links followed (then ERR_LOOP); it never
 * recurses. Changes happen inside the caller's transaction (log.h).
 */
#ifndef MICA_FS_DIR_H
#define MICA_FS_DIR_H

#include <stddef.h>
#include <stdint.h>

#include "inode.h"

/* Find name in directory dp: *inum gets its inode, *off (if not NULL) the
 * byte offset of its entry. ERR_NOT_FOUND if absent. */
int dir_lookup(struct inode *dp, const char *name, size_t len, uint32_t *inum, uint64_t *off);
/* Add the entry (name, inum) to dp, reusing a free entry if there is one.
 * ERR_EXISTS if the name is there already. */
int dir_add(struct inode *dp, const char *name, size_t len, uint32_t inum);
/* Clear the entry at byte offset off of dp. */
int dir_remove(struct inode *dp, uint64_t off);
/* ERR_OK if dp holds nothing but "." and "..", else ERR_NOT_EMPTY. */
int dir_check_empty(struct inode *dp);

/* How path_walk treats the path's last component. */
enum path_mode {
	PATH_FOLLOW,       /* the inode it names, following a final symlink */
	PATH_NOFOLLOW,     /* the inode it names, a final symlink itself */
	PATH_PARENT,       /* the directory that holds it, and its name */
};
/* Resolve path[0..len) from directory `start` (or from the root, if it
 * begins with '/'). *inum gets the result; in PATH_PARENT mode, name gets
 * the last component (nul-terminated, FS_DIRSIZ + 1 bytes) and *namelen its
 * length. Errors: ERR_NOT_FOUND (a component is missing, or the path is
 * empty), ERR_NOT_DIRECTORY, ERR_NAME_TOO_LONG (a component over
 * FS_DIRSIZ, or the path over FS_MAXPATH), ERR_LOOP, ERR_INVALID_ARGUMENT
 * (PATH_PARENT of "/", ".", ".."). */
int path_walk(uint32_t start, const char *path, size_t len, enum path_mode mode, uint32_t *inum,
	      char *name, size_t *namelen);

#endif /* MICA_FS_DIR_H */
