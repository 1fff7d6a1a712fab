# user/xv6.mk - programs written against xv6's user API (docs/xv6-api.md).
#
# Every .c in XV6_DIRS is one program: compiled with only user/include/ on
# its include path (the headers xv6 programs include), linked with the xv6
# user library (user/ulib/ and the lib/ files it stands on) and
# linker/user.ld. A student's program needs no Makefile edit: drop NAME.c
# in user/bin/, or name another folder with `make XV6_DIRS="user/bin mydir"`.
# The programs land in build/bin/NAME, stripped, for the disk image; the
# ELFs with symbols stay in build/xv6/ for gdb.

XV6_DIRS      ?= user/bin
XV6_PROG_SRCS := $(wildcard $(addsuffix /*.c,$(XV6_DIRS)))
XV6_PROGS     := $(notdir $(basename $(XV6_PROG_SRCS)))
XV6_BINS      := $(XV6_PROGS:%=$(B)/bin/%)

# The library: ulib's own files, and the lib/ code they call (the IPC stubs,
# the printf engine, the string functions). start.c, the program's entry,
# is linked first and by name, because nothing calls it.
XV6_ULIB_SRCS := $(filter-out user/ulib/start.c,$(wildcard user/ulib/*.c))
XV6_MICA_SRCS := lib/str.c lib/fmt.c lib/ipc.c lib/invoke.c lib/errors.c
XV6_ULIB_OBJS := $(XV6_ULIB_SRCS:%.c=$(B)/xv6/%.o) $(XV6_MICA_SRCS:%.c=$(B)/user/%.o)
XV6_START     := $(B)/xv6/user/ulib/start.o
XV6_LIB       := $(B)/xv6/libxv6.a

# Programs see only the xv6 headers; the library also sees lib/.
XV6_CFLAGS      = $(CFLAGS) -Iuser/include
XV6_ULIB_CFLAGS = $(CFLAGS) -Iuser/include -Ilib

$(B)/xv6/user/ulib/%.o: user/ulib/%.c $(FLAGS_STAMP)
	$(call say,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(XV6_ULIB_CFLAGS) -c -o $@ $<

$(XV6_LIB): $(XV6_ULIB_OBJS)
	$(call say,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# One compile and one link rule per program, since the sources may sit in
# several folders.
define xv6_program
$(B)/xv6/obj/$(notdir $(basename $(1))).o: $(1) $(FLAGS_STAMP)
	$$(call say,CC,$$<)
	@mkdir -p $$(@D)
	$$(Q)$$(CC) $$(XV6_CFLAGS) -c -o $$@ $$<

$(B)/xv6/$(notdir $(basename $(1))).elf: $(XV6_START) $(B)/xv6/obj/$(notdir $(basename $(1))).o \
    $(XV6_LIB) linker/user.ld
	$$(call say,LD,$$@)
	$$(Q)$$(CC) $$(LDFLAGS) -T linker/user.ld -o $$@ $(XV6_START) \
	  $(B)/xv6/obj/$(notdir $(basename $(1))).o $(XV6_LIB) $$(LIBGCC)
endef
$(foreach s,$(XV6_PROG_SRCS),$(eval $(call xv6_program,$(s))))

$(B)/bin/%: $(B)/xv6/%.elf
	@mkdir -p $(@D)
	$(Q)$(OBJCOPY) --strip-all $< $@

.PHONY: xv6-programs xv6-objs
# Every program, ready for the disk image.
xv6-programs: $(XV6_BINS)
# Every program and library file compiled, nothing linked.
xv6-objs: $(XV6_PROGS:%=$(B)/xv6/obj/%.o) $(XV6_ULIB_SRCS:%.c=$(B)/xv6/%.o)

-include $(wildcard $(B)/xv6/obj/*.d $(B)/xv6/user/ulib/*.d)

all: xv6-programs
