#!/usr/bin/env python3
"""Mica's QEMU integration-test harness: boots the kernel once per case file
and checks what it prints on the serial console.

Interface: run.py --qemu PATH --bios PATH|default --kernel ELF [--jobs N]
[--results FILE] [--extra-args "QEMU ARGS"] [--verbose] CASE_FILE...
The case file format is in test/qemu/README.md. A case with a disk gets
its own fresh image in a temporary folder, removed when the case ends, so
cases that run at once never share a writable disk. Every case gets a verdict
(PASS or FAIL with a reason); the report comes in the order the cases were
given, then `qemu: N passed, M failed`; the exit status is 0 only if none
failed.
A verdict depends only on the console text (and QEMU's exit status when the
case asks for it), never on how the output was split into reads.
Each QEMU runs in its own process group, which the harness kills on timeout,
on SIGINT/SIGTERM/SIGHUP and when a case is decided: never point --qemu at a
wrapper that daemonizes. Python 3.7+, standard library only.
"""

import argparse
import codecs
import concurrent.futures
import os
import re
import selectors
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

OUTPUT_CAP = 256 << 10          # console bytes kept per case (a real one is < 20 KiB)
DEFAULT_MEM = "128M"
DEFAULT_SMP = 1
DEFAULT_TIMEOUT = 10.0
TAIL_LINES = 30                 # console lines shown at the end of a failure
CONTEXT_BEFORE = 3              # lines shown around the last match
CONTEXT_AFTER = 5
DRAIN_SECONDS = 2.0             # how long to wait for EOF once QEMU has exited
# The guest's clock counts instructions (time: 1 tick per 100), and idle
# time is skipped: so timer interrupts land at the same instruction on
# every run, and a verdict never depends on how busy the host is.
CLOCK_ARGS = ["-icount", "shift=0,sleep=off"]
# An unfinished line matches only if it still matches with any of these
# appended: a `$` or `\b` at its end could stop matching once more text comes.
SENTINELS = ("\x00", "0")

STEP_KEYS = ("expect", "send")
ONCE_KEYS = ("args", "mem", "smp", "timeout", "exit", "disk")
# A disk is a blank image of a size, or a copy of an image file, attached
# as a modern virtio-blk device in virtio-mmio slot 0. cache=unsafe: the
# image is a scratch copy, so a guest's flush need not wait for the host's
# disk, whose latency (seconds on a busy host) would otherwise pass as
# guest time while the guest idles, and miss a supervisor's heartbeats.
DISK_SIZE_RE = re.compile(r"([1-9][0-9]{0,5})([KMG])")
DISK_UNITS = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
DISK_ARGS = ["-global", "virtio-mmio.force-legacy=false",
             "-drive", "file=%s,if=none,format=raw,cache=unsafe,id=x0",
             "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0"]
ALL_KEYS = STEP_KEYS + ONCE_KEYS + ("reject",)


class CaseError(Exception):
    """A case file that cannot be run as written."""


