#!/usr/bin/env python3
"""A stand-in for qemu-system-riscv64 used by test/qemu/selftest.py.

It takes QEMU's command line, ignores every flag but -kernel, -append and
-drive, and
runs the "kernel": a script file, one command a line (`#` comments):
  print TEXT     write TEXT and a newline (\\r \\n \\t \\xNN \\\\ escapes work)
  write TEXT     write TEXT with no newline (a prompt)
  sleep SECS     pause
  readline       read one line from stdin and print "got: LINE"
  pending        print "stdin: waiting" if input waits, else "stdin: empty"
  shell          a tiny shell: prompt "$ ", echo what is typed, run
                 `echo WORDS`, `poweroff` (exit 0), `fail N` (exit N),
                 `panic` (print a panic line and hang); EOF ends it
  cmdline        print "cmdline: " and the -append text
  disk           print "disk: N bytes: TEXT" for the -drive image (TEXT: its
                 first bytes up to a NUL), or "disk: none"
  diskwrite TEXT write TEXT at the start of the -drive image
  stderr TEXT    write TEXT to stderr
  flood BYTES    write that many bytes in 80-column lines
  spawn FILE     start a grandchild that holds stdout, sleeps, and whose pid
                 goes to FILE (to prove the harness kills the whole group)
  hang           sleep forever
  exit N         exit with status N (the end of the script exits 0)
With FAKE_QEMU_ARGV set, the argv is written to that file, one per line.
Never use it for anything but the harness selftest.
"""

import os
import select
import subprocess
import sys
import time

out = sys.stdout.buffer


def emit(text):
    out.write(text.encode("utf-8", "surrogateescape"))
    out.flush()


def unescape(text):
    return text.encode("latin-1", "backslashreplace").decode(
        "unicode_escape")


def flag(argv, name):
    """The value after flag NAME in ARGV, or None."""
    for i, arg in enumerate(argv[:-1]):
        if arg == name:
            return argv[i + 1]
    return None


def readline():
    """One line from stdin without its newline, or None at EOF."""
    line = sys.stdin.buffer.readline()
    if not line:
        return None
    return line.decode("utf-8", "replace").rstrip("\n")


def shell():
    while True:
        emit("$ ")
        line = readline()
        if line is None:
            return 0
        emit(line + "\r\n")
        words = line.split()
        if not words:
            continue
        if words[0] == "echo":
            emit(" ".join(words[1:]) + "\r\n")
        elif words[0] == "poweroff":
            emit("powering off\r\n")
            return 0
        elif words[0] == "fail" and len(words) == 2:
            return int(words[1])
        elif words[0] == "panic":
            emit("panic: asked to\r\n")
            while True:
                time.sleep(3600)
        else:
            emit("sh: %s: not found\r\n" % words[0])


def drive(argv):
    """The image file of the -drive flag, or None."""
    spec = flag(argv, "-drive") or ""
    for part in spec.split(","):
        if part.startswith("file="):
            return part[len("file="):]
    return None


def run(script, append, disk):
    for raw in script.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cmd, _, arg = line.partition(" ")
        if cmd == "print":
            emit(unescape(arg) + "\n")
        elif cmd == "write":
            emit(unescape(arg))
        elif cmd == "sleep":
            time.sleep(float(arg))
        elif cmd == "readline":
            got = readline()
            emit("got: %s\n" % ("(EOF)" if got is None else got))
        elif cmd == "pending":
            ready = select.select([sys.stdin], [], [], 0)[0]
            emit("stdin: %s\n" % ("waiting" if ready else "empty"))
        elif cmd == "shell":
            return shell()
        elif cmd == "cmdline":
            emit("cmdline: %s\n" % (append or ""))
        elif cmd == "disk":
            if disk is None:
                emit("disk: none\n")
            else:
                with open(disk, "rb") as f:
                    data = f.read()
                text = data[:64].split(b"\0")[0].decode("latin-1")
                emit("disk: %d bytes: %s\n" % (len(data), text))
        elif cmd == "diskwrite":
            with open(disk, "r+b") as f:
                f.write(arg.encode("utf-8"))
        elif cmd == "stderr":
            sys.stderr.write(unescape(arg) + "\n")
            sys.stderr.flush()
        elif cmd == "flood":
            left = int(arg)
            while left > 0:
                n = min(left, 81)
                emit("x" * (n - 1) + "\n")
                left -= n
        elif cmd == "spawn":
            child = subprocess.Popen([sys.executable, "-c",
                                      "import time; time.sleep(60)"])
            with open(arg, "w") as f:
                f.write("%d\n" % child.pid)
        elif cmd == "hang":
            while True:
                time.sleep(3600)
        elif cmd == "exit":
            return int(arg)
        else:
            sys.stderr.write("fake_qemu: unknown command %r\n" % cmd)
            return 2
    return 0


def main(argv):
    log = os.environ.get("FAKE_QEMU_ARGV")
    if log:
        with open(log, "w") as f:
            f.write("\n".join(argv) + "\n")
    kernel = flag(argv, "-kernel")
    if kernel is None:
        sys.stderr.write("fake_qemu: no -kernel given\n")
        return 1
    try:
        with open(kernel, encoding="utf-8") as f:
            script = f.read()
    except OSError as err:
        sys.stderr.write("fake_qemu: could not load kernel '%s': %s\n"
                         % (kernel, err.strerror))
        return 1
    try:
        return run(script, flag(argv, "-append"), drive(argv))
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
