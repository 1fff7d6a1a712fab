#!/usr/bin/env python3
"""samples.py - the figures that prose shows (sample output, instruction
counts) come from a real run: `make samples` rewrites them, and the samples
test of `make test` fails when the prose no longer says what the system
prints.

    samples.py --qemu PATH --bios PATH --kernel ELF (--check | --update) FILE.md...
               [--results FILE]
    samples.py --selftest          the checker's own test (no QEMU)

In Markdown, a block sample is a fenced block between two comments:

    <!-- sample: boot -->
    ```
    ...what a plain boot prints, after OpenSBI's banner...
    ```
    <!-- end of sample -->

and an inline figure is <!-- figure: bench NAME -->451<!-- /figure -->.
The samples: `boot` (QEMU boots the kernel with no arguments and a copy of
build/fs.img, on the instruction clock, and BOOT_INPUT is typed at the
shell's prompts, so every line but the count of timer interrupts is the
same on every run), `bench` (the
table `make bench` prints; its wall time is the one part that is not
compared), and the figure `bench NAME` (a figure of that table, as a whole
number when it is one). Each is run once, only if a file asks for it.
--check prints what differs and writes "passed=N failed=M" (one per
sample in each file) to --results; --update rewrites the files.
Python 3.7+, standard library only.
"""

import argparse
import select
import shutil
import tempfile
import time
import difflib
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BLOCK = re.compile(r"(<!-- sample: (?P<name>[a-z0-9_-]+) -->\n```\n)(?P<body>.*?)(```\n"
                   r"<!-- end of sample -->)", re.S)
FIGURE = re.compile(r"(<!-- figure: (?P<name>[a-z0-9_ -]+?) -->)(?P<body>[^<]*)(<!-- /figure -->)")
# What may differ from run to run, and is compared as its shape only.
UNSTABLE = [(re.compile(r"^(wall time )[0-9.]+( s)", re.M), r"\1N.NN\2"),
            # the clock ticks on while the shell waits for what is typed
            (re.compile(r"\((\d+) timer interrupts\)"), "(N timer interrupts)"),
            # ls shows the README's size on the disk, which this very sample changes
            (re.compile(r"^(README +\d+ \d+ )\d+$", re.M), r"\1N"),
            # The bench table's measured figures and changes: bench-check judges
            # them (some wait on the host's disk, or average over timer ticks);
            # the sample keeps the names and the baseline, which must match.
            (re.compile(r"^([a-z][a-z0-9_]* +)[0-9]+\.[0-9]+( +[0-9]+\.[0-9]+ +).*$", re.M),
             r"\1N\2N")]
TIMEOUT = 120


# What `boot` types at the shell: one line at each prompt, as a person would,
# so that the echo and the output never interleave differently.
BOOT_INPUT = ["ls", "echo hello | wc", "halt"]


def boot_console(opts):
    """What a boot with no arguments prints after the firmware's banner, with
    a fresh copy of the disk image attached and BOOT_INPUT typed at the
    shell's prompts."""
    folder = tempfile.mkdtemp(prefix="mica-samples-")
    try:
        disk = os.path.join(folder, "fs.img")
        shutil.copyfile(opts.disk, disk)
        cmd = [opts.qemu, "-machine", "virt", "-bios", opts.bios, "-kernel", opts.kernel,
               "-m", "128M", "-smp", "1", "-nographic", "-serial", "stdio", "-monitor", "none",
               "-no-reboot", "-icount", "shift=0,sleep=off",
               "-global", "virtio-mmio.force-legacy=false",
               "-drive", "file=%s,if=none,format=raw,id=x0,cache=unsafe" % disk,
               "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0"]
        out = type_at_prompts(cmd, BOOT_INPUT)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    lines = out.decode("utf-8", "replace").replace("\r", "").split("\n")
    start = 0
    for i, line in enumerate(lines):
        if line.startswith("Boot HART "):       # OpenSBI's banner ends with these
            start = i + 1
    while start < len(lines) and not lines[start].strip():
        start += 1
    return "\n".join(lines[start:]).rstrip("\n") + "\n"


