# user/user.mk - user programs and the boot image that carries them.
#
# A program is user/NAME/*.c (a server or a tool) or test/guest/NAME.c (a
# program the QEMU tests boot with root=NAME). Each links with the user
# library from lib/. The boot image packs stripped copies of all of them;
# the unstripped ELFs stay in build/user/ for gdb.

USER_PROGS  := root uart lineecho
USER_PROGS  += blk
USER_PROGS  += proc procboot
USER_PROGS  += fs
GUEST_PROGS := test_kaddr test_illegal test_wx test_stack test_badptr test_timer test_exit \
               test_uptime test_caps test_child test_capsbad test_cdt test_sched test_fault \
               test_irq test_fuzz test_ipc test_ipcwait test_fastpath ipc_child bench bench_server \
               test_ipcslow test_wakeup test_console test_conwrite test_reinc
GUEST_PROGS += test_blk bench_blk test_blkload
GUEST_PROGS += test_proc test_shell test_usertests test_crash
GUEST_PROGS += bench_restart
GUEST_PROGS += test_fs test_fscrash test_fsverify bench_fs test_fscorrupt test_fsfaults

USER_CFLAGS = $(CFLAGS) -Ilib

# crt0 starts every program; the rest is an archive, so a program links
# only the library code it uses.
USER_CRT0     := $(B)/user/lib/crt0.o
USER_LIB_OBJS := $(patsubst %,$(B)/user/%.o,$(basename $(filter-out lib/crt0.S,$(LIB_USER_SRCS))))
USER_LIB      := $(B)/user/libmica.a
USER_C_SRCS   := $(wildcard $(USER_PROGS:%=user/%/*.c)) $(GUEST_PROGS:%=test/guest/%.c) \
                 $(filter %.c,$(LIB_USER_SRCS))
ALL_USER_ELFS := $(USER_PROGS:%=$(B)/user/%.elf) $(GUEST_PROGS:%=$(B)/user/%.elf)

$(B)/user/%.o: %.c $(FLAGS_STAMP)
	$(call say,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -c -o $@ $<

$(B)/user/%.o: %.S $(FLAGS_STAMP)
	$(call say,AS,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -c -o $@ $<

USER_LINK = $(CC) $(LDFLAGS) -T linker/user.ld -o $@

$(USER_LIB): $(USER_LIB_OBJS)
	$(call say,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

define user_program
$(B)/user/$(1).elf: $(USER_CRT0) $(patsubst %,$(B)/user/%.o,$(basename $(2))) $(USER_LIB) linker/user.ld
	$$(call say,LD,$$@)
	$$(Q)$$(USER_LINK) $(USER_CRT0) $(patsubst %,$(B)/user/%.o,$(basename $(2))) $(USER_LIB) $$(LIBGCC)
endef
$(foreach p,$(USER_PROGS),$(eval $(call user_program,$(p),$(wildcard user/$(p)/*.c))))
$(foreach p,$(GUEST_PROGS),$(eval $(call user_program,$(p),test/guest/$(p).c)))

$(B)/user/%.stripped: $(B)/user/%.elf
	$(Q)$(OBJCOPY) --strip-all $< $@

# The host tool that packs the boot image (lib/bootimg.h is the format).
MKBOOTIMG := $(B)/tools/mkbootimg
$(MKBOOTIMG): tools/mkbootimg.c lib/bootimg.c lib/errors.c
	$(call say,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Ilib -o $@ tools/mkbootimg.c lib/bootimg.c lib/errors.c

# The xv6 programs (user/xv6.mk builds them; test/proc/ holds the process
# server's tests) go into the boot image too, so that proc can run them
# before a file system exists.
XV6_DIRS ?= user/bin test/proc
XV6_BOOT_BINS := $(patsubst %.c,$(B)/bin/%,$(notdir $(wildcard $(addsuffix /*.c,$(XV6_DIRS)))))

BOOTIMG := $(B)/bootimg.bin
$(BOOTIMG): $(MKBOOTIMG) $(ALL_USER_ELFS:.elf=.stripped) $(XV6_BOOT_BINS)
	$(call say,BOOTIMG,$@)
	$(Q)$(MKBOOTIMG) $@ $(foreach e,$(ALL_USER_ELFS:.elf=.stripped),$(notdir $(basename $(e)))=$(e)) \
	  $(foreach b,$(XV6_BOOT_BINS),$(notdir $(b))=$(b))

-include $(patsubst %.elf,%.d,$(ALL_USER_ELFS)) $(wildcard $(B)/user/*/*.d $(B)/user/*/*/*.d)

# The file system's host tools (tools/mkfs.c, tools/fsck.c): mkfs runs the
# fs's own layers (user/fs/) over a ramdisk; fsck shares only the layout.
FS_LAYER_SRCS := user/fs/bcache.c user/fs/log.c user/fs/bitmap.c user/fs/inode.c user/fs/dir.c \
                 user/fs/fsops.c
FS_TOOL_SRCS  := $(FS_LAYER_SRCS) tools/ramdisk.c tools/fsimage.c tools/fsckcore.c lib/errors.c
FS_TOOL_FLAGS := $(HOST_CFLAGS) -Ilib -Iuser/fs -Itools
MKFS := $(B)/tools/mkfs
FSCK := $(B)/tools/fsck
$(MKFS) $(FSCK): $(B)/tools/%: tools/%.c $(FS_TOOL_SRCS) $(wildcard lib/fs_*.h user/fs/*.h tools/*.h)
	$(call say,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(FS_TOOL_FLAGS) -o $@ $< $(FS_TOOL_SRCS)

# The disk `make qemu` and the tests boot with: 32 MiB, the user programs
# at the root (as xv6 has them) and the README.
FS_IMG_BLOCKS := 8192
FS_IMG_FILES   = $(foreach p,$(USER_PROGS),$(p)=$(B)/user/$(p).stripped) README=README.md \
                 $(foreach b,$(XV6_BOOT_BINS),$(notdir $(b))=$(b))
$(FS_IMG): $(MKFS) $(USER_PROGS:%=$(B)/user/%.stripped) README.md $(XV6_BOOT_BINS)
	$(call say,MKFS,$@)
	$(Q)$(MKFS) $@.tmp $(FS_IMG_BLOCKS) $(FS_IMG_FILES) >/dev/null && mv $@.tmp $@
