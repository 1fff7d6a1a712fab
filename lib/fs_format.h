/*
 * fs_format.h - the file system's layout on disk (docs/fs.md), shared by the
 * fs server (user/fs/), mkfs and fsck (tools/).
 *
 * The disk is an array of FS_BSIZE-byte blocks:
 *   [ 0: unused | 1: superblock | log: header + data | inodes | bitmap | data ]
 * Every block number read from the disk is an allegation until checked: code
 * that follows one must range-check it against the superblock first
 * (fs_block_is_data() and friends), because the image may be damaged.
 * Little-endian, fixed-width fields only: the host tools and the guest read
 * the same bytes.
 */
#ifndef MICA_FS_FORMAT_H
#define MICA_FS_FORMAT_H

#include <stdint.h>

/* 4 KiB blocks: a block is one page, so one virtio request and one frame
 * carry a whole block, and a 128-byte inode with 4-byte pointers reaches 4 GiB
 * through one doubly indirect block. */
#define FS_BSIZE        4096u
#define FS_SECTOR_SIZE  512u          /* the disk writes this much atomically */
#define FS_MAGIC        0x3153464du   /* "MFS1", little-endian */
#define FS_VERSION      1u

#define FS_SUPER_BLOCK  1u            /* block 0 is left for a boot loader */
#define FS_ROOT_INUM    1u            /* inode 0 is never used */

/* Inode types (0: free). The first three are xv6's T_DIR, T_FILE, T_DEVICE. */
enum fs_type { FS_T_FREE, FS_T_DIR, FS_T_FILE, FS_T_DEVICE, FS_T_SYMLINK, FS_T_COUNT };

struct fs_superblock {
	uint32_t magic;         /* FS_MAGIC */
	uint32_t version;       /* FS_VERSION */
	uint32_t size;          /* blocks in the image */
	uint32_t nblocks;       /* data blocks: datastart..size-1 */
	uint32_t ninodes;       /* inodes 0..ninodes-1 (0 and unused ones are free) */
	uint32_t nlog;          /* log blocks: the header and nlog-1 data blocks */
	uint32_t logstart;      /* the log header */
	uint32_t inodestart;    /* the first block of inodes */
	uint32_t bmapstart;     /* the first bitmap block: bit b says block b is used */
	uint32_t datastart;     /* the first data block */
};

/* Block map of an inode: NDIRECT direct pointers, one singly indirect block
 * of FS_NINDIRECT pointers, one doubly indirect block of pointers to such
 * blocks. 0 means "no block" (a hole reads as zeros). */
#define FS_NDIRECT     26u
#define FS_NINDIRECT   (FS_BSIZE / sizeof(uint32_t))
#define FS_MAXFILE     (FS_NDIRECT + FS_NINDIRECT + FS_NINDIRECT * FS_NINDIRECT)  /* blocks */
#define FS_ADDR_IND    FS_NDIRECT          /* addrs[] index of the indirect block */
#define FS_ADDR_DIND   (FS_NDIRECT + 1)    /* addrs[] index of the doubly indirect block */

struct fs_dinode {
	uint16_t type;          /* enum fs_type */
	uint16_t major;         /* device files: which device */
	uint16_t minor;
	uint16_t nlink;         /* directory entries naming this inode */
	uint64_t size;          /* bytes */
	uint32_t addrs[FS_NDIRECT + 2];
};
#define FS_IPB         (FS_BSIZE / sizeof(struct fs_dinode))     /* inodes per block */

/* A directory is a file of these; inum 0 marks a free entry. xv6's layout:
 * names are at most FS_DIRSIZ bytes, nul-padded (no nul if exactly 14). */
#define FS_DIRSIZ      14u
struct fs_dirent {
	uint16_t inum;
	char name[FS_DIRSIZ];
};
#define FS_DPB         (FS_BSIZE / sizeof(struct fs_dirent))     /* entries per block */
#define FS_MAX_INODES  65535u              /* what a 16-bit inum reaches */
/* A directory holds at most this many bytes of entries: as many as there
 * can be inodes. A larger size is damage, not a directory to scan. */
#define FS_MAXDIRSIZE  ((uint64_t)(FS_MAX_INODES + 1) * sizeof(struct fs_dirent))

/* The log header, the first block of the log. n blocks are committed when
 * n > 0: log data block i (logstart + 1 + i) belongs at block[i]. The header
 * fits in one sector, so writing it is atomic: that write is the commit. */
#define FS_LOGSIZE     64u                 /* most blocks one transaction may change */
struct fs_logheader {
	uint32_t n;
	uint32_t block[FS_LOGSIZE];
};

/* The longest path a request may carry and the longest symlink target. */
#define FS_MAXPATH     512u
/* Symbolic links followed while resolving one path, at most. */
#define FS_MAXSYMLINKS 8u

/* Where inode inum and the bitmap bit of block b live. */
static inline uint32_t fs_inode_block(const struct fs_superblock *sb, uint32_t inum)
{
	return sb->inodestart + inum / FS_IPB;
}
static inline uint32_t fs_bitmap_block(const struct fs_superblock *sb, uint32_t b)
{
	return sb->bmapstart + b / (FS_BSIZE * 8);
}
/* Whether block number b (from an inode or an indirect block) may be a
 * file's block: inside the data area. */
static inline int fs_block_is_data(const struct fs_superblock *sb, uint32_t b)
{
	return b >= sb->datastart && b < sb->size;
}

#endif /* MICA_FS_FORMAT_H */
