/*
 * log.h - the write-ahead log: every change to the disk is part of one
 * transaction, and a transaction reaches the disk whole or not at all.
 *
 * Rules: log_begin() opens a transaction; every buffer changed after it is
 * handed to log_write() before buf_put(); log_commit() makes all of them
 * durable as one (the fs replies to a request only after that), or
 * log_abort() drops every change and leaves the disk and the cache as they
 * were. One transaction at a time (the fs is one thread). A transaction
 * changes at most log_capacity() distinct blocks; log_write() refuses more.
 */
#ifndef MICA_FS_LOG_H
#define MICA_FS_LOG_H

#include <stdint.h>

#include "bcache.h"
#include "fs_format.h"

/* Start the log of the file system sb describes, replaying a committed
 * transaction the header holds (after a crash). ERR_BAD_FORMAT for a
 * header that names blocks outside the disk or more than the log holds. */
int log_init(const struct fs_superblock *sb);
/* Open a transaction: ERR_IO if an earlier commit failed half-way (the
 * disk is in an unknown state until the fs is mounted again). */
int log_begin(void);
/* Make b part of the open transaction (it stays in the cache until the
 * commit). ERR_NO_SPACE if the transaction would outgrow the log. */
int log_write(struct buf *b);
/* Write the transaction: to the log, then the header (the commit point),
 * then to the blocks' homes, then clear the header. */
int log_commit(void);
void log_abort(void);
/* The most blocks one transaction may change. */
unsigned log_capacity(void);
/* Commits so far (for the bench and the tests). */
unsigned long log_commits(void);

#endif /* MICA_FS_LOG_H */
