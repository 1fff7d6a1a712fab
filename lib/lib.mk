# lib/lib.mk - code shared by the kernel, user programs and host tools.
# Lists only; the rules that build them live with their users.

# Compiled into the kernel (and into the host unit tests).
LIB_KERNEL_SRCS := lib/errors.c lib/str.c lib/fmt.c lib/fdt.c lib/machine.c lib/elf.c lib/bootimg.c

# Compiled into every user program.
LIB_USER_SRCS := lib/crt0.S lib/sys.c lib/printf.c lib/fmt.c lib/str.c lib/errors.c lib/invoke.c lib/ipc.c lib/spawn.c \
                 lib/bootimg.c lib/elf.c

# Client stubs of the servers' protocols (lib/*_proto.h).
LIB_USER_SRCS += lib/blk_client.c lib/fs_client.c
# What every server shares (root_proto.h), and the console's client stubs.
LIB_USER_SRCS += lib/server.c lib/uart_client.c lib/machine.c lib/fdt.c
