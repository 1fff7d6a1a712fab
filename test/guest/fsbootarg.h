/*
 * fsbootarg.h - the number in boot argument `key`=N, for the guest tests
 * that play root (the boot info carries the kernel's command line).
 */
#ifndef MICA_FSBOOTARG_H
#define MICA_FSBOOTARG_H

#include "bootinfo.h"
#include "machine.h"

static inline unsigned long fsbootarg(const struct bootinfo *bi, const char *key,
				      unsigned long fallback)
{
	struct machine m = { .bootargs = bi->bootargs };
	char value[24];
	unsigned long n = 0;
	const char *p;

	if (!machine_bootarg(&m, key, value, sizeof(value)))
		return fallback;
	for (p = value; *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (unsigned long)(*p - '0');
	return n;
}

#endif /* MICA_FSBOOTARG_H */
