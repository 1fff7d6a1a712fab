/*
 * sbi.h - calls into the OpenSBI firmware (the Supervisor Binary Interface).
 *
 * The kernel reaches M-mode only through these: early console, the timer,
 * and system reset. Each returns the SBI error (0 = success) where the spec
 * defines one. Only kernel/riscv/ uses them; generic code calls arch.h.
 */
#ifndef MICA_SBI_H
#define MICA_SBI_H

#include <stdint.h>

void sbi_console_putchar(char c);
void sbi_set_timer(uint64_t deadline);
/* Shut the machine down; `failure` asks the firmware to report a failure.
 * Returns only if the firmware refused. */
long sbi_shutdown(int failure);

#endif /* MICA_SBI_H */
