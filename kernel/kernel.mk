# kernel/kernel.mk - the kernel: generic code in kernel/, RISC-V code in
# kernel/riscv/, plus the lib/ code it shares. Linked twice: the second link
# embeds the symbol table of the first (see kernel/ksyms.h).

# The capability system (the tree, object lifecycles and invocations),
# IPC and scheduling. The host unit tests link these too.
KERNEL_OBJECT_SRCS := kernel/cap.c kernel/object.c kernel/invoke.c kernel/untyped.c \
                      kernel/cnode.c kernel/tcb.c kernel/vspace.c kernel/irq.c \
                      kernel/ipc.c kernel/notification.c kernel/fastpath.c kernel/sched.c
KERNEL_ARCH_SRCS := kernel/riscv/entry.S kernel/riscv/vector.S kernel/riscv/trap.c \
                    kernel/riscv/cpu.c kernel/riscv/sbi.c kernel/riscv/vm.c kernel/riscv/plic.c
KERNEL_GENERIC_SRCS := kernel/main.c kernel/printk.c kernel/ksyms.c \
                       kernel/bootmem.c kernel/loader.c kernel/uaccess.c kernel/thread.c \
                       kernel/clock.c kernel/syscall.c kernel/bootimg.S kernel/rootboot.c \
                       $(KERNEL_OBJECT_SRCS)
# make trace builds a variant in build/trace/ that records every IPC message
# (kernel/trace.h); elsewhere the hooks are empty inline functions.
KERNEL_GENERIC_SRCS += $(if $(filter 1,$(MICA_TRACE)),kernel/trace.c)
KERNEL_SRCS   := $(KERNEL_ARCH_SRCS) $(KERNEL_GENERIC_SRCS) $(LIB_KERNEL_SRCS)
KERNEL_C_SRCS := $(filter %.c,$(KERNEL_SRCS))
KERNEL_OBJS   := $(patsubst %,$(B)/kernel/%.o,$(basename $(KERNEL_SRCS)))
KERNEL_ELF    := $(B)/kernel.elf

KERNEL_CFLAGS = $(CFLAGS) -Ikernel -Ikernel/riscv -Ilib $(if $(filter 1,$(MICA_TRACE)),-DMICA_TRACE)

$(B)/kernel/%.o: %.c $(FLAGS_STAMP)
	$(call say,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c -o $@ $<

$(B)/kernel/%.o: %.S $(FLAGS_STAMP)
	$(call say,AS,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c -o $@ $<

$(B)/kernel/kernel/bootimg.o: kernel/bootimg.S $(BOOTIMG) $(BOOTPROGS)
	$(call say,AS,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -DBOOTIMG_PATH='"$(BOOTIMG)"' -DBOOTPROGS_PATH='"$(BOOTPROGS)"' -c -o $@ $<

KERNEL_LINK = $(CC) $(LDFLAGS) -T linker/kernel.ld -o $@

$(B)/kernel.pass1.elf: $(KERNEL_OBJS) $(B)/kernel/kernel/ksyms_empty.o linker/kernel.ld
	$(call say,LD,$@)
	$(Q)$(KERNEL_LINK) $(KERNEL_OBJS) $(B)/kernel/kernel/ksyms_empty.o $(LIBGCC)

$(B)/kernel/ksyms.S: $(B)/kernel.pass1.elf tools/ksyms.awk
	$(call say,KSYMS,$@)
	$(Q)$(NM) -n $< | awk -f tools/ksyms.awk > $@

$(B)/kernel/ksyms.o: $(B)/kernel/ksyms.S
	$(Q)$(CC) $(KERNEL_CFLAGS) -c -o $@ $<

# The symbol table sits after everything else, so no function may move
# between the two links; the cmp proves it.
$(KERNEL_ELF): $(KERNEL_OBJS) $(B)/kernel/ksyms.o linker/kernel.ld
	$(call say,LD,$@)
	$(Q)$(KERNEL_LINK) $(KERNEL_OBJS) $(B)/kernel/ksyms.o $(LIBGCC)
	$(Q)cmp -s <($(NM) -n $(B)/kernel.pass1.elf | awk '$$2 ~ /^[tT]$$/') \
	           <($(NM) -n $@ | awk '$$2 ~ /^[tT]$$/') \
	  || { echo "kernel: functions moved between the two links; see linker/kernel.ld" >&2; rm -f $@; exit 1; }

# make bench's second kernel: the same objects but trap.c and sbi.c, built
# again with the count of the longest stretch with interrupts off
# (kernel/riscv/irqoff.h); one link, without a symbol table.
IRQOFF_SRCS := kernel/riscv/trap.c kernel/riscv/sbi.c kernel/riscv/irqoff.c
IRQOFF_OBJS := $(patsubst %,$(B)/kernel-irqoff/%.o,$(basename $(IRQOFF_SRCS)))
KERNEL_IRQOFF_ELF := $(B)/kernel-irqoff.elf

$(B)/kernel-irqoff/%.o: %.c $(FLAGS_STAMP)
	$(call say,CC,$< (irqoff))
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -DMICA_IRQOFF_STATS -c -o $@ $<

$(KERNEL_IRQOFF_ELF): $(filter-out %/trap.o %/sbi.o,$(KERNEL_OBJS)) $(IRQOFF_OBJS) \
                      $(B)/kernel/kernel/ksyms_empty.o linker/kernel.ld
	$(call say,LD,$@)
	$(Q)$(KERNEL_LINK) $(filter %.o,$^) $(LIBGCC)

-include $(KERNEL_OBJS:.o=.d) $(IRQOFF_OBJS:.o=.d)
