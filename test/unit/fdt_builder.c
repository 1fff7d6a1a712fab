/*
 * fdt_builder.c - in-memory DTB writer for host tests (see fdt_builder.h).
 *
 * Lays a blob out the way dtc does: header, reservation block at offset 40,
 * structure block, strings block, all big-endian. It checks nothing: tests
 * use it to make broken trees on purpose.
 */
#include "fdt_builder.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define FDTB_HEADER 40

static void *fdtb_grow(void *p, size_t *cap, size_t need)
{
	size_t n = *cap ? *cap : 256;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	p = realloc(p, n);
	if (!p)
		abort();
	*cap = n;
	return p;
}

static void fdtb_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

void fdtb_init(struct fdtb *b)
{
	memset(b, 0, sizeof(*b));
}

void fdtb_free(struct fdtb *b)
{
	free(b->st);
	free(b->str);
	free(b->blob);
	memset(b, 0, sizeof(*b));
}

void fdtb_bytes(struct fdtb *b, const void *p, size_t n)
{
	b->st = fdtb_grow(b->st, &b->st_cap, b->st_len + n + 4);
	memcpy(b->st + b->st_len, p, n);
	b->st_len += n;
	/* Pad with zeros to the next token boundary. */
	while (b->st_len % 4)
		b->st[b->st_len++] = 0;
}

void fdtb_u32(struct fdtb *b, uint32_t v)
{
	uint8_t w[4];

	fdtb_put32(w, v);
	fdtb_bytes(b, w, 4);
}

uint32_t fdtb_string(struct fdtb *b, const char *name)
{
	size_t off = 0, n = strlen(name) + 1;

	while (off < b->str_len) {
		if (strcmp(b->str + off, name) == 0)
			return off;
		off += strlen(b->str + off) + 1;
	}
	b->str = fdtb_grow(b->str, &b->str_cap, b->str_len + n);
	memcpy(b->str + b->str_len, name, n);
	b->str_len += n;
	return off;
}

void fdtb_begin_node(struct fdtb *b, const char *name)
{
	fdtb_u32(b, 1);
	fdtb_bytes(b, name, strlen(name) + 1);
}

void fdtb_end_node(struct fdtb *b)
{
	fdtb_u32(b, 2);
}

void fdtb_nop(struct fdtb *b)
{
	fdtb_u32(b, 4);
}

void fdtb_prop_raw(struct fdtb *b, uint32_t len, uint32_t nameoff,
		   const void *val, size_t vlen)
{
	fdtb_u32(b, 3);
	fdtb_u32(b, len);
	fdtb_u32(b, nameoff);
	if (vlen)
		fdtb_bytes(b, val, vlen);
}

void fdtb_prop(struct fdtb *b, const char *name, const void *val, uint32_t len)
{
	fdtb_prop_raw(b, len, fdtb_string(b, name), val, len);
}

void fdtb_prop_u32(struct fdtb *b, const char *name, uint32_t v)
{
	fdtb_prop_cells(b, name, 1, v);
}

void fdtb_prop_str(struct fdtb *b, const char *name, const char *s)
{
	fdtb_prop(b, name, s, strlen(s) + 1);
}

void fdtb_prop_empty(struct fdtb *b, const char *name)
{
	fdtb_prop(b, name, NULL, 0);
}

void fdtb_prop_cells(struct fdtb *b, const char *name, unsigned n, ...)
{
	uint8_t buf[64 * 4];
	va_list ap;
	unsigned i;

	if (n > 64)
		abort();
	va_start(ap, n);
	for (i = 0; i < n; i++)
		fdtb_put32(buf + 4 * i, va_arg(ap, uint32_t));
	va_end(ap);
	fdtb_prop(b, name, buf, 4 * n);
}

void fdtb_rsv(struct fdtb *b, uint64_t addr, uint64_t size)
{
	if (b->nrsv >= 32)
		abort();
	b->rsv[b->nrsv][0] = addr;
	b->rsv[b->nrsv][1] = size;
	b->nrsv++;
}

size_t fdtb_layout(struct fdtb *b)
{
	size_t rsv_len = (b->nrsv + 1) * 16;
	size_t off_st = FDTB_HEADER + rsv_len;
	size_t off_str = off_st + b->st_len;
	size_t total = off_str + b->str_len;
	uint8_t *p;
	unsigned i;

	free(b->blob);
	p = calloc(1, total);
	if (!p)
		abort();
	fdtb_put32(p + FDTB_MAGIC, 0xd00dfeed);
	fdtb_put32(p + FDTB_TOTALSIZE, total);
	fdtb_put32(p + FDTB_OFF_STRUCT, off_st);
	fdtb_put32(p + FDTB_OFF_STRINGS, off_str);
	fdtb_put32(p + FDTB_OFF_RSVMAP, FDTB_HEADER);
	fdtb_put32(p + FDTB_VERSION, 17);
	fdtb_put32(p + FDTB_LAST_COMP, 16);
	fdtb_put32(p + FDTB_BOOT_CPU, 0);
	fdtb_put32(p + FDTB_SIZE_STRINGS, b->str_len);
	fdtb_put32(p + FDTB_SIZE_STRUCT, b->st_len);
	for (i = 0; i < b->nrsv; i++) {
		uint8_t *e = p + FDTB_HEADER + 16 * i;

		fdtb_put32(e, b->rsv[i][0] >> 32);
		fdtb_put32(e + 4, b->rsv[i][0]);
		fdtb_put32(e + 8, b->rsv[i][1] >> 32);
		fdtb_put32(e + 12, b->rsv[i][1]);
	}
	if (b->st_len)
		memcpy(p + off_st, b->st, b->st_len);
	if (b->str_len)
		memcpy(p + off_str, b->str, b->str_len);
	b->blob = p;
	b->blob_len = total;
	return total;
}

size_t fdtb_finish(struct fdtb *b)
{
	fdtb_u32(b, 9);
	return fdtb_layout(b);
}

void fdtb_set_hdr(struct fdtb *b, enum fdtb_hdr field, uint32_t v)
{
	fdtb_put32(b->blob + field, v);
}

uint32_t fdtb_get_hdr(const struct fdtb *b, enum fdtb_hdr field)
{
	const uint8_t *p = b->blob + field;

	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}
