#!/usr/bin/env python3
"""bench.py - `make bench`: boot the benchmarks under QEMU with -icount
shift=0 -smp 1, where instret counts guest instructions exactly, and print
their figures (instructions per operation) against a baseline.

Interface:
  bench.py --qemu PATH --bios PATH|default --kernel ELF [--timeout 60]
           [--run ARGS [--disk SIZE|IMAGE]]... [--json OUT]
           [--baseline FILE | --check FILE | --update FILE] [--results FILE]
  bench.py --console LOG [--console LOG]... ...   read saved consoles instead

Each run boots QEMU once with its boot arguments (and a fresh disk: a blank
image of SIZE, or a copy of IMAGE, removed afterwards); RUNS below lists the
runs of `make bench`, and --run replaces them. A run's guest prints "bench:
NAME X.Y" per figure and "bench: done" at the end; every other line is
ignored. The figures of all runs make one table; a name printed by two runs
breaks the whole. --json writes the figures as one flat JSON
object, name -> instructions per operation. --baseline compares and marks
what grew; --check also fails (exit 1, naming each figure) if a figure grew
more than LIMIT_PERCENT over the baseline or a baseline figure was not
measured; figures the baseline lacks are reported as new, never a failure.
--update rewrites the baseline from this run. --results gets "passed=N
failed=M" (one per figure, and one failure for a broken run), for the
summary line of make test. A run that times out, prints "bench: FAIL" or
never says "bench: done" is broken: exit 1 in every mode, nothing written.
Python 3.7+, standard library only.
"""

import argparse
import decimal
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

LIMIT_PERCENT = decimal.Decimal(2)
FIGURE_RE = re.compile(r"^bench: ([a-z][a-z0-9_]*) ([0-9]+(?:\.[0-9]+)?)$")
DONE_RE = re.compile(r"^bench: done$")
FAIL_RE = re.compile(r"^bench: FAIL\b.*$")
TAIL_LINES = 30

# The runs of `make bench`, in order. Add a run for figures that need
# another program as root, other boot arguments or a disk.
RUNS = [
    {"args": "root=bench", "disk": None},           # the kernel's operations
    {"args": "root=bench_blk", "disk": "4M"},       # the block driver, on a blank disk
    {"args": "root=test_proc procinit=procbench", "disk": None},   # processes (test/proc/procbench.c)
    {"args": "init=bench_restart inject=1", "disk": None},   # root restarting a driver
    # The file system, on a copy of the image. cache=unsafe: a flush returns
    # without waiting for the host's disk, whose latency would otherwise
    # become guest time (timer ticks) under -icount.
    {"args": "root=bench_fs", "disk": "build/fs.img", "cache": "unsafe"},
]
DISK_SIZE_RE = re.compile(r"([1-9][0-9]{0,5})([KMG])")
DISK_ARGS = ["-global", "virtio-mmio.force-legacy=false",
             "-drive", "file={},if=none,format=raw,id=x0",
             "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0"]


class Run:
    """What one benchmark run produced: figures (name -> Decimal, in the
    order printed), the console text, the wall time in seconds, and why it
    is broken ("" if it is not)."""

    def __init__(self, console="", seconds=0.0, broken=""):
        self.console = console
        self.seconds = seconds
        self.broken = broken
        self.figures = {}


def parse_console(text):
    """Parse the console TEXT. Returns a Run whose `broken` says why the run
    cannot be trusted: a FAIL line, or no closing "bench: done"."""
    run = Run(console=text)
    done = False
    fails = []
    for line in text.splitlines():
        line = line.rstrip("\r")
        m = FIGURE_RE.match(line)
        if m:
            run.figures[m.group(1)] = decimal.Decimal(m.group(2))
        elif DONE_RE.match(line):
            done = True
        elif FAIL_RE.match(line):
            fails.append(line)
    if fails:
        run.broken = "the benchmark failed: " + "; ".join(fails)
    elif not done:
        run.broken = "the benchmark never printed 'bench: done'"
    return run


def merge(runs, names):
    """One Run of RUNS (each named by NAMES[i] in messages): the figures in
    order, the consoles one after another, the wall times summed, and every
    run's reason to be broken, or a figure two runs printed."""
    whole = Run()
    reasons = []
    for run, name in zip(runs, names):
        whole.console += run.console
        whole.seconds += run.seconds
        if run.broken:
            reasons.append("%s: %s" % (name, run.broken))
        for fig, value in run.figures.items():
            if fig in whole.figures:
                reasons.append("%s: printed %s, which an earlier run printed too" % (name, fig))
            whole.figures[fig] = value
    whole.broken = "; ".join(reasons)
    return whole


def make_disk(spec, path):
    """Write the disk SPEC (a size like 4M: a blank image; else an image
    file to copy) to PATH."""
    m = DISK_SIZE_RE.fullmatch(spec)
    if m:
        with open(path, "wb") as f:
            f.truncate(int(m.group(1)) << {"K": 10, "M": 20, "G": 30}[m.group(2)])
    else:
        shutil.copyfile(spec, path)


