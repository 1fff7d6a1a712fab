#!/usr/bin/env bash
# tools/deps.sh: checks that the tools Mica needs are here and, on Debian or
# Ubuntu, installs the missing ones with apt-get (as root, or through sudo).
#   tools/deps.sh           check; install what is missing; check again
#   tools/deps.sh --check   only check; exit 1 if something required is missing
#   tools/deps.sh --book    also pandoc and GNU Global (htags), which make docs
#                           and the docs test of make test need (make qemu does not)
# Success prints one line `deps: all present (...)` and exits 0; when nothing
# is missing, optional pieces included, it asks apt nothing. Failure prints one
# message naming what is missing and the command that installs it, and exits 1.
# gdb and OpenSBI's fw_jump.bin are optional. Never prompts (CI has no stdin),
# never removes anything.
# Environment: TOOLPREFIX picks the RISC-V toolchain prefix; MICA_FW_JUMP is the
# only fw_jump.bin looked at; MICA_DEPS_NO_INSTALL=1 acts as if apt-get were
# absent (for tests).
set -u

QEMU_MIN_MAJOR=7
QEMU_MIN_MINOR=0
CROSS_PREFIXES="riscv64-unknown-elf- riscv64-linux-gnu- riscv64-elf- riscv64-none-elf-"
FW_JUMP_PATHS="/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
/usr/share/opensbi/lp64/generic/firmware/fw_jump.bin
/usr/local/share/opensbi/lp64/generic/firmware/fw_jump.bin"

check_only=0 book=0
for arg in "$@"; do
	case "$arg" in
	--check) check_only=1 ;;
	--book) book=1 ;;
	-h|--help)
		sed -n '2,15s/^# \{0,1\}//p' "$0"
		exit 0 ;;
	*)
		echo "usage: tools/deps.sh [--check] [--book]" >&2
		exit 2 ;;
	esac
done

have() {
	command -v "$1" >/dev/null 2>&1
}

# Results of check_all: required pieces missing (human names and apt
# packages), optional ones missing, and what was found for the summary line.
missing=() pkgs=() opt_missing=() opt_pkgs=() resolved=()
cross="" cross_version="" qemu_version="" qemu_too_old=0 fw_jump="" gdb=""

need() {	# need "what is missing" apt-package...
	missing+=("$1")
	shift
	pkgs+=("$@")
}

want() {	# want "what is missing" apt-package...
	opt_missing+=("$1")
	shift
	opt_pkgs+=("$@")
}

need_cross() {	# need_cross "what is missing" toolchain-prefix
	case "$2" in
	riscv64-linux-gnu-) need "$1" gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu ;;
	*) need "$1" gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf ;;
	esac
}

# Finds a complete cross toolchain (gcc, objcopy, nm, objdump under one
# prefix): $TOOLPREFIX alone if it is set, else the first of CROSS_PREFIXES.
check_cross() {
	local prefixes="$CROSS_PREFIXES" p tool lacks partial=""
	if [ -n "${TOOLPREFIX-}" ]; then
		prefixes="$TOOLPREFIX"
	fi
	for p in $prefixes; do
		have "${p}gcc" || continue
		lacks=""
		for tool in objcopy nm objdump; do
			have "$p$tool" || lacks="$lacks $p$tool"
		done
		if [ -n "$lacks" ]; then
			partial="$partial$lacks"
			continue
		fi
		cross="$p"
		cross_version=$("${p}gcc" -dumpversion 2>/dev/null)
		return
	done
	if [ -n "${TOOLPREFIX-}" ]; then
		need_cross "RISC-V toolchain ${TOOLPREFIX}gcc/objcopy/nm/objdump (TOOLPREFIX)" \
			"$TOOLPREFIX"
	elif [ -n "$partial" ]; then
		need_cross "RISC-V binutils (missing:$partial)" ""
	else
		need_cross "RISC-V cross gcc (riscv64-unknown-elf-gcc or riscv64-linux-gnu-gcc)" ""
	fi
}

