/*
 * fsckcore.c - the image checker (fsckcore.h).
 *
 * It shares no code with the fs but the layout in fs_format.h: a bug in the
 * fs must not hide itself from its checker. Four passes: the superblock and
 * the log; every inode's block map (claiming each block for one owner); the
 * bitmap against the claims; the directory tree from the root, breadth
 * first with a queue (never recursion, so a looped image cannot overflow
 * anything), counting the entries that name each inode.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fs_format.h"
#include "fsckcore.h"

#define FSCK_SHOWN_PER_KIND 10         /* lines printed per kind; the rest are counted */
#define FSCK_METADATA       UINT32_MAX /* owner of the blocks before the data area */

static const char *const fsck_kind_names[FSCK_KINDS] = {
	"superblock", "log", "inode", "pointer", "duplicate block", "bitmap",
	"directory entry", "tree", "link count",
};

struct fsck {
	uint8_t *image;
	const struct fs_superblock *sb;
	struct fsck_report *r;
	FILE *out;
	uint32_t *owner;       /* per block: the inode that uses it, FSCK_METADATA, or 0 */
	uint32_t *refs;        /* per inode: entries naming it (but ".") */
	uint32_t *parent;      /* per directory: the one whose entry names it */
	uint8_t *seen;         /* per inode: reached from the root */
};

const char *fsck_kind_name(enum fsck_kind kind)
{
	return kind < FSCK_KINDS ? fsck_kind_names[kind] : "?";
}

__attribute__((format(printf, 3, 4)))
static void fsck_problem(struct fsck *f, enum fsck_kind kind, const char *fmt, ...)
{
	va_list ap;

	f->r->total++;
	if (++f->r->problems[kind] > FSCK_SHOWN_PER_KIND || !f->out)
		return;
	va_start(ap, fmt);
	fprintf(f->out, "fsck: %s: ", fsck_kind_names[kind]);
	vfprintf(f->out, fmt, ap);
	fputc('\n', f->out);
	va_end(ap);
}

static uint8_t *fsck_block(struct fsck *f, uint32_t b)
{
	return f->image + (size_t)b * FS_BSIZE;
}

static struct fs_dinode *fsck_dinode(struct fsck *f, uint32_t inum)
{
	return (struct fs_dinode *)fsck_block(f, fs_inode_block(f->sb, inum)) + inum % FS_IPB;
}

static int fsck_super(struct fsck *f, uint32_t nblocks)
{
	const struct fs_superblock *sb = f->sb;
	uint64_t iblocks = ((uint64_t)sb->ninodes + FS_IPB - 1) / FS_IPB;
	uint64_t bblocks = ((uint64_t)sb->size + FS_BSIZE * 8 - 1) / (FS_BSIZE * 8);

	if (nblocks <= FS_SUPER_BLOCK || sb->magic != FS_MAGIC || sb->version != FS_VERSION)
		fsck_problem(f, FSCK_SUPER, "not a Mica file system (magic or version)");
	else if (sb->size > nblocks)
		fsck_problem(f, FSCK_SUPER, "%u blocks, but the image has %u", sb->size, nblocks);
	else if (sb->ninodes <= FS_ROOT_INUM || sb->ninodes > FS_MAX_INODES + 1)
		fsck_problem(f, FSCK_SUPER, "%u inodes", sb->ninodes);
	else if (sb->nlog < 2 || sb->logstart <= FS_SUPER_BLOCK ||
		 (uint64_t)sb->logstart + sb->nlog > sb->inodestart ||
		 sb->inodestart + iblocks > sb->bmapstart || sb->bmapstart + bblocks > sb->datastart ||
		 sb->datastart >= sb->size || sb->nblocks != sb->size - sb->datastart)
		fsck_problem(f, FSCK_SUPER, "regions overlap or leave the disk (log %u+%u, inodes %u, "
			     "bitmap %u, data %u..%u)", sb->logstart, sb->nlog, sb->inodestart,
			     sb->bmapstart, sb->datastart, sb->size);
	else
		return 1;
	return 0;
}

