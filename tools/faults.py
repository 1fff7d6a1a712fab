#!/usr/bin/env python3
"""faults.py - `make test-faults N=1000`: reincarnation under load, long.

Boots each run of RUNS once with `faults=N` added to its boot arguments,
through the QEMU test harness (test/qemu/run.py: instruction clock, a fresh
disk per run), and checks it the way a case file would. Each run's program
injects N faults into a server while a workload uses it and prints
"NAME: faults injected: I", "NAME: restarts: R", "NAME: data errors: D";
a console line starting "panic:" is a kernel panic. The report sums the runs:

  faults injected: I
  restarts: R
  data errors: D
  kernel panics: P

then `test-faults: PASS` or `test-faults: FAIL` with each failed run's
reason. Exit status 0 only if every run passed: as many restarts as faults,
no data error, no panic. Python 3.7+, standard library only.
"""

import argparse
import os
import re
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "test", "qemu"))
sys.dont_write_bytecode = True
import run as harness  # noqa: E402

# One row per workload that makes a server die under load: its boot
# arguments (faults=N is added), its disk, the name its lines start with.
RUNS = [
    {"args": "root=test_blkload", "disk": "4M", "name": "test_blkload"},   # blk
]
FIGURES = ("faults injected", "restarts", "data errors")
SECONDS_PER_FAULT = 0.2      # generous: 1,000 faults take 15 s on an idle host
PANIC_RE = re.compile(r"^panic:")


def case_text(spec, faults):
    """The case file that runs SPEC with FAULTS faults and checks its end."""
    name = re.escape(spec["name"])
    lines = ["# %s with %d faults injected under load" % (spec["name"], faults),
             "args: %s faults=%d" % (spec["args"], faults),
             "timeout: %d" % (60 + faults * SECONDS_PER_FAULT)]
    if spec["disk"]:
        lines.append("disk: %s" % spec["disk"])
    lines += ["expect: ^%s: %s: [0-9]+$" % (name, fig) for fig in FIGURES]
    lines += ["expect: ^%s: [0-9]+ checks, 0 failed$" % name,
              "reject: ^panic:",
              "reject: ^mica: thread \\S+ killed",
              "exit: 0"]
    return "\n".join(lines) + "\n"


def figures(spec, console):
    """The run's figures (name -> number) and its panics, from its console."""
    found = dict.fromkeys(FIGURES, 0)
    panics = 0
    pattern = re.compile(r"^%s: (%s): ([0-9]+)$"
                         % (re.escape(spec["name"]), "|".join(FIGURES)))
    for i in range(console.count() if console else 0):
        line = console.line(i)
        m = pattern.match(line)
        if m:
            found[m.group(1)] = int(m.group(2))
        elif PANIC_RE.match(line):
            panics += 1
    return found, panics


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--qemu", default="qemu-system-riscv64")
    ap.add_argument("--bios", default="default")
    ap.add_argument("--kernel", default="build/kernel.elf")
    ap.add_argument("--faults", type=int, default=1000, help="faults per run (default 1000)")
    opts = ap.parse_args(argv)
    if opts.faults < 1:
        ap.error("--faults must be at least 1")

    hopts = harness.parse_args(["--qemu", opts.qemu, "--bios", opts.bios,
                                "--kernel", opts.kernel])
    runner = harness.Harness(hopts)
    folder = tempfile.mkdtemp(prefix="mica-faults-")
    totals = dict.fromkeys(FIGURES, 0)
    panics = 0
    failed = []
    try:
        for spec in RUNS:
            path = os.path.join(folder, spec["name"] + ".test")
            with open(path, "w") as f:
                f.write(case_text(spec, opts.faults))
            print("test-faults: %s with %d faults" % (spec["args"], opts.faults), flush=True)
            result = runner.run_case(path)
            found, run_panics = figures(spec, result["console"])
            for fig in FIGURES:
                totals[fig] += found[fig]
            panics += run_panics
            if not result["ok"]:
                failed.append("%s: %s" % (spec["name"], result["reason"]))
            elif found["restarts"] != found["faults injected"]:
                failed.append("%s: %d restarts for %d faults" % (
                    spec["name"], found["restarts"], found["faults injected"]))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for fig in FIGURES:
        print("%s: %d" % (fig, totals[fig]))
    print("kernel panics: %d" % panics)
    if failed:
        print("test-faults: FAIL")
        for line in failed:
            print("  " + line)
        return 1
    print("test-faults: PASS (%d run%s)" % (len(RUNS), "" if len(RUNS) == 1 else "s"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