check_qemu() {
	local major minor
	if ! have qemu-system-riscv64; then
		need "qemu-system-riscv64" qemu
		return
	fi
	qemu_version=$(qemu-system-riscv64 --version </dev/null 2>/dev/null |
		sed -n '1s/.*version \([0-9][0-9]*\.[0-9][0-9]*[0-9.]*\).*/\1/p')
	major=${qemu_version%%.*}
	minor=${qemu_version#*.}
	minor=${minor%%.*}
	if [ -z "$qemu_version" ] ||
	   [ "$major" -lt "$QEMU_MIN_MAJOR" ] ||
	   { [ "$major" -eq "$QEMU_MIN_MAJOR" ] && [ "$minor" -lt "$QEMU_MIN_MINOR" ]; }; then
		qemu_too_old=1
		need "QEMU $QEMU_MIN_MAJOR.$QEMU_MIN_MINOR+ (found ${qemu_version:-an unknown version})" qemu
	fi
}

# Host C compiler, libc headers and Criterion in one preprocessor run when
# all is well; separate runs only to tell which one is missing.
check_host_c() {
	local inc lib dir
	if ! have gcc; then
		need "host C compiler (gcc)" gcc libc6-dev
		need "Criterion (criterion/criterion.h)" libcriterion-dev
		return
	fi
	if ! printf '#include <stdio.h>\n#include <criterion/criterion.h>\n' |
	     gcc -E -x c - -o /dev/null 2>/dev/null; then
		printf '#include <stdio.h>\n' | gcc -E -x c - -o /dev/null 2>/dev/null ||
			need "libc headers (stdio.h)" libc6-dev
		inc=0
		printf '#include <criterion/criterion.h>\n' |
			gcc -E -x c - -o /dev/null 2>/dev/null && inc=1
		for dir in /usr/local/include /opt/homebrew/include; do
			[ -f "$dir/criterion/criterion.h" ] && inc=1
		done
		[ "$inc" = 1 ] || need "Criterion header (criterion/criterion.h)" libcriterion-dev
	fi
	for lib in libcriterion.so libcriterion.dylib libcriterion.a \
		   /opt/homebrew/lib/libcriterion.dylib /usr/local/lib/libcriterion.dylib; do
		case "$lib" in
		/*) [ -f "$lib" ] && return ;;
		*) case "$(gcc -print-file-name="$lib" 2>/dev/null)" in
		   */*) return ;;
		   esac ;;
		esac
	done
	need "Criterion library (libcriterion)" libcriterion-dev
}

check_firmware() {
	local f paths="$FW_JUMP_PATHS"
	if [ -n "${MICA_FW_JUMP-}" ]; then
		paths="$MICA_FW_JUMP"
	fi
	while IFS= read -r f; do
		if [ -n "$f" ] && [ -f "$f" ]; then
			fw_jump="$f"
			return
		fi
	done <<<"$paths"
	want "OpenSBI fw_jump.bin (QEMU's own firmware is used instead)" opensbi
}

check_gdb() {
	local g
	for g in gdb-multiarch ${cross:+"${cross}gdb"} riscv64-elf-gdb riscv64-unknown-elf-gdb; do
		if have "$g"; then
			gdb="$g"
			return
		fi
	done
	want "gdb-multiarch (only make qemu-gdb needs it)" gdb-multiarch
}

# The book's renderers (tools/book.sh), with --book only.
check_book() {
	[ "$book" = 1 ] || return 0
	have pandoc || need "pandoc (renders the book: make docs)" pandoc
	{ have gtags && have htags; } || need "GNU Global's gtags and htags (the book's source browser)" global
}

check_all() {
	missing=() pkgs=() opt_missing=() opt_pkgs=()
	cross="" cross_version="" qemu_version="" qemu_too_old=0 fw_jump="" gdb=""
	check_host_c
	have make || need "make" make
	check_cross
	check_qemu
	have python3 || need "python3" python3
	check_firmware
	check_gdb
	check_book
}

summary() {
	local fw="QEMU's bundled firmware (no fw_jump.bin)" dbg="no gdb" extra=""
	[ -n "$fw_jump" ] && fw="OpenSBI fw_jump"
	[ -n "$gdb" ] && dbg="$gdb"
	[ "$book" = 1 ] && extra=", pandoc and htags"
	echo "deps: all present (${cross}gcc $cross_version, QEMU $qemu_version, $fw, $dbg$extra)"
}

# True if apt knows a package $1 it could install.
apt_has() {
	apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [^(]'
}

# Sets resolved to the package list $@ in names this apt knows: the QEMU
# package and, if needed, the toolchain fallback; drops optional names apt
# lacks and repeats.
resolve_pkgs() {
	local p q required=" ${pkgs[*]+${pkgs[*]}} "
	resolved=()
	for p in "$@"; do
		case "$p" in
		qemu)
			p=qemu-system-misc
			for q in qemu-system-riscv64 qemu-system-riscv qemu-system-misc; do
				if apt_has "$q"; then p=$q; break; fi
			done ;;
		gcc-riscv64-unknown-elf|binutils-riscv64-unknown-elf)
			if ! apt_has gcc-riscv64-unknown-elf && apt_has gcc-riscv64-linux-gnu; then
				p=${p/unknown-elf/linux-gnu}
			fi ;;
		opensbi|gdb-multiarch)
			case "$required" in
			*" $p "*) ;;
			*) apt_has "$p" || continue ;;
			esac ;;
		esac
		case " ${resolved[*]+${resolved[*]}} " in
		*" $p "*) ;;
		*) resolved+=("$p") ;;
		esac
	done
}