/* Replay a committed transaction in memory; 0 if the header is unusable. */
static int fsck_log(struct fsck *f)
{
	const struct fs_logheader *h = (const struct fs_logheader *)fsck_block(f, f->sb->logstart);
	uint32_t cap = f->sb->nlog - 1 < FS_LOGSIZE ? f->sb->nlog - 1 : FS_LOGSIZE, i;

	if (h->n > cap) {
		fsck_problem(f, FSCK_LOG, "the header lists %u blocks; the log holds %u", h->n, cap);
		return 0;
	}
	for (i = 0; i < h->n; i++)
		if (h->block[i] < f->sb->inodestart || h->block[i] >= f->sb->size) {
			fsck_problem(f, FSCK_LOG, "entry %u names block %u, outside inodes..end", i,
				     h->block[i]);
			return 0;
		}
	for (i = 0; i < h->n; i++)
		memcpy(fsck_block(f, h->block[i]), fsck_block(f, f->sb->logstart + 1 + i), FS_BSIZE);
	f->r->log_blocks = h->n;
	if (h->n && f->out)
		fprintf(f->out, "fsck: the log holds a committed transaction of %u blocks: replayed\n",
			h->n);
	return 1;
}

/* Claim block b for inode inum (at file block fb, or an index block). */
static int fsck_claim(struct fsck *f, uint32_t inum, uint32_t b, const char *what)
{
	if (!fs_block_is_data(f->sb, b)) {
		fsck_problem(f, FSCK_POINTER, "inode %u: %s block %u is outside the data area", inum,
			     what, b);
		return 0;
	}
	if (f->owner[b]) {
		fsck_problem(f, FSCK_DUP, "block %u: used by inode %u and by inode %u (%s)", b,
			     f->owner[b], inum, what);
		return 0;
	}
	f->owner[b] = inum;
	f->r->used_blocks++;
	return 1;
}

/* A data block of inode inum at file block fb, within a file of `blocks`. */
static void fsck_data(struct fsck *f, uint32_t inum, uint64_t fb, uint64_t blocks, uint32_t b)
{
	if (b == 0)
		return;
	if (fb >= blocks)
		fsck_problem(f, FSCK_INODE, "inode %u: block %u at %lu, past the end of the file", inum,
			     b, (unsigned long)fb);
	fsck_claim(f, inum, b, "data");
}

/* Every block of inode inum. */
static void fsck_blocks(struct fsck *f, uint32_t inum, const struct fs_dinode *d)
{
	uint64_t blocks = (d->size + FS_BSIZE - 1) / FS_BSIZE, fb;
	uint32_t i, j, *ind, *dind;

	for (i = 0; i < FS_NDIRECT; i++)
		fsck_data(f, inum, i, blocks, d->addrs[i]);
	if (d->addrs[FS_ADDR_IND] && fsck_claim(f, inum, d->addrs[FS_ADDR_IND], "indirect")) {
		ind = (uint32_t *)fsck_block(f, d->addrs[FS_ADDR_IND]);
		for (i = 0; i < FS_NINDIRECT; i++)
			fsck_data(f, inum, FS_NDIRECT + i, blocks, ind[i]);
	}
	if (!d->addrs[FS_ADDR_DIND] || !fsck_claim(f, inum, d->addrs[FS_ADDR_DIND], "doubly indirect"))
		return;
	dind = (uint32_t *)fsck_block(f, d->addrs[FS_ADDR_DIND]);
	for (i = 0; i < FS_NINDIRECT; i++) {
		if (!dind[i] || !fsck_claim(f, inum, dind[i], "indirect"))
			continue;
		ind = (uint32_t *)fsck_block(f, dind[i]);
		for (j = 0; j < FS_NINDIRECT; j++) {
			fb = FS_NDIRECT + FS_NINDIRECT + (uint64_t)i * FS_NINDIRECT + j;
			fsck_data(f, inum, fb, blocks, ind[j]);
		}
	}
}

static void fsck_inodes(struct fsck *f)
{
	uint32_t inum;

	for (inum = 1; inum < f->sb->ninodes; inum++) {
		struct fs_dinode *d = fsck_dinode(f, inum);

		if (d->type == FS_T_FREE)
			continue;
		if (d->type >= FS_T_COUNT) {
			fsck_problem(f, FSCK_INODE, "inode %u: type %u", inum, d->type);
			continue;
		}
		if (d->size > (uint64_t)FS_MAXFILE * FS_BSIZE)
			fsck_problem(f, FSCK_INODE, "inode %u: size %lu, over the largest file", inum,
				     (unsigned long)d->size);
		else if (d->type == FS_T_SYMLINK && (d->size == 0 || d->size >= FS_MAXPATH))
			fsck_problem(f, FSCK_INODE, "inode %u: a symbolic link of %lu bytes", inum,
				     (unsigned long)d->size);
		else if (d->type == FS_T_DIR && d->size > FS_MAXDIRSIZE)
			fsck_problem(f, FSCK_INODE, "directory %u: size %lu, over the largest directory",
				     inum, (unsigned long)d->size);
		else if (d->type == FS_T_DIR && d->size % sizeof(struct fs_dirent))
			fsck_problem(f, FSCK_DIRENT, "directory %u: size %lu is not whole entries", inum,
				     (unsigned long)d->size);
		fsck_blocks(f, inum, d);
	}
}

