/*
 * printf.h - formatted output for user programs, to the kernel's debug
 * console, or to the console server once a program says so. Output is
 * built in a small buffer and written once per line or per full buffer.
 */
#ifndef MICA_PRINTF_H
#define MICA_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
/* From now on, write each line with output(ctx, buf, len) instead of
 * debug_write (NULL: back to debug_write). A console client calls it. */
void printf_set_output(int (*output)(void *ctx, const void *buf, size_t len), void *ctx);

#endif /* MICA_PRINTF_H */
