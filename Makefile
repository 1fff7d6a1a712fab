# Mica - the one Makefile (DESIGN §3, STYLE 11).
#
# Everything is built from this directory into build/, from explicit source
# lists in the fragments kernel/kernel.mk, user/user.mk, lib/lib.mk and
# test/test.mk. `make help` lists the targets. The two commands a newcomer
# needs, `make qemu` and `make test`, first run tools/deps.sh, which installs
# whatever is missing, and then run make once more: the toolchain they detect
# below may not have existed when this file was first read.

SHELL := /bin/bash
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

B := build

# V=1 shows every command.
V ?= 0
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-8s %s\n' '$(1)' '$(2)';
endif

# --- tools -------------------------------------------------------------------
# The RISC-V cross toolchain: the first prefix that has a gcc, unless given.
TOOLPREFIXES := riscv64-unknown-elf- riscv64-linux-gnu- riscv64-elf- riscv64-none-elf-
TOOLPREFIX ?= $(firstword $(foreach p,$(TOOLPREFIXES),$(if $(shell command -v $(p)gcc 2>/dev/null),$(p))))
CC      := $(TOOLPREFIX)gcc
OBJCOPY := $(TOOLPREFIX)objcopy
OBJDUMP := $(TOOLPREFIX)objdump
NM      := $(TOOLPREFIX)nm
AR      := $(TOOLPREFIX)ar
HOSTCC  ?= gcc
PYTHON  ?= python3
QEMU    ?= qemu-system-riscv64
GDB     ?= $(firstword $(foreach g,gdb-multiarch riscv64-elf-gdb riscv64-unknown-elf-gdb,$(if $(shell command -v $(g) 2>/dev/null),$(g))) gdb-multiarch)

# OpenSBI's fw_jump from the distribution, else QEMU's bundled firmware.
BIOS_CANDIDATES := /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin \
                   /usr/share/opensbi/lp64/generic/firmware/fw_jump.bin
BIOS ?= $(firstword $(wildcard $(BIOS_CANDIDATES)) default)

# --- flags -------------------------------------------------------------------
# Older toolchains do not know the zicsr/zifencei extension names.
MARCH := $(shell $(CC) -march=rv64imac_zicsr_zifencei -mabi=lp64 -x c -c -o /dev/null /dev/null 2>/dev/null \
           && echo rv64imac_zicsr_zifencei || echo rv64imac)
TARGET_FLAGS := -march=$(MARCH) -mabi=lp64 -mcmodel=medany
WARNINGS     := -Wall -Wextra -Werror
# Frame pointers stay and calls in tail position keep their frames, so a
# panic can print every caller in its backtrace.
CFLAGS := -std=c11 -O2 -g $(WARNINGS) $(TARGET_FLAGS) -ffreestanding -fno-builtin \
          -fno-omit-frame-pointer -fno-optimize-sibling-calls -fno-stack-protector -fno-pie -fno-common \
          -MMD -MP
LDFLAGS := $(TARGET_FLAGS) -nostdlib -static -no-pie -Wl,--build-id=none
LIBGCC  = $(shell $(CC) $(TARGET_FLAGS) -print-libgcc-file-name)

HOST_CFLAGS := -std=c11 -O1 -g $(WARNINGS) -MMD -MP

# Objects depend on this file, which changes only when the flags or the
# toolchain do: changing them rebuilds everything, and nothing else does.
FLAGS_STAMP := $(B)/flags.txt
FLAGS_NOW := $(TOOLPREFIX) $(CFLAGS) $(HOST_CFLAGS)
$(shell mkdir -p $(B) && { [ "$$(cat $(FLAGS_STAMP) 2>/dev/null)" = "$(FLAGS_NOW)" ] || echo "$(FLAGS_NOW)" > $(FLAGS_STAMP); })

# --- running -----------------------------------------------------------------
CPUS ?= 1
MEM  ?= 128M
ARGS ?=
GDBPORT ?= $(shell expr $$(id -u) % 5000 + 25000)
QEMU_FLAGS = -machine virt -bios $(BIOS) -kernel $(KERNEL_ELF) -m $(MEM) -smp $(CPUS) \
             -nographic -append "$(ARGS)" $(DISK_FLAGS)

# The disk: build/fs.img as a modern (version 2) virtio-blk device in
# virtio-mmio slot 0, which the boot info calls virtio0 (irq 1): a file
# system made by tools/mkfs (user/user.mk) holding the user programs and
# the README. `make qemu` boots a copy, build/disk.img, made again only
# when fs.img changes: what you write there stays from one run to the
# next, and fs.img stays as mkfs made it for the tests and make bench.
FS_IMG := $(B)/fs.img
QEMU_DISK := $(B)/disk.img
DISK_FLAGS = -global virtio-mmio.force-legacy=false \
             -drive file=$(QEMU_DISK),if=none,format=raw,id=x0 \
             -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0

