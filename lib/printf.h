/*
 * printf.h - formatted output for user programs, to the kernel's debug
 * console (until the console server exists). Output is built in a small
 * buffer and written with one system call per line or per full buffer.
 */
#ifndef MICA_PRINTF_H
#define MICA_PRINTF_H

#include <stdarg.h>

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);

#endif /* MICA_PRINTF_H */