class Case:
    """One parsed case file: settings, ordered steps and reject patterns."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.description = ""
        self.args = None
        self.mem = DEFAULT_MEM
        self.smp = DEFAULT_SMP
        self.timeout = DEFAULT_TIMEOUT
        self.exit = None
        self.disk = None        # ("blank", bytes) or ("copy", path)
        self.steps = []         # (kind, text, compiled or None, lineno)
        self.rejects = []       # (text, compiled, lineno)


def parse_case(path, text):
    """Parse case file TEXT read from PATH. Returns a Case; raises CaseError
    naming the file line for an unknown or repeated directive, a bad value or
    a regex that does not compile."""
    case = Case(path)
    seen = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if not case.description:
                case.description = line.lstrip("#").strip()
            continue
        key, colon, value = line.partition(":")
        key = key.strip()
        value = value.strip()
        where = "line %d" % lineno
        if not colon or key not in ALL_KEYS:
            raise CaseError("%s: unknown directive %r (known: %s)"
                            % (where, key if colon else line,
                               ", ".join(ALL_KEYS)))
        if key in ONCE_KEYS:
            if key in seen:
                raise CaseError("%s: %r repeats line %d"
                                % (where, key, seen[key]))
            seen[key] = lineno
        if key in ("expect", "reject"):
            if not value:
                raise CaseError("%s: empty regex for %r" % (where, key))
            try:
                compiled = re.compile(value)
            except re.error as err:
                raise CaseError("%s: bad regex %r: %s" % (where, value, err))
            if key == "expect":
                case.steps.append(("expect", value, compiled, lineno))
            else:
                case.rejects.append((value, compiled, lineno))
        elif key == "send":
            # \xHH types the byte HH: a control key (\x04 is Ctrl-D).
            value = re.sub(r"\\x([0-9a-fA-F]{2})",
                           lambda m: chr(int(m.group(1), 16)), value)
            case.steps.append(("send", value, None, lineno))
        elif key == "args":
            case.args = value
        elif key == "mem":
            if not re.fullmatch(r"[1-9][0-9]{0,6}[KMG]?", value):
                raise CaseError("%s: mem must look like 128M, got %r"
                                % (where, value))
            case.mem = value
        elif key == "smp":
            if not re.fullmatch(r"[1-9][0-9]{0,2}", value):
                raise CaseError("%s: smp must be 1..999, got %r"
                                % (where, value))
            case.smp = int(value)
        elif key == "timeout":
            if not re.fullmatch(r"[0-9]{1,4}(\.[0-9]+)?", value) or \
                    float(value) <= 0:
                raise CaseError("%s: timeout must be seconds > 0, got %r"
                                % (where, value))
            case.timeout = float(value)
        elif key == "exit":
            if not re.fullmatch(r"[0-9]{1,3}", value) or int(value) > 255:
                raise CaseError("%s: exit must be 0..255, got %r"
                                % (where, value))
            case.exit = int(value)
        elif key == "disk":
            m = DISK_SIZE_RE.fullmatch(value)
            if m:
                case.disk = ("blank", int(m.group(1)) * DISK_UNITS[m.group(2)])
            elif value and "," not in value and \
                    not re.fullmatch(r"[0-9]+[A-Za-z]?", value):
                case.disk = ("copy", value)
            else:
                raise CaseError("%s: disk must be a size like 4M or an image "
                                "file (no commas), got %r" % (where, value))
    if not case.steps and case.exit is None:
        raise CaseError("no expect, send or exit directive: nothing to check")
    return case


class Console:
    """The console text of one run, split into lines as it arrives.

    lines holds the complete lines, partial the text after the last newline.
    The partial line has index len(lines) and keeps it once it completes."""

    def __init__(self):
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.lines = []
        self.partial = ""
        self.nbytes = 0
        self.overflow = False

    def feed(self, data):
        """Add raw bytes; returns the number of lines completed by them.
        Past OUTPUT_CAP bytes the rest is dropped and overflow is set."""
        room = OUTPUT_CAP - self.nbytes
        if len(data) > room:
            data = data[:max(room, 0)]
            self.overflow = True
        self.nbytes += len(data)
        text = self.decoder.decode(data).replace("\r", "")
        if not text:
            return 0
        parts = (self.partial + text).split("\n")
        self.partial = parts.pop()
        self.lines.extend(parts)
        return len(parts)

    def count(self):
        """Number of lines, counting a non-empty partial line."""
        return len(self.lines) + (1 if self.partial else 0)

    def line(self, index):
        if index < len(self.lines):
            return self.lines[index]
        return self.partial


class Run:
    """The state of one case while QEMU runs: which step is next, where the
    last expect matched, and the verdict once there is one."""

    def __init__(self, case):
        self.case = case
        self.console = Console()
        self.step = 0               # index of the next unfinished step
        self.after = 0              # first line the next expect may match
        self.last_match = None      # (step index, line index)
        self.scan = 0               # first complete line not yet searched
        self.reject_scan = 0        # first complete line not yet rejected
        self.failure = None         # reason, once failed
        self.failed_step = None

    def done(self):
        return self.failure is not None or self.step >= len(self.case.steps)

    def fail(self, reason, step=None):
        if self.failure is None:
            self.failure = reason
            self.failed_step = step

    def check_rejects(self, final):
        """Search complete lines not yet searched, and the partial line, for
        reject patterns. Before the end (not FINAL) the partial line counts
        only if it would match whatever follows it."""
        con = self.console
        end = len(con.lines)
        indexes = list(range(self.reject_scan, end))
        self.reject_scan = end
        if con.partial:
            indexes.append(end)
        for i in indexes:
            for text, rx, lineno in self.case.rejects:
                if i == end and not final:
                    hit = stable_search(rx, con.partial)
                else:
                    hit = rx.search(con.line(i))
                if hit:
                    self.fail("console line %d matches reject /%s/ "
                              "(case line %d): %s"
                              % (i + 1, text, lineno, con.line(i)))
                    return

    def advance(self, write):
        """Run every step that can run now: match expects against new lines,
        type sends with WRITE(bytes); WRITE returns False once QEMU is gone.
        An expect may match the partial line (a prompt has no newline) if it
        would match whatever follows; the next one must match a later line."""
        con = self.console
        while not self.done():
            kind, text, rx, _ = self.case.steps[self.step]
            if kind == "send":
                if not write((text + "\n").encode("utf-8")):
                    self.fail("QEMU stopped reading before send: %s" % text,
                              self.step)
                    return
                self.step += 1
                continue
            start = max(self.after, self.scan)
            found = None
            for i in range(start, len(con.lines)):
                if rx.search(con.lines[i]):
                    found = i
                    break
            if found is None:
                self.scan = max(self.scan, len(con.lines))
                partial = len(con.lines)
                if partial >= self.after and con.partial and \
                        stable_search(rx, con.partial):
                    found = partial
            if found is None:
                return
            self.last_match = (self.step, found)
            self.after = found + 1
            self.scan = self.after
            self.step += 1


def stable_search(rx, partial):
    """True if RX matches the unfinished line PARTIAL whatever text follows
    it, so the verdict does not depend on where a read split the line."""
    if not rx.search(partial):
        return False
    return all(rx.search(partial + s) for s in SENTINELS)


def kill_group(proc):
    """Kill PROC's whole process group; it may already be gone."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class Harness:
    """Builds QEMU command lines and runs cases; remembers live QEMUs so an
    interrupted harness can kill them all."""

    def __init__(self, opts):
        self.opts = opts
        self.live = set()           # QEMUs running now
        self.stopping = False       # set once interrupted: kill new QEMUs
        self.lock = threading.Lock()

    def command(self, case, disk=None):
        o = self.opts
        cmd = [o.qemu, "-machine", "virt", "-bios", o.bios,
               "-kernel", o.kernel, "-m", case.mem, "-smp", str(case.smp),
               "-nographic", "-serial", "stdio", "-monitor", "none",
               "-no-reboot"] + CLOCK_ARGS
        if case.args is not None:
            cmd += ["-append", case.args]
        if disk is not None:
            cmd += [a % disk if "%s" in a else a for a in DISK_ARGS]
        cmd += shlex.split(o.extra_args or "")
        return cmd

    def kill_all(self):
        with self.lock:
            self.stopping = True
            for proc in list(self.live):
                kill_group(proc)

    def run_case(self, path):
        """Run the case file at PATH. Returns a result dict; never raises
        for anything the case file or QEMU does."""
        t0 = time.monotonic()
        result = {"path": path, "name": os.path.splitext(
            os.path.basename(path))[0], "ok": False, "reason": "",
            "detail": [], "seconds": 0.0, "command": None, "console": None}
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                case = parse_case(path, f.read())
        except OSError as err:
            result["reason"] = "cannot read case file: %s" % err.strerror
            return result
        except CaseError as err:
            result["reason"] = "bad case file: %s" % err
            return result
        try:
            self.boot(case, result)
        finally:
            result["seconds"] = time.monotonic() - t0
        return result

    def boot(self, case, result):
        if case.disk is None:
            self.boot_with(case, result, None)
            return
        folder = tempfile.mkdtemp(prefix="mica-disk-")
        try:
            disk = os.path.join(folder, "disk.img")
            try:
                make_disk(case.disk, disk)
            except OSError as err:
                result["reason"] = "cannot make the disk from %s: %s" % (
                    case.disk[1], err.strerror or err)
                return
            self.boot_with(case, result, disk)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def boot_with(self, case, result, disk):
        cmd = self.command(case, disk)
        result["command"] = cmd
        run = Run(case)
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE,
                                    start_new_session=True)
        except OSError as err:
            result["reason"] = "cannot start %s: %s" % (cmd[0], err.strerror)
            return
        with self.lock:
            self.live.add(proc)
            if self.stopping:
                kill_group(proc)
        stderr = bytearray()
        try:
            status = self.watch(proc, run, stderr)
        finally:
            kill_group(proc)
            proc.wait()
            for pipe in (proc.stdin, proc.stdout, proc.stderr):
                try:
                    pipe.close()
                except OSError:
                    pass
            with self.lock:
                self.live.discard(proc)
        self.judge(run, status, result)
        result["stderr"] = stderr.decode("utf-8", "replace")

    def watch(self, proc, run, stderr):
        """Feed QEMU's output to RUN until the case is decided. Returns
        QEMU's exit status, "timeout", or None when it was stopped early."""
        sel = selectors.DefaultSelector()
        try:
            return self.pump(proc, run, stderr, sel)
        finally:
            sel.close()

    def pump(self, proc, run, stderr, sel):
        case = run.case
        deadline = time.monotonic() + case.timeout
        sel.register(proc.stdout, selectors.EVENT_READ, "out")
        sel.register(proc.stderr, selectors.EVENT_READ, "err")
        open_pipes = 2
        exited_at = None        # when QEMU was first seen gone
        # Typed text waits here rather than in a blocking write, so a guest
        # that never reads its console cannot stall the harness.
        stdin = proc.stdin.fileno()
        os.set_blocking(stdin, False)
        pending = bytearray()
        broken = []

        def write(data):
            pending.extend(data)
            flush()
            return not broken

        def flush():
            try:
                while pending and not broken:
                    del pending[:os.write(stdin, pending)]
            except BlockingIOError:
                pass
            except OSError:
                broken.append(True)

        run.advance(write)
        while True:
            if run.failure is not None:
                return None
            if run.done() and case.exit is None:
                return None
            now = time.monotonic()
            if open_pipes == 0 or (exited_at is not None and
                                   now >= exited_at + DRAIN_SECONDS):
                return proc.wait()
            if now >= deadline:
                return "timeout"
            wait = deadline - now
            if exited_at is None:
                # Poll for exit now and then: a grandchild may hold the pipes.
                wait = min(wait, 0.2)
            else:
                wait = min(wait, exited_at + DRAIN_SECONDS - now)
            if pending:
                flush()
                wait = min(wait, 0.05)
            for key, _ in sel.select(wait):
                data = os.read(key.fileobj.fileno(), 65536)
                if not data:
                    sel.unregister(key.fileobj)
                    open_pipes -= 1
                elif key.data == "err":
                    if len(stderr) < 65536:
                        stderr.extend(data[:65536 - len(stderr)])
                else:
                    run.console.feed(data)
                    run.check_rejects(False)
                    run.advance(write)
                    # Past the cap only a case already passed stands.
                    if run.console.overflow and \
                            not (run.done() and case.exit is None):
                        run.fail("console output passed the %d-byte cap"
                                 % OUTPUT_CAP)
            if exited_at is None and proc.poll() is not None:
                exited_at = time.monotonic()

    def judge(self, run, status, result):
        """Turn the end of a run into a verdict in RESULT."""
        case = run.case
        # A run stopped early may have cut its last line short.
        run.check_rejects(status is not None)
        if run.failure is None and not run.done():
            kind, text, _, lineno = case.steps[run.step]
            if status == "timeout":
                run.fail("timed out after %s s waiting for: %s"
                         % (fmt_seconds(case.timeout), text), run.step)
            else:
                left = len(case.steps) - run.step
                run.fail("QEMU exited (%s) before step %d of %d "
                         "matched (%d step%s left): %s"
                         % (fmt_status(status), run.step + 1,
                            len(case.steps), left,
                            "" if left == 1 else "s", text), run.step)
        if run.failure is None and case.exit is not None:
            if status == "timeout":
                run.fail("timed out after %s s waiting for QEMU to exit "
                         "(exit: %d)" % (fmt_seconds(case.timeout),
                                         case.exit))
            elif status != case.exit:
                run.fail("QEMU exited (%s), expected status %d"
                         % (fmt_status(status), case.exit))
        result["console"] = run.console
        if run.failure is None:
            result["ok"] = True
            return
        result["reason"] = run.failure
        result["detail"] = describe(run)


