#!/usr/bin/env python3
"""trace.py - `make trace`: boot the trace kernel (build/trace/kernel.elf,
kernel/trace.c) on QEMU's instruction clock, show what the guest printed,
and turn the IPC events the kernel prints at power-off into Chrome trace
JSON that the Perfetto UI (or chrome://tracing) opens: one track per
thread, a slice where each message leaves its sender and one where it
reaches its receiver, an arrow between them. One nanosecond on the time
axis is one guest instruction.

    trace.py --qemu PATH --bios PATH --kernel ELF [--args "root=test_ipc"]
             --out build/trace.json [--timeout 120]
             [--expect SRC>DST:LABEL ...] [--results FILE]
    trace.py --console LOG --out F ...     convert a saved console instead

--expect checks the JSON written: each SRC>DST:LABEL (thread names, the
label in decimal or "fault") must match a message after the one the
previous --expect matched; exit 1 if one does not. --results gets
"passed=N failed=M" (one per --expect, and one for the run itself).
Python 3.7+, standard library only.
"""

import argparse
import json
import re
import subprocess
import sys

EVENT = re.compile(r"^trace: ([0-9]+) ([0-9a-f]+) (\S+) ([0-9a-f]+) (\S+) ([0-9a-f]+) ([0-9a-f]+)$")
BEGIN = re.compile(r"^trace: begin ([0-9]+) events, ([0-9]+) dropped$")
FAULT_LABEL = (1 << 64) - 1
PID = 1


def boot(opts):
    """The console of one boot of the trace kernel, as text."""
    cmd = [opts.qemu, "-machine", "virt", "-bios", opts.bios, "-kernel", opts.kernel,
           "-m", "128M", "-smp", "1", "-nographic", "-serial", "stdio", "-monitor", "none",
           "-no-reboot", "-icount", "shift=0,sleep=off"]
    if opts.args:
        cmd += ["-append", opts.args]
    try:
        out = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=opts.timeout).stdout
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"") + b"\ntrace.py: QEMU did not power off within %d s\n" % opts.timeout
    return out.decode("utf-8", "replace").replace("\r", "")


def parse(console):
    """(events, dropped, other lines): events as dicts, in the order the
    kernel recorded them; None for dropped if the kernel printed no trace."""
    events, dropped, rest = [], None, []
    for line in console.split("\n"):
        m = EVENT.match(line)
        b = BEGIN.match(line)
        if m:
            label = int(m.group(6), 16)
            events.append({"instret": int(m.group(1)), "src": m.group(2), "src_name": m.group(3),
                           "dst": m.group(4), "dst_name": m.group(5),
                           "label": "fault" if label == FAULT_LABEL else str(label),
                           "badge": int(m.group(7), 16)})
        elif b:
            dropped = int(b.group(2))
        elif line != "trace: end":
            rest.append(line)
    return events, dropped, rest


def chrome_trace(events, dropped):
    """The Chrome trace JSON object for EVENTS."""
    tids, names, out = {}, {}, []
    seen_names = {}

    def tid(tcb, name):
        if tcb not in tids:
            tids[tcb] = len(tids) + 1
            seen_names[name] = seen_names.get(name, 0) + 1
            names[tcb] = name if seen_names[name] == 1 else "%s #%d" % (name, seen_names[name])
            out.append({"ph": "M", "pid": PID, "tid": tids[tcb], "name": "thread_name",
                        "args": {"name": names[tcb]}})
        return tids[tcb]

    out.append({"ph": "M", "pid": PID, "name": "process_name",
                "args": {"name": "Mica (make trace)"}})
    for i, e in enumerate(events):
        src, dst = tid(e["src"], e["src_name"]), tid(e["dst"], e["dst_name"])
        ts = e["instret"] / 1000.0              # microseconds: 1 ns = 1 instruction
        args = {"from": names[e["src"]], "to": names[e["dst"]], "label": e["label"],
                "badge": e["badge"], "instret": e["instret"]}
        out.append({"ph": "X", "pid": PID, "tid": src, "ts": ts, "dur": 0.001, "cat": "ipc",
                    "name": "send %s to %s" % (e["label"], names[e["dst"]]), "args": args})
        out.append({"ph": "X", "pid": PID, "tid": dst, "ts": ts, "dur": 0.001, "cat": "ipc",
                    "name": "recv %s from %s" % (e["label"], names[e["src"]]), "args": args})
        out.append({"ph": "s", "pid": PID, "tid": src, "ts": ts, "id": i, "cat": "ipc",
                    "name": "message"})
        out.append({"ph": "f", "bp": "e", "pid": PID, "tid": dst, "ts": ts, "id": i,
                    "cat": "ipc", "name": "message"})
    return {"displayTimeUnit": "ns", "traceEvents": out,
            "otherData": {"clock": "1 ns = 1 guest instruction (QEMU -icount shift=0)",
                          "events": len(events), "dropped": dropped}}


def check(path, expects):
    """Each SRC>DST:LABEL of EXPECTS in the JSON at PATH, in order.
    Returns the problems (none: all found)."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    msgs = [e["args"] for e in data["traceEvents"] if e.get("ph") == "X" and
            e["name"].startswith("send ")]
    problems, at = [], 0
    for want in expects:
        m = re.fullmatch(r"([^>]+)>([^:]+):(\S+)", want)
        if not m:
            problems.append("--expect %s: not SRC>DST:LABEL" % want)
            continue
        base = lambda n: re.sub(r" #[0-9]+$", "", n)
        found = next((i for i in range(at, len(msgs)) if base(msgs[i]["from"]) == m.group(1)
                      and base(msgs[i]["to"]) == m.group(2) and msgs[i]["label"] == m.group(3)),
                     None)
        if found is None:
            problems.append("no message %s after message %d of %d in %s" % (want, at, len(msgs),
                                                                            path))
        else:
            at = found + 1
    return problems


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--qemu")
    ap.add_argument("--bios", default="default")
    ap.add_argument("--kernel")
    ap.add_argument("--args", default="")
    ap.add_argument("--console", metavar="LOG")
    ap.add_argument("--out", required=True)
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--results")
    opts = ap.parse_args(argv)
    if opts.console:
        with open(opts.console, encoding="utf-8", errors="replace") as f:
            console = f.read()
    elif opts.qemu and opts.kernel:
        console = boot(opts)
    else:
        ap.error("give --qemu and --kernel, or --console")
    events, dropped, rest = parse(console)
    sys.stdout.write("\n".join(rest).rstrip("\n") + "\n")
    problems = []
    if dropped is None:
        problems.append("the kernel printed no trace: is %s a trace build (make trace), and did "
                        "it power off?" % (opts.kernel or opts.console))
    else:
        with open(opts.out, "w", encoding="utf-8") as f:
            json.dump(chrome_trace(events, dropped), f)
            f.write("\n")
        full = " (%d more not recorded: the buffer was full)" % dropped if dropped else ""
        print("trace: %d messages%s -> %s; open it in the Perfetto UI" % (len(events), full,
                                                                         opts.out))
        problems += check(opts.out, opts.expect)
    for p in problems:
        print("trace: FAIL " + p)
    if opts.results:
        failed = min(len(problems), len(opts.expect) + 1)
        with open(opts.results, "w") as f:
            f.write("passed=%d failed=%d\n" % (len(opts.expect) + 1 - failed, failed))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