static int fsck_bit(struct fsck *f, uint32_t b)
{
	return fsck_block(f, fs_bitmap_block(f->sb, b))[b % (FS_BSIZE * 8) / 8] >> (b % 8) & 1;
}

static void fsck_bitmap(struct fsck *f)
{
	uint32_t b;

	for (b = 0; b < f->sb->size; b++) {
		int used = b < f->sb->datastart || f->owner[b] != 0;

		if (used && !fsck_bit(f, b))
			fsck_problem(f, FSCK_BITMAP, "block %u is in use but marked free", b);
		else if (!used && fsck_bit(f, b))
			fsck_problem(f, FSCK_BITMAP, "block %u is marked used but nothing uses it", b);
	}
}

/* The disk block of file block fb of d, 0 for a hole or a bad pointer
 * (those were reported by the inode pass). */
static uint32_t fsck_map(struct fsck *f, const struct fs_dinode *d, uint64_t fb)
{
	uint32_t b = 0, index;

	if (fb < FS_NDIRECT) {
		b = d->addrs[fb];
	} else if ((fb -= FS_NDIRECT) < FS_NINDIRECT) {
		if (fs_block_is_data(f->sb, d->addrs[FS_ADDR_IND]))
			b = ((uint32_t *)fsck_block(f, d->addrs[FS_ADDR_IND]))[fb];
	} else if ((fb -= FS_NINDIRECT) < (uint64_t)FS_NINDIRECT * FS_NINDIRECT &&
		   fs_block_is_data(f->sb, d->addrs[FS_ADDR_DIND])) {
		index = ((uint32_t *)fsck_block(f, d->addrs[FS_ADDR_DIND]))[fb / FS_NINDIRECT];
		if (fs_block_is_data(f->sb, index))
			b = ((uint32_t *)fsck_block(f, index))[fb % FS_NINDIRECT];
	}
	return fs_block_is_data(f->sb, b) ? b : 0;
}

/* Whether an entry's name is 1..14 bytes without '/', nul-padded. */
static int fsck_name_ok(const struct fs_dirent *e)
{
	size_t len = strnlen(e->name, FS_DIRSIZ), i;

	if (len == 0 || memchr(e->name, '/', len))
		return 0;
	for (i = len; i < FS_DIRSIZ; i++)
		if (e->name[i])
			return 0;
	return 1;
}

/* Check directory dir's entries; queue the directories it names. */
static void fsck_dir(struct fsck *f, uint32_t dir, uint32_t *queue, uint32_t *tail)
{
	const struct fs_dinode *d = fsck_dinode(f, dir);
	uint64_t n = d->size / sizeof(struct fs_dirent), k, m;
	const struct fs_dirent *e, *other;

	for (k = 0; k < n; k++) {
		uint32_t b = fsck_map(f, d, k / FS_DPB);
		int dot, dotdot;

		if (!b) {
			if (k < 2)
				fsck_problem(f, FSCK_DIRENT, "directory %u: no \".\" or \"..\"", dir);
			k += FS_DPB - 1 - k % FS_DPB;          /* a hole: skip the block */
			continue;
		}
		e = (const struct fs_dirent *)fsck_block(f, b) + k % FS_DPB;
		dot = strncmp(e->name, ".", FS_DIRSIZ) == 0;
		dotdot = strncmp(e->name, "..", FS_DIRSIZ) == 0;
		if ((k == 0 && (!dot || e->inum != dir)) ||
		    (k == 1 && (!dotdot || e->inum != f->parent[dir]))) {
			fsck_problem(f, FSCK_DIRENT, "directory %u: entry %lu should be \"%s\" -> %u", dir,
				     (unsigned long)k, k ? ".." : ".", k ? f->parent[dir] : dir);
			continue;
		}
		if (e->inum == 0)
			continue;
		if (!fsck_name_ok(e) || (k > 1 && (dot || dotdot))) {
			fsck_problem(f, FSCK_DIRENT, "directory %u: entry %lu has a bad name", dir,
				     (unsigned long)k);
			continue;
		}
		if (e->inum >= f->sb->ninodes || fsck_dinode(f, e->inum)->type == FS_T_FREE ||
		    fsck_dinode(f, e->inum)->type >= FS_T_COUNT) {
			fsck_problem(f, FSCK_DIRENT, "directory %u: \"%.14s\" names inode %u, which is "
				     "not in use", dir, e->name, e->inum);
			continue;
		}
		for (m = (k / FS_DPB) * FS_DPB; m < k; m++) {   /* duplicates within the block */
			other = (const struct fs_dirent *)fsck_block(f, b) + m % FS_DPB;
			if (other->inum && strncmp(other->name, e->name, FS_DIRSIZ) == 0)
				fsck_problem(f, FSCK_DIRENT, "directory %u: \"%.14s\" appears twice", dir,
					     e->name);
		}
		if (dot)
			continue;
		f->refs[e->inum]++;
		f->seen[e->inum] = 1;
		if (dotdot || fsck_dinode(f, e->inum)->type != FS_T_DIR)
			continue;
		if (f->parent[e->inum]) {
			fsck_problem(f, FSCK_TREE, "directory %u is named in directories %u and %u (a loop "
				     "or a second name)", e->inum, f->parent[e->inum], dir);
			continue;
		}
		f->parent[e->inum] = dir;
		queue[(*tail)++] = e->inum;
	}
}