def make_disk(spec, path):
    """Write the disk SPEC (Case.disk) as a fresh image at PATH."""
    kind, what = spec
    if kind == "blank":
        with open(path, "wb") as f:
            f.truncate(what)
    else:
        shutil.copyfile(what, path)


def fmt_seconds(s):
    return "%g" % s


def fmt_status(status):
    if isinstance(status, int) and status < 0:
        return "killed by signal %d" % -status
    return "status %s" % status


def describe(run):
    """Lines explaining a failed RUN: description, failing step, and the
    console around the last match and at the end."""
    case = run.case
    out = []
    if case.description:
        out.append("what: " + case.description)
    if run.failed_step is not None:
        kind, text, _, lineno = case.steps[run.failed_step]
        out.append("step %d of %d (%s:%d): %s: %s"
                   % (run.failed_step + 1, len(case.steps),
                      os.path.basename(case.path), lineno, kind, text))
    con = run.console
    n = con.count()
    if con.overflow:
        out.append("(console output cut at %d bytes)" % OUTPUT_CAP)
    if n == 0:
        out.append("console: (nothing)")
        return out
    show = set(range(max(0, n - TAIL_LINES), n))
    if run.last_match is not None:
        step, at = run.last_match
        out.append("last match: step %d (%s) at console line %d"
                   % (step + 1, case.steps[step][1], at + 1))
        show.update(range(max(0, at - CONTEXT_BEFORE),
                          min(n, at + CONTEXT_AFTER + 1)))
    else:
        out.append("no expect matched")
    out.append("console (%d lines):" % n)
    prev = None
    for i in sorted(show):
        if prev is not None and i != prev + 1:
            out.append("   ...")
        mark = ">" if run.last_match and run.last_match[1] == i else " "
        out.append("%s%5d| %s" % (mark, i + 1, con.line(i)))
        prev = i
    return out