def run_qemu(opts, spec):
    """Boot one run (a dict like RUNS' rows), with its disk in a temporary
    folder. Returns a Run (parsed, with wall time); never raises for
    anything QEMU does."""
    if spec["disk"] is None:
        return run_qemu_with(opts, spec["args"], [])
    folder = tempfile.mkdtemp(prefix="mica-bench-disk-")
    try:
        disk = os.path.join(folder, "disk.img")
        try:
            make_disk(spec["disk"], disk)
        except OSError as err:
            return Run(broken="cannot make the disk from %s: %s" % (spec["disk"], err.strerror))
        drive = disk + (",cache=" + spec["cache"] if spec.get("cache") else "")
        return run_qemu_with(opts, spec["args"], [a.format(drive) for a in DISK_ARGS])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_qemu_with(opts, args, disk_args):
    cmd = [opts.qemu, "-machine", "virt", "-bios", opts.bios, "-kernel", opts.kernel,
           "-m", "128M", "-smp", "1", "-icount", "shift=0",
           "-nographic", "-serial", "stdio", "-monitor", "none", "-no-reboot",
           "-append", args] + disk_args
    t0 = time.monotonic()
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
    except OSError as err:
        return Run(broken="cannot start %s: %s" % (cmd[0], err.strerror))
    timed_out = False
    try:
        out, err = proc.communicate(timeout=opts.timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    run = parse_console(out.decode("utf-8", "replace"))
    run.seconds = time.monotonic() - t0
    stderr = err.decode("utf-8", "replace").strip()
    if timed_out:
        run.broken = "timed out after %g s" % opts.timeout
    elif proc.returncode != 0 and not run.broken:
        run.broken = "QEMU exited with status %d" % proc.returncode
    if run.broken and stderr:
        run.broken += "\nQEMU said: " + stderr
    return run


def load_baseline(path):
    """The baseline at PATH as name -> Decimal. Raises ValueError for a file
    that is not a flat JSON object of numbers, OSError if unreadable."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f, parse_float=decimal.Decimal, parse_int=decimal.Decimal)
    if not isinstance(data, dict) or not all(
            isinstance(v, decimal.Decimal) for v in data.values()):
        raise ValueError("%s: not a flat JSON object of numbers" % path)
    return data


def compare(figures, baseline, limit=LIMIT_PERCENT):
    """Compare FIGURES with BASELINE (both name -> Decimal). Returns rows
    (name, value or None, base or None, change percent or None, verdict),
    measured figures first in their order, then missing ones; the verdict is
    "ok", "over" (grew more than LIMIT percent), "better" (shrank more than
    LIMIT percent), "new" (not in the baseline) or "missing" (not measured).
    Exactly LIMIT percent more is still "ok"."""
    rows = []
    for name, value in figures.items():
        base = baseline.get(name) if baseline is not None else None
        if base is None:
            rows.append((name, value, None, None, "new"))
            continue
        change = (value - base) * 100 / base if base else (
            decimal.Decimal(0) if value == base else decimal.Decimal("Infinity"))
        if value * 100 > base * (100 + limit):
            verdict = "over"
        elif value * 100 < base * (100 - limit):
            verdict = "better"
        else:
            verdict = "ok"
        rows.append((name, value, base, change, verdict))
    for name, base in (baseline or {}).items():
        if name not in figures:
            rows.append((name, None, base, None, "missing"))
    return rows


def failures(rows, limit=LIMIT_PERCENT):
    """One line per row that fails a check, naming its figure."""
    out = []
    for name, value, base, change, verdict in rows:
        if verdict == "over":
            out.append("bench: FAIL %s: %s instructions/op is %+.1f %% over the baseline %s "
                       "(limit %s %%)" % (name, value, change, base, limit))
        elif verdict == "missing":
            out.append("bench: FAIL %s: in the baseline (%s) but not measured" % (name, base))
    return out


def table(rows, seconds, limit=LIMIT_PERCENT):
    """The report: one line per figure, then the wall time."""
    def num(x):
        return "-" if x is None else "%.1f" % x

    marks = {"ok": "", "over": "  over the %s %% limit" % limit, "better": "  better",
             "new": "", "missing": ""}
    lines = ["%-24s %12s %12s %10s" % ("figure", "instr/op", "baseline", "change")]
    for name, value, base, change, verdict in rows:
        if verdict in ("new", "missing"):
            text = verdict
        else:
            text = "%+.1f %%" % change
        lines.append("%-24s %12s %12s %10s%s" % (name, num(value), num(base), text, marks[verdict]))
    lines.append("wall time %.2f s (QEMU -icount shift=0 -smp 1, boot to power-off, every run)"
                 % seconds)
    return "\n".join(lines)


def write_json(path, figures):
    """Write FIGURES as a flat JSON object, sorted by name."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump({k: float(v) for k, v in sorted(figures.items())}, f, indent=2)
        f.write("\n")
    os.replace(path + ".tmp", path)


def write_results(path, passed, failed):
    if path:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write("passed=%d failed=%d\n" % (passed, failed))


class RunAction(argparse.Action):
    """--run ARGS: one more run, with no disk until --disk gives it one."""

    def __call__(self, parser, namespace, values, option_string=None):
        runs = getattr(namespace, self.dest) or []
        setattr(namespace, self.dest, runs + [{"args": values, "disk": None}])


class DiskAction(argparse.Action):
    """--disk SPEC: the disk of the --run before it."""

    def __call__(self, parser, namespace, values, option_string=None):
        if not namespace.runs:
            parser.error("--disk must follow the --run it is for")
        namespace.runs[-1]["disk"] = values


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--qemu", default="qemu-system-riscv64")
    ap.add_argument("--bios", default="default")
    ap.add_argument("--kernel", default="build/kernel.elf")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds (default 60)")
    ap.add_argument("--run", metavar="ARGS", dest="runs", action=RunAction, default=None,
                    help="boot with these boot arguments (repeat for more runs; default: RUNS)")
    ap.add_argument("--disk", metavar="SIZE|IMAGE", action=DiskAction,
                    help="the last --run gets this disk: a blank image of SIZE (4M), or a copy")
    ap.add_argument("--console", metavar="LOG", action="append",
                    help="read this console log (one per run) instead of booting QEMU")
    ap.add_argument("--json", metavar="OUT", help="write the figures here")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--baseline", metavar="FILE", help="compare with FILE")
    mode.add_argument("--check", metavar="FILE", help="compare with FILE and fail on a regression")
    mode.add_argument("--update", metavar="FILE", help="compare with FILE, then rewrite it")
    ap.add_argument("--results", metavar="FILE", help='write "passed=N failed=M" here')
    opts = ap.parse_args(argv)

    if opts.console is not None:
        runs = []
        for log in opts.console:
            try:
                with open(log, encoding="utf-8", errors="replace") as f:
                    runs.append(parse_console(f.read()))
            except OSError as err:
                runs.append(Run(broken="cannot read %s: %s" % (log, err.strerror)))
        run = merge(runs, opts.console)
    else:
        specs = opts.runs if opts.runs is not None else RUNS
        runs = []
        for spec in specs:
            print("bench: booting %s%s under QEMU -icount shift=0 -smp 1"
                  % (spec["args"], " with a disk (%s)" % spec["disk"] if spec["disk"] else ""),
                  flush=True)
            runs.append(run_qemu(opts, spec))
        run = merge(runs, [spec["args"] for spec in specs])

    base_path = opts.baseline or opts.check or opts.update
    baseline = None
    if base_path and not (opts.update and not os.path.exists(base_path)):
        try:
            baseline = load_baseline(base_path)
        except (OSError, ValueError) as err:
            print("bench: cannot read the baseline: %s" % err)
            write_results(opts.results, 0, 1)
            return 1

    rows = compare(run.figures, baseline)
    if run.figures or baseline:
        print(table(rows, run.seconds))
    if run.broken:
        tail = run.console.splitlines()[-TAIL_LINES:]
        if tail:
            print("bench: the console's last %d lines:" % len(tail))
            print("\n".join("  | " + line for line in tail))
        print("bench: FAIL the run is broken: %s" % run.broken)
        if opts.json and os.path.exists(opts.json):
            os.remove(opts.json)     # no stale figures left looking current
        bad = [r for r in rows if r[4] in ("over", "missing")]
        write_results(opts.results, len(rows) - len(bad), len(bad) + 1)
        return 1

    if opts.json:
        write_json(opts.json, run.figures)
        print("bench: wrote %s" % opts.json)
    new = [r[0] for r in rows if r[4] == "new"]
    if new and baseline is not None:
        print("bench: new (not in the baseline): %s" % ", ".join(new))
    fails = failures(rows)
    better = [r[0] for r in rows if r[4] == "better"]
    if better and not opts.update:
        print("bench: more than %s %% better: %s; `make bench-baseline` makes that the new baseline"
              % (LIMIT_PERCENT, ", ".join(better)))
    if opts.update:
        write_json(opts.update, run.figures)
        print("bench: wrote the baseline %s (%d figures)" % (opts.update, len(run.figures)))
        write_results(opts.results, len(run.figures), 0)
        return 0
    write_results(opts.results, len(rows) - len(fails), len(fails))
    if not opts.check:
        if fails:
            print("bench: %d figures fail the check that make test runs:" % len(fails))
            print("\n".join("  " + line for line in fails))
        return 0
    for line in fails:
        print(line)
    if fails:
        return 1
    print("bench: every figure within %s %% of %s" % (LIMIT_PERCENT, opts.check))
    return 0


if __name__ == "__main__":
    sys.exit(main())