def type_at_prompts(cmd, typed):
    """Runs cmd, writing typed[i] and a newline after the (i+1)-th "$ " prompt
    it prints; returns all it printed. Raises RuntimeError past TIMEOUT."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    out, sent, deadline = b"", 0, time.monotonic() + TIMEOUT
    try:
        while True:
            left = deadline - time.monotonic()
            ready = select.select([proc.stdout], [], [], max(left, 0))[0]
            if not ready:
                raise RuntimeError("no power-off within %d s; console:\n%s"
                                   % (TIMEOUT, out.decode("utf-8", "replace")[-2000:]))
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            out += chunk
            while sent < len(typed) and out.count(b"$ ") > sent:
                proc.stdin.write(typed[sent].encode() + b"\n")
                proc.stdin.flush()
                sent += 1
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    return out


def bench_table(opts):
    """The table tools/bench.py prints, against the checked-in baseline."""
    r = subprocess.run([sys.executable, os.path.join(HERE, "bench.py"), "--qemu", opts.qemu,
                        "--bios", opts.bios, "--kernel", opts.kernel]
                       + (["--irqoff-kernel", opts.irqoff_kernel] if opts.irqoff_kernel else [])
                       + ["--baseline",
                        os.path.join(ROOT, "test", "bench", "baseline.json")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=TIMEOUT)
    lines = r.stdout.decode("utf-8", "replace").split("\n")
    first = next((i for i, l in enumerate(lines) if l.startswith("figure ")), None)
    last = next((i for i, l in enumerate(lines) if l.startswith("wall time ")), None)
    if r.returncode != 0 or first is None or last is None:
        raise RuntimeError("make bench did not print its table:\n" + r.stdout.decode(
            "utf-8", "replace"))
    return "\n".join(lines[first:last + 1]) + "\n"


class Runs:
    """Each sample's text, made once on first use."""

    def __init__(self, opts):
        self.opts = opts
        self.made = {}

    def get(self, name):
        if name not in self.made:
            self.made[name] = self.make(name)
        return self.made[name]

    def make(self, name):
        if name == "boot":
            return boot_console(self.opts)
        if name == "bench":
            return bench_table(self.opts)
        m = re.fullmatch(r"bench ([a-z0-9_]+)", name)
        if m:
            for line in self.get("bench").split("\n"):
                cols = line.split()
                if cols and cols[0] == m.group(1):
                    value = float(cols[1])
                    return "%d" % value if value == int(value) else "%g" % value
            raise RuntimeError("make bench has no figure %s" % m.group(1))
        raise RuntimeError("no sample called %r (there are boot, bench, bench NAME)" % name)


def stable(text):
    for rx, shape in UNSTABLE:
        text = rx.sub(shape, text)
    return text


def process(path, runs, update):
    """Check or rewrite the samples of the file at PATH. Returns (passed,
    problems, new text)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    problems, passed = [], 0

    def each(m, kind):
        nonlocal passed
        name = m.group("name")
        try:
            fresh = runs.get(name)
        except (RuntimeError, OSError, subprocess.SubprocessError) as e:
            problems.append("%s: sample %s: %s" % (path, name, e))
            return m.group(0)
        if stable(fresh) == stable(m.group("body")):
            passed += 1
            return m.group(0)
        if not update:
            diff = difflib.unified_diff(m.group("body").split("\n"), fresh.split("\n"),
                                        "%s (as written)" % path, "a real run", lineterm="", n=1)
            problems.append("%s: %s %s no longer says what the system prints:\n  %s"
                            % (path, kind, name, "\n  ".join(diff)))
        return m.group(1) + fresh + m.group(4)

    new = BLOCK.sub(lambda m: each(m, "sample"), text)
    new = FIGURE.sub(lambda m: each(m, "figure"), new)
    return passed, problems, new


def selftest():
    """A drifted block and figure fail the check and name themselves; the
    update rewrites exactly them; the wall time may differ; then it passes."""
    import tempfile
    runs = Runs(None)
    runs.made = {"boot": "mica: 2 harts\n", "bench": "figure x\nipc 451.0\nwall time 9.99 s\n"}
    text = ("# t\n<!-- sample: boot -->\n```\nmica: 1 hart\n```\n<!-- end of sample -->\n"
            "<!-- sample: bench -->\n```\nfigure x\nipc 451.0\nwall time 0.30 s\n```\n"
            "<!-- end of sample -->\nit takes <!-- figure: bench ipc -->466<!-- /figure --> now\n")
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "t.md")
        with open(path, "w") as f:
            f.write(text)
        passed, problems, new = process(path, runs, False)
        ok = passed == 1 and len(problems) == 2 and "sample boot" in problems[0] and \
            "+mica: 2 harts" in problems[0] and "figure bench ipc" in problems[1]
        ok = ok and new == text.replace("1 hart", "2 harts").replace("466", "451")
        with open(path, "w") as f:
            f.write(new)
        ok = ok and process(path, runs, False)[:2] == (3, [])
    print("samples: selftest %s" % ("passed" if ok else "FAILED"))
    return 0 if ok else 1


def main(argv):
    if argv == ["--selftest"]:
        return selftest()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--bios", required=True)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--irqoff-kernel", help="make bench's second kernel (worst_irq_off)")
    ap.add_argument("--disk", default=os.path.join(ROOT, "build", "fs.img"),
                    help="the disk image boot attaches a copy of (default build/fs.img)")
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--update", action="store_true")
    ap.add_argument("--results")
    ap.add_argument("files", nargs="+")
    opts = ap.parse_args(argv)
    runs = Runs(opts)
    passed, failed = 0, 0
    for path in opts.files:
        ok, problems, new = process(path, runs, opts.update)
        passed += ok
        if opts.update:
            if new != open(path, encoding="utf-8").read():
                with open(path, "w", encoding="utf-8") as f:
                    f.write(new)
                print("samples: rewrote %s" % path)
            failed += sum(1 for p in problems if "no longer says" not in p)
        else:
            failed += len(problems)
        for p in problems:
            if not opts.update or "no longer says" not in p:
                print("samples: " + p)
    print("samples: %d up to date, %d %s" % (passed, failed,
                                             "failed" if not opts.update else "could not be made"))
    if not opts.update and failed:
        print("samples: `make samples` rewrites them from a real run; commit what it writes")
    if opts.results:
        with open(opts.results, "w") as f:
            f.write("passed=%d failed=%d\n" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
