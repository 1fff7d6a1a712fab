#!/usr/bin/env python3
"""tools/faults.py - reincarnation under load (make test-faults, and a short
slice in make test): boot a workload that makes a driver die again and
again while it uses it (the console driver under typed lines, the block
driver under the file system), and count what happened.

Each workload is a function that writes the case file (test/qemu/README.md)
for one boot of ROUNDS rounds, and a regex for root's line saying it
restarted the driver. The rounds are split over boots of at most --per-boot
rounds, run by test/qemu/run.py two at a time; from each console this
counts the faults the workload injected, root's restarts, data errors (the
workload's own count, plus any prompt line missing or printed twice) and
kernel panics, and prints

    faults injected: N
    restarts: N
    data errors: 0
    kernel panics: 0

It fails (exit 1) unless every boot passed, every fault was injected and
followed by a restart, and there were no data errors and no panics.
To add a workload: write its guest program, a function like uart_case(),
and a row in WORKLOADS.
"""
import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_PY = os.path.join(HERE, "..", "test", "qemu", "run.py")
CONSOLE_LINE = re.compile(r"^ {4,}(\d+)\| (.*)$")
PANIC = re.compile(r"panic")


def uart_case(rounds):
    """test_reinc: each round a prompt, a fault of the next kind, the line
    the harness types while root restarts the driver."""
    out = ["# reincarnation of the console driver: %d faults, a typed line each" % rounds,
           "args: init=test_reinc inject=1 initarg=%d" % rounds,
           "timeout: %d" % (30 + 2 * rounds)]
    for r in range(1, rounds + 1):
        out.append("expect: ^test_reinc: round %d: type line %d " % (r, r))
        out.append("send: line %d of the test" % r)
    out += ["expect: ^test_reinc: faults injected [0-9]+, data errors [0-9]+",
            "expect: ^root: every init program has ended",
            "reject: panic",
            "exit: 0"]
    return "\n".join(out) + "\n"


def summary_count(lines, program):
    """Injected faults and data errors from PROGRAM's last line
    "PROGRAM: faults injected N, data errors M" (0, 0 if none)."""
    injected, errors = 0, 0
    for line in lines:
        m = re.match(r"^%s: faults injected ([0-9]+), data errors ([0-9]+)" % program, line)
        if m:
            injected, errors = int(m.group(1)), int(m.group(2))
    return injected, errors


def uart_count(lines, rounds):
    """Injected faults and data errors from test_reinc's console."""
    injected, errors = summary_count(lines, "test_reinc")
    for r in range(1, rounds + 1):
        prompt = re.compile(r"^test_reinc: round %d: type line %d " % (r, r))
        if sum(1 for line in lines if prompt.match(line)) != 1:
            errors += 1          # an output line lost or written twice
    return injected, errors


def fs_case(rounds):
    """test_fsfaults: the fs's write-heavy workload on a copy of the disk
    image, the block driver dying once a round, killed by the fs or by a
    client of its own in the middle of a request."""
    return "\n".join([
        "# the block driver dies %d times under the file system's workload" % rounds,
        "args: root=test_fsfaults faults=%d" % rounds,
        "disk: build/fs.img",
        "timeout: %d" % (60 + rounds),
        "expect: ^test_fsfaults: faults injected [0-9]+, data errors [0-9]+",
        "reject: panic",
        "reject: fsroot: the fs died",
        "exit: 0"]) + "\n"


def fs_count(lines, rounds):
    """Injected faults and data errors from test_fsfaults's console."""
    return summary_count(lines, "test_fsfaults")


WORKLOADS = {
    "uart": {"case": uart_case, "count": uart_count,
             "restart": re.compile(r"root: uart .*; restarted it \(restart [0-9]+\)$")},
    "fs": {"case": fs_case, "count": fs_count,
           "restart": re.compile(r"^test_fsfaults: round [0-9]+: blk died .*; restart [0-9]+$")},
}


def console_of(output, name):
    """The console lines run.py --verbose printed for case NAME."""
    lines, inside = [], False
    for line in output.splitlines():
        if line.startswith(("PASS ", "FAIL ")):
            inside = line.split()[1] == name
            continue
        m = CONSOLE_LINE.match(line)
        if inside and m:
            lines.append(m.group(2))
    return lines


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--qemu", required=True)
    p.add_argument("--bios", required=True)
    p.add_argument("--kernel", required=True)
    p.add_argument("--rounds", type=int, default=1000, help="faults per workload")
    p.add_argument("--per-boot", type=int, default=100, help="rounds in one boot")
    p.add_argument("--workloads", default=",".join(WORKLOADS))
    p.add_argument("--dir", default="build/faults", help="where the case files go")
    p.add_argument("--results", help="write passed=N failed=M here")
    opts = p.parse_args(argv)
    os.makedirs(opts.dir, exist_ok=True)
    cases, plan = [], []
    for name in opts.workloads.split(","):
        w = WORKLOADS[name]
        left, boot = opts.rounds, 0
        while left > 0:
            n = min(left, opts.per_boot)
            path = os.path.join(opts.dir, "%s_%d.test" % (name, boot))
            with open(path, "w") as f:
                f.write(w["case"](n))
            cases.append(path)
            plan.append((name, "%s_%d" % (name, boot), n))
            left -= n
            boot += 1
    print("faults: %s, %d rounds each, %d boots" % (opts.workloads, opts.rounds, len(cases)),
          flush=True)
    run = subprocess.run([sys.executable, RUN_PY, "--qemu", opts.qemu, "--bios", opts.bios,
                          "--kernel", opts.kernel, "--jobs", "2", "--verbose"] + cases,
                         stdout=subprocess.PIPE, universal_newlines=True, errors="replace")
    injected = restarts = errors = panics = failed_boots = 0
    for name, case, n in plan:
        lines = console_of(run.stdout, case)
        i, e = WORKLOADS[name]["count"](lines, n)
        r = sum(1 for line in lines if WORKLOADS[name]["restart"].search(line))
        k = sum(1 for line in lines if PANIC.search(line))
        ok = re.search(r"^PASS %s " % re.escape(case), run.stdout, re.M) is not None
        if not ok:
            failed_boots += 1
            fail = re.search(r"^FAIL %s .*$" % re.escape(case), run.stdout, re.M)
            print(fail.group(0) if fail else "FAIL %s: no result" % case)
        if i != n or r != i:
            print("faults: %s: %d of %d faults injected, %d restarts" % (case, i, n, r))
        injected, restarts, errors, panics = injected + i, restarts + r, errors + e, panics + k
    print("faults injected: %d" % injected)
    print("restarts: %d" % restarts)
    print("data errors: %d" % errors)
    print("kernel panics: %d" % panics)
    expected = opts.rounds * len(opts.workloads.split(","))
    good = failed_boots == 0 and injected == expected and restarts == injected and \
        errors == 0 and panics == 0
    print("faults: %s" % ("ok" if good else "FAILED (%d boots failed)" % failed_boots))
    if opts.results:
        with open(opts.results, "w") as f:
            f.write("passed=%d failed=%d\n" % ((1, 0) if good else (0, 1)))
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
