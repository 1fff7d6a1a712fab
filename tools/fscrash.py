#!/usr/bin/env python3
"""fscrash.py - the file system's crash test (`make test-crash N=500`; `make
test` runs 20 points): cut the power at N points of a write-heavy workload,
boot again, and check that nothing that was done is lost.

Interface: fscrash.py --qemu PATH --bios PATH --kernel ELF --mkfs PATH --fsck PATH
[-n N] [--first P] [--jobs J] [--results FILE] [--work DIR]

A first boot runs the workload (test/guest/test_fscrash.c) to its end and
says how many disk writes it makes, W. Then for each point p, P to P+N-1
(seeded by p, so every run picks the same points): a fresh image; a boot with
`cut=K torn=T` (K in 1..W, T in 0..7), in which the fs stops dead at its
K-th write, torn to T sectors, and this script kills QEMU as soon as the
fs says so; fsck on the image as the power cut left it (a committed log
must be replayable); a second boot (test_fsverify.c), whose fs mounts and
replays the image and lists each file's size and checksum; fsck again
(now the log must be empty and all clean); and the list compared with
what the workload said: every file as its last finished operation left
it, or, for the one operation under way at the cut, as it was before or
after. Prints `kills`, `fsck failures`, `lost files` and exits 1 if any
point failed. QEMU runs under -icount, so a point's outcome never depends
on the host. Python 3.7+, standard library only.
"""

import argparse
import concurrent.futures
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BOOT_TIMEOUT = 120.0
IMAGE_BLOCKS = "1024"     # 4 MiB: the workload's files fit many times over
IMAGE_INODES = "64"
BEGIN_RE = re.compile(r"^wl: begin (\d+) (\S+) (\S+) (\S+)$")
DONE_RE = re.compile(r"^wl: done (\d+)$")
END_RE = re.compile(r"^wl: end, (\d+) disk writes$")
CUT_RE = re.compile(r"^fs: power cut")
VERIFY_RE = re.compile(r"^verify: (\S+) (\S+) (\S+)$")
STUB_RE = re.compile(r"^lab [0-9]+: .*not implemented")


def boot(opts, image, args, stop_re):
    """Boot root=ARGS on IMAGE; return its console lines. Kill QEMU as
    soon as a line matches stop_re (None: wait for it to power off)."""
    cmd = [opts.qemu, "-machine", "virt", "-bios", opts.bios, "-kernel", opts.kernel,
           "-m", "128M", "-smp", "1", "-nographic", "-serial", "stdio", "-monitor", "none",
           "-no-reboot", "-icount", "shift=0,sleep=off", "-append", args,
           "-global", "virtio-mmio.force-legacy=false",
           # cache=unsafe: a guest's flush does not wait for the host's disk.
           # Every write QEMU completed is in the host's page cache, which
           # outlives QEMU when it is killed; only the host crashing loses it.
           "-drive", "file=%s,if=none,format=raw,cache=unsafe,id=x0" % image,
           "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0"]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    lines = []
    deadline = time.monotonic() + BOOT_TIMEOUT
    try:
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            lines.append(line)
            if stop_re is not None and stop_re.search(line):
                break
            if time.monotonic() > deadline:
                lines.append("fscrash: timed out")
                break
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return lines