static void fsck_tree(struct fsck *f)
{
	uint32_t *queue = calloc(f->sb->ninodes, sizeof(uint32_t)), head = 0, tail = 0, inum;

	if (fsck_dinode(f, FS_ROOT_INUM)->type != FS_T_DIR) {
		fsck_problem(f, FSCK_TREE, "the root (inode %u) is not a directory", FS_ROOT_INUM);
		free(queue);
		return;
	}
	f->parent[FS_ROOT_INUM] = FS_ROOT_INUM;
	f->seen[FS_ROOT_INUM] = 1;
	queue[tail++] = FS_ROOT_INUM;
	while (head < tail)
		fsck_dir(f, queue[head++], queue, &tail);
	free(queue);
	for (inum = 1; inum < f->sb->ninodes; inum++) {
		const struct fs_dinode *d = fsck_dinode(f, inum);

		if (d->type == FS_T_FREE || d->type >= FS_T_COUNT)
			continue;
		if (!f->seen[inum] && d->nlink == 0) {
			f->r->orphans++;
			if (f->out)
				fprintf(f->out, "fsck: inode %u has no links: an orphan the next mount frees\n",
					inum);
			continue;
		}
		if (!f->seen[inum])
			fsck_problem(f, FSCK_TREE, "inode %u (type %u) is in no directory", inum, d->type);
		else if (d->nlink != f->refs[inum])
			fsck_problem(f, FSCK_NLINK, "inode %u: link count %u, but %u entries name it",
				     inum, d->nlink, f->refs[inum]);
		f->r->files += d->type == FS_T_FILE;
		f->r->dirs += d->type == FS_T_DIR;
		f->r->devices += d->type == FS_T_DEVICE;
		f->r->symlinks += d->type == FS_T_SYMLINK;
	}
}

unsigned fsck_image(uint8_t *image, uint32_t nblocks, struct fsck_report *r, FILE *out)
{
	struct fs_superblock sb;
	struct fsck f = { .image = image, .sb = &sb, .r = r, .out = out };

	memset(r, 0, sizeof(*r));
	memset(&sb, 0, sizeof(sb));
	if (nblocks > FS_SUPER_BLOCK)
		memcpy(&sb, image + FS_SUPER_BLOCK * FS_BSIZE, sizeof(sb));
	if (!fsck_super(&f, nblocks) || !fsck_log(&f))
		return r->total;
	f.owner = calloc(sb.size, sizeof(uint32_t));
	f.refs = calloc(sb.ninodes, sizeof(uint32_t));
	f.parent = calloc(sb.ninodes, sizeof(uint32_t));
	f.seen = calloc(sb.ninodes, 1);
	if (f.owner && f.refs && f.parent && f.seen) {
		uint32_t b;

		for (b = 0; b < sb.datastart; b++)
			f.owner[b] = FSCK_METADATA;
		fsck_inodes(&f);
		fsck_bitmap(&f);
		fsck_tree(&f);
	} else {
		fsck_problem(&f, FSCK_SUPER, "out of memory for %u blocks", sb.size);
	}
	free(f.owner);
	free(f.refs);
	free(f.parent);
	free(f.seen);
	return r->total;
}