def print_result(res, verbose):
    name = res["name"]
    if res["ok"]:
        print("PASS %s (%.1f s)" % (name, res["seconds"]))
    else:
        print("FAIL %s \u2014 %s" % (name, res["reason"]))
        for line in res["detail"]:
            print("    " + line)
        err = (res.get("stderr") or "").strip()
        if err:
            print("    qemu stderr:")
            for line in err.splitlines()[-10:]:
                print("      " + line)
    if verbose:
        if res["command"]:
            print("    command: " + " ".join(shlex.quote(a)
                                            for a in res["command"]))
        con = res["console"]
        if con is not None:
            print("    console (%d lines):" % con.count())
            for i in range(con.count()):
                print("    %5d| %s" % (i + 1, con.line(i)))
    sys.stdout.flush()


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Boot Mica under QEMU once per case file and check "
                    "its console (format: test/qemu/README.md).")
    p.add_argument("--qemu", required=True, help="qemu-system-riscv64")
    p.add_argument("--bios", required=True,
                   help="OpenSBI fw_jump.bin, or 'default'")
    p.add_argument("--kernel", required=True, help="kernel ELF")
    p.add_argument("--jobs", type=int, default=2,
                   help="cases run at once (default 2)")
    p.add_argument("--results", help="write passed=N failed=M here")
    p.add_argument("--extra-args", default="",
                   help="more QEMU arguments, split like a shell would")
    p.add_argument("--verbose", action="store_true",
                   help="print QEMU commands and every console")
    p.add_argument("cases", nargs="*", metavar="CASE_FILE")
    opts = p.parse_args(argv)
    if opts.jobs < 1:
        p.error("--jobs must be at least 1")
    try:
        shlex.split(opts.extra_args)
    except ValueError as err:
        p.error("--extra-args: %s" % err)
    return opts


def main(argv):
    try:
        sys.stdout.reconfigure(errors="replace")
    except AttributeError:
        pass
    opts = parse_args(argv)
    harness = Harness(opts)

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    passed = failed = 0
    futures = []
    if not opts.cases:
        print("qemu: no case files given", file=sys.stderr)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs)
    try:
        futures = [pool.submit(harness.run_case, c) for c in opts.cases]
        for fut in futures:
            res = fut.result()
            print_result(res, opts.verbose)
            if res["ok"]:
                passed += 1
            else:
                failed += 1
    except KeyboardInterrupt:
        for fut in futures:
            fut.cancel()
        harness.kill_all()
        pool.shutdown(wait=True)
        print("qemu: interrupted", file=sys.stderr)
        return 130
    pool.shutdown(wait=True)
    print("qemu: %d passed, %d failed" % (passed, failed))
    if opts.results:
        try:
            with open(opts.results, "w") as f:
                f.write("passed=%d failed=%d\n" % (passed, failed))
        except OSError as err:
            print("qemu: cannot write %s: %s" % (opts.results, err.strerror),
                  file=sys.stderr)
            return 1
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