def fsck(opts, image):
    """fsck's exit status and its last line."""
    out = subprocess.run([opts.fsck, image], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    text = out.stdout.decode("utf-8", "replace").strip().splitlines()
    return out.returncode, text[-1] if text else ""


def expected(lines):
    """From the workload's console: path -> state after its last finished
    operation, and the operation under way at the cut (path, before,
    after) or None. A state is "SIZE SUM", "- -" for no file."""
    done, pending, under_way = {}, {}, None
    for line in lines:
        m = BEGIN_RE.match(line)
        if m:
            pending[m.group(1)] = (m.group(2), m.group(3) + " " + m.group(4))
            continue
        m = DONE_RE.match(line)
        if m and m.group(1) in pending:
            path, state = pending.pop(m.group(1))
            done[path] = state
    if pending:
        op = max(pending, key=int)
        path, state = pending[op]
        under_way = (path, done.get(path, "- -"), state)
    return done, under_way


def run_point(opts, template, writes, p):
    """One point: returns (killed, fsck_failures, lost_files, message)."""
    rng = random.Random(p)
    cut, torn = rng.randint(1, writes), rng.randint(0, 7)
    folder = tempfile.mkdtemp(prefix="mica-crash-", dir=opts.work)
    image = os.path.join(folder, "disk.img")
    try:
        shutil.copyfile(template, image)
        first = boot(opts, image, "root=test_fscrash cut=%d torn=%d" % (cut, torn), CUT_RE)
        killed = any(CUT_RE.search(l) for l in first)
        if not killed:
            return (False, 0, 0, "point %d: no power cut at write %d (workload: %s)"
                    % (p, cut, first[-1] if first else "no output"))
        bad_fsck = 0
        rc, last = fsck(opts, image)
        notes = []
        if rc != 0:
            bad_fsck += 1
            notes.append("fsck after the cut: " + last)
        second = boot(opts, image, "root=test_fsverify", re.compile(r"^verify: done$"))
        rc, last = fsck(opts, image)
        if rc != 0 or "clean" not in last:
            bad_fsck += 1
            notes.append("fsck after the reboot: " + last)
        got = {}
        for line in second:
            m = VERIFY_RE.match(line)
            if m and m.group(1) != "done":
                got[m.group(1)] = m.group(2) + " " + m.group(3)
        if not any(l == "verify: done" for l in second):
            notes.append("the verifying boot did not finish: " + (second[-1] if second else ""))
        done, under_way = expected(first)
        lost = 0
        for path in sorted(set(done) | set(got) | ({under_way[0]} if under_way else set())):
            want = {done.get(path, "- -")}
            if under_way and under_way[0] == path:
                want = {under_way[1], under_way[2]}
            if got.get(path, "?") not in want:
                lost += 1
                notes.append("%s is %s, want %s" % (path, got.get(path, "unlisted"),
                                                    " or ".join(sorted(want))))
        # A lab handout's stub says so on the console (labs/08-fs): a failed
        # point says it too.
        if notes:
            notes += sorted({l for l in first + second if STUB_RE.search(l)})
        status = "ok" if not notes else "FAIL"
        return (True, bad_fsck, lost, "point %d: cut at write %d torn to %d sectors: %s%s"
                % (p, cut, torn, status, "" if not notes else ": " + "; ".join(notes)))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name in ("qemu", "bios", "kernel", "mkfs", "fsck"):
        ap.add_argument("--" + name, required=True)
    ap.add_argument("-n", type=int, default=20)
    ap.add_argument("--first", type=int, default=0, help="the first point (the seed of its cut)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--results")
    ap.add_argument("--work", default=None)
    opts = ap.parse_args()
    folder = tempfile.mkdtemp(prefix="mica-crash-", dir=opts.work)
    template = os.path.join(folder, "template.img")
    try:
        subprocess.run([opts.mkfs, template, IMAGE_BLOCKS, "-i", IMAGE_INODES], check=True,
                       stdout=subprocess.DEVNULL)
        calibrate = os.path.join(folder, "calibrate.img")
        shutil.copyfile(template, calibrate)
        lines = boot(opts, calibrate, "root=test_fscrash", END_RE)
        ends = [END_RE.match(l) for l in lines if END_RE.match(l)]
        if not ends:
            print("fscrash: the workload did not run to its end: %s" % (lines[-5:],))
            failures = 1
            kills = bad = lost = 0
        else:
            writes = int(ends[0].group(1))
            print("fscrash: the workload makes %d disk writes; cutting the power at %d points"
                  % (writes, opts.n))
            kills = bad = lost = failures = 0
            with concurrent.futures.ThreadPoolExecutor(max(1, opts.jobs)) as pool:
                futures = [pool.submit(run_point, opts, template, writes, p)
                           for p in range(opts.first, opts.first + opts.n)]
                for f in futures:
                    killed, b, l, message = f.result()
                    kills += killed
                    bad += b
                    lost += l
                    failed = not killed or b or l or "FAIL" in message
                    failures += bool(failed)
                    if failed or opts.n <= 50:
                        print("fscrash: " + message)
        print("fscrash: kills %d, fsck failures %d, lost files %d" % (kills, bad, lost))
        if opts.results:
            with open(opts.results, "w") as f:
                f.write("passed=%d failed=%d\n" % (opts.n - failures if ends else 0, failures))
        return 1 if failures else 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