# Sets sudo_cmd to what runs apt-get as root ("" when already root);
# returns 1 if apt-get cannot be run that way.
can_install() {
	sudo_cmd=""
	[ "${MICA_DEPS_NO_INSTALL-}" = 1 ] && return 1
	have apt-get || return 1
	[ "$(id -u)" = 0 ] && return 0
	have sudo || return 1
	sudo_cmd="sudo"
	# Without a terminal sudo must not wait for a password nobody can type.
	[ -t 0 ] || sudo_cmd="sudo -n"
	return 0
}

apt_get() {	# apt_get apt-get-arguments...
	$sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get \
		-o DPkg::Lock::Timeout=120 "$@" </dev/null
}

# Updates apt's lists (so that resolve_pkgs sees today's names), then
# installs packages $@ after resolving them. Returns apt-get's failure.
apt_install() {
	apt_get update || return 1
	resolve_pkgs "$@"
	[ "${#resolved[@]}" -eq 0 ] && return 0
	apt_get install -y --no-install-recommends "${resolved[@]}"
}

# The one message of a failed run: what is missing, and how to get it.
fail() {	# fail "why installing did not happen"
	local p brew=()
	{
		echo "deps: Mica cannot be built and tested here; missing:"
		for p in "${missing[@]}"; do
			echo "  - $p"
		done
		[ -n "$1" ] && echo "($1)"
		if [ "$qemu_too_old" = 1 ]; then
			echo "QEMU $qemu_version is too old: Mica needs $QEMU_MIN_MAJOR.$QEMU_MIN_MINOR or newer."
			echo "Debian 12 (7.2) and Ubuntu 24.04 (8.2) and later ship one; Ubuntu 22.04 ships 6.2."
			echo "There, use a Debian 12 or Ubuntu 24.04 machine or container, or build QEMU from"
			echo "source: ./configure --target-list=riscv64-softmmu && make && sudo make install"
		fi
		if [ "$(uname -s 2>/dev/null)" = Darwin ]; then
			brew=(riscv64-elf-gcc riscv64-elf-binutils qemu criterion riscv64-elf-gdb)
			[ "$book" = 1 ] && brew+=(pandoc global)
			echo "Install with: brew install ${brew[*]}"
		else
			resolve_pkgs "${pkgs[@]}" ${opt_pkgs[@]+"${opt_pkgs[@]}"}
			echo "Install with: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${resolved[*]}"
		fi
	} >&2
	exit 1
}

check_all
if [ "${#missing[@]}" -eq 0 ]; then
	# Optional pieces are installed only when apt has them, so a machine
	# without them does not pay for apt on every run.
	if [ "${#opt_missing[@]}" -gt 0 ] && [ "$check_only" = 0 ] && can_install; then
		resolve_pkgs "${opt_pkgs[@]}"
		if [ "${#resolved[@]}" -gt 0 ]; then
			echo "deps: installing optional ${resolved[*]} with ${sudo_cmd:+$sudo_cmd }apt-get:" >&2
			printf '  - %s\n' "${opt_missing[@]}" >&2
			apt_install "${resolved[@]}" >&2 ||
				echo "deps: could not install ${resolved[*]}; going on without" >&2
			check_all
		fi
	fi
	summary
	exit 0
fi

[ "$check_only" = 1 ] && fail ""
can_install || {
	if [ "${MICA_DEPS_NO_INSTALL-}" = 1 ]; then
		fail "not installing: MICA_DEPS_NO_INSTALL=1"
	elif ! have apt-get; then
		fail "no apt-get here to install them with"
	else
		fail "not root and no sudo: run the command below as root"
	fi
}

resolve_pkgs "${pkgs[@]}" ${opt_pkgs[@]+"${opt_pkgs[@]}"}
{
	echo "deps: installing with ${sudo_cmd:+$sudo_cmd }apt-get: ${resolved[*]}"
	echo "deps: because Mica needs these, which are missing:"
	printf '  - %s\n' "${missing[@]}"
} >&2
if ! apt_install "${pkgs[@]}" ${opt_pkgs[@]+"${opt_pkgs[@]}"} >&2; then
	check_all
	if [ "${#missing[@]}" -gt 0 ]; then
		[ "$sudo_cmd" = "sudo -n" ] &&
			fail "apt-get failed; with no terminal sudo cannot ask for a password"
		fail "apt-get failed; see its messages above"
	fi
fi
check_all
[ "${#missing[@]}" -eq 0 ] || fail "still missing after apt-get install"
summary