include lib/lib.mk
include user/user.mk
include user/xv6.mk
include kernel/kernel.mk
include test/test.mk
include labs/labs.mk

.PHONY: all deps qemu run-qemu qemu-gdb gdb test clean help compile_commands.json
all: $(KERNEL_ELF) $(MKBOOTIMG)

deps:
	$(Q)tools/deps.sh

qemu:
	$(Q)tools/deps.sh
	$(Q)$(MAKE) --no-print-directory run-qemu

# Ctrl-A X leaves QEMU; the kernel also powers off when its last thread ends.
# Input piped in (printf 'ls\n' | make qemu) waits a second: OpenSBI
# resets the UART's FIFO as it starts, and would lose what came before.
$(QEMU_DISK): $(FS_IMG)
	$(Q)cp $< $@

run-qemu: $(KERNEL_ELF) $(QEMU_DISK)
	$(Q)if [ -t 0 ]; then $(QEMU) $(QEMU_FLAGS); else { sleep 1; cat; } | $(QEMU) $(QEMU_FLAGS); fi

qemu-gdb: $(KERNEL_ELF) $(QEMU_DISK)
	@echo "QEMU waits for a debugger: run 'make gdb' in another terminal (port $(GDBPORT))."
	$(Q)$(QEMU) $(QEMU_FLAGS) -S -gdb tcp::$(GDBPORT)

gdb: $(KERNEL_ELF)
	$(Q)$(GDB) -q -x tools/gdbinit -ex 'target remote :$(GDBPORT)' $(KERNEL_ELF)

test:
	$(Q)tools/deps.sh
	$(Q)$(MAKE) --no-print-directory check

clean:
	rm -rf $(B) compile_commands.json


# For clangd: one entry per C file, with the flags it is really built with.
compile_commands.json:
	$(Q){ echo '['; \
	  $(call ccjson,$(KERNEL_C_SRCS),$(CC) $(KERNEL_CFLAGS)) \
	  $(call ccjson,$(USER_C_SRCS),$(CC) $(USER_CFLAGS)) \
	  $(call ccjson,$(UNIT_C_SRCS),$(HOSTCC) $(UNIT_CFLAGS)) \
	  echo; echo ']'; } > $@
	@echo "wrote $@"
# Shell text that prints one JSON entry per file in $(1), compiled by
# command $(2); entries after the first start with a comma.
ccjson = for f in $(1); do printf '%s{"directory": "%s", "file": "%s", "command": "%s -c %s"}' \
           "$${sep:-}" "$(CURDIR)" "$$f" "$(strip $(2))" "$$f"; sep=$$',\n'; done;

help:
	@echo "Mica make targets:"
	@echo "  make qemu        install what is missing, build, boot Mica in QEMU (Ctrl-A X quits)"
	@echo "  make test        install what is missing, build, run every test"
	@echo "  make             build build/kernel.elf"
	@echo "  make check       run every test (no install step)"
	@echo "  make unit        host unit tests (Criterion) only"
	@echo "  make unit-select TESTS='cap/*'   some of them, by Criterion pattern"
	@echo "  make qemu-tests  QEMU integration tests only"
	@echo "  make bench       instructions per kernel operation (QEMU -icount), against the baseline"
	@echo "  make bench-baseline  rewrite test/bench/baseline.json from a fresh make bench"
	@echo "  make test-faults N=1000  make servers die N times under load; faults, restarts, data errors, panics"
	@echo "  make qemu-gdb    boot QEMU stopped, waiting for 'make gdb'"
	@echo "  make gdb         attach gdb-multiarch with the kernel's symbols"
	@echo "  make deps        check and install the tools Mica needs"
	@echo "  make compile_commands.json   for clangd"
	@echo "  make grade LAB=n      grade lab n in this tree: one line per test, then Score: X/Y"
	@echo "  make handout LAB=n    teachers: cut lab n's handout into build/handout/"
	@echo "  make gradescope LAB=n teachers: lab n's Gradescope autograder in build/gradescope/"
	@echo "  make lint-labs        check the lab markers and lab files (labs/README.md)"
	@echo "  make clean       remove build/"
	@echo "Variables: V=1 (show commands), CPUS=n, MEM=128M, ARGS='root=NAME' (boot arguments),"
	@echo "           TOOLPREFIX=riscv64-unknown-elf- (cross toolchain), QEMU=..., BIOS=..."
