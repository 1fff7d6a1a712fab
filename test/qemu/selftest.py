#!/usr/bin/env python3
"""Tests of the QEMU harness (run.py) against a fake QEMU.

selftest/fake_qemu.py stands in for QEMU and runs a scripted "kernel"; each
test writes a kernel script and case files to a temporary folder, runs run.py
as a program and checks its verdicts, report, results file and exit status.
Run: python3 test/qemu/selftest.py [-v]. Exits non-zero if any test fails
and ends with `harness selftest: N passed, M failed`.
Needs no QEMU, no kernel and no network; never point it at a real QEMU.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUN = os.path.join(HERE, "run.py")
FIXTURES = os.path.join(HERE, "selftest")
FAKE = os.path.join(FIXTURES, "fake_qemu.py")

sys.path.insert(0, HERE)
sys.dont_write_bytecode = True      # no __pycache__ in the source tree
import run as harness  # noqa: E402


class HarnessTest(unittest.TestCase):
    """Base: a temporary folder, a wrapper that runs the fake QEMU with this
    Python, and helpers to write files and run the harness."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="mica-selftest-")
        self.qemu = os.path.join(self.dir, "qemu")
        with open(self.qemu, "w") as f:
            f.write('#!/bin/sh\nexec "%s" "%s" "$@"\n'
                    % (sys.executable, FAKE))
        os.chmod(self.qemu, 0o755)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(textwrap.dedent(text).lstrip("\n"))
        return path

    def harness(self, kernel, cases, *extra, env=None, limit=60):
        """Run run.py on CASES (paths) with KERNEL (a fake kernel script).
        Returns (exit status, stdout, seconds)."""
        cmd = [sys.executable, RUN, "--qemu", self.qemu, "--bios",
               "default", "--kernel", kernel] + list(extra) + list(cases)
        t0 = time.monotonic()
        proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, env=env,
                              timeout=limit)
        out = proc.stdout.decode("utf-8", "replace")
        return proc.returncode, out, time.monotonic() - t0

    def one(self, script, case, *extra, **kw):
        """Run one case (text) against one kernel script (text)."""
        kernel = self.write("kernel.fake", script)
        path = self.write("case.test", case)
        return self.harness(kernel, [path], *extra, **kw)

    def assertPass(self, result):
        rc, out, _ = result
        self.assertIn("PASS case", out)
        self.assertIn("qemu: 1 passed, 0 failed", out)
        self.assertEqual(rc, 0, out)

    def assertFail(self, result, reason):
        rc, out, _ = result
        self.assertIn("FAIL case \u2014 ", out)
        self.assertIn(reason, out)
        self.assertIn("qemu: 0 passed, 1 failed", out)
        self.assertEqual(rc, 1, out)
        return result


BOOT = """
    print mica: booting\r
    print mica: memory 128 MiB
    print mica: init started
    """


class Verdicts(HarnessTest):
    def test_matching_case_passes(self):
        self.assertPass(self.one(BOOT, """
            # boots to init
            expect: ^mica: booting$
            expect: memory \\d+ MiB
            expect: init started
            """))

    def test_missing_line_fails(self):
        _, out, _ = self.assertFail(self.one(BOOT, """
            # says hello
            expect: booting
            expect: ^hello$
            """), "QEMU exited (status 0) before step 2 of 2 matched "
                  "(1 step left): ^hello$")
        self.assertIn("what: says hello", out)
        self.assertIn("step 2 of 2 (case.test:3): expect: ^hello$", out)

    def test_lines_out_of_order_fail(self):
        self.assertFail(self.one(BOOT, """
            # init comes after booting
            expect: init started
            expect: booting
            """), "before step 2 of 2 matched (1 step left): booting")

    def test_two_steps_cannot_share_a_line(self):
        self.assertFail(self.one(BOOT, """
            # each expect takes its own line
            expect: mica
            expect: mica
            expect: mica
            expect: mica
            """), "before step 4 of 4 matched")

    def test_reject_fails(self):
        _, out, _ = self.assertFail(self.one(BOOT + "print panic: oops\n", """
            # no panic
            expect: booting
            reject: ^panic
            exit: 0
            """), "console line 4 matches reject /^panic/ (case line 3): "
                  "panic: oops")
        self.assertNotIn("timed out", out)

    def test_reject_before_the_steps_still_counts(self):
        self.assertFail(self.one("print panic: early\nprint ok\n", """
            # reject sees every line, wherever it is in the file
            reject: panic
            expect: ok
            """), "matches reject /panic/")

    def test_reject_sees_unfinished_last_line(self):
        self.assertFail(self.one("print ok\nwrite kernel panic\nexit 0\n", """
            # the last line has no newline
            expect: ok
            reject: panic
            exit: 0
            """), "console line 2 matches reject /panic/")

    def test_reject_in_unfinished_line_stops_a_hang(self):
        _, _, secs = self.assertFail(self.one("write panic!\nhang\n", """
            # a panic with no newline, then a hang
            reject: panic
            expect: never
            timeout: 5
            """), "matches reject /panic/")
        self.assertLess(secs, 4)

    def test_hang_times_out_within_limit(self):
        _, out, secs = self.assertFail(self.one(BOOT + "hang\n", """
            # waits for a line that never comes
            timeout: 1
            expect: init started
            expect: ^never$
            """), "timed out after 1 s waiting for: ^never$")
        self.assertLess(secs, 3.5)
        self.assertIn("last match: step 1 (init started) at console line 3",
                      out)

    def test_fractional_timeout(self):
        _, _, secs = self.assertFail(self.one("hang\n", """
            # half a second
            timeout: 0.5
            expect: x
            """), "timed out after 0.5 s waiting for: x")
        self.assertLess(secs, 3)

    def test_exit_status_checked(self):
        script = BOOT + "exit 3\n"
        self.assertPass(self.one(script, """
            # exits with 3
            expect: init
            exit: 3
            """))
        self.assertFail(self.one(script, """
            # should exit with 0
            expect: init
            exit: 0
            """), "QEMU exited (status 3), expected status 0")

    def test_exit_alone_waits_for_exit(self):
        self.assertPass(self.one("sleep 0.3\nexit 7\n", "# x\nexit: 7\n"))

    def test_exit_expected_but_hangs(self):
        self.assertFail(self.one(BOOT + "hang\n", """
            # should power off
            timeout: 1
            expect: init
            exit: 0
            """), "timed out after 1 s waiting for QEMU to exit (exit: 0)")

    def test_exit_not_checked_when_absent(self):
        self.assertPass(self.one(BOOT + "exit 9\n", "# x\nexpect: init\n"))

    def test_carriage_returns_are_stripped(self):
        self.assertPass(self.one("print a\\r\\r\nprint done\\r\n", """
            # \\r is not part of a line
            expect: ^a$
            expect: ^done$
            """))

    def test_unicode_and_bad_utf8(self):
        self.assertPass(self.one("print \\xff\\xfe caf\u00e9\n", """
            # bad bytes do not crash the harness
            expect: caf\u00e9$
            """))


class Console(HarnessTest):
    def test_send_reaches_program(self):
        self.assertPass(self.one("print ready\nreadline\nsleep 5\n", """
            # typed text arrives on stdin
            timeout: 3
            expect: ready
            send: hello there
            expect: ^got: hello there$
            """))

    def test_guest_that_never_reads_cannot_stall_sends(self):
        sends = "send: %s\n" % ("y" * 1000) * 200    # 200 KB, pipe is 64
        _, _, secs = self.assertFail(self.one("print up\nhang\n",
                                              "# x\ntimeout: 1\nexpect: up\n"
                                              + sends + "expect: never\n"),
                                     "timed out after 1 s waiting for: never")
        self.assertLess(secs, 3.5)

    def test_prompt_without_newline(self):
        self.assertPass(self.one("shell\n", """
            # the shell prompt has no newline
            timeout: 3
            expect: ^\\$ 
            send: echo one
            expect: ^one$
            expect: ^\\$ 
            send: echo two
            expect: ^two$
            """))

    def test_send_waits_for_earlier_steps(self):
        # Typed before "ready" matched, "hi" would be waiting on stdin when
        # the kernel looks just before printing "ready".
        self.assertPass(self.one(
            "print boot\nsleep 0.3\npending\nprint ready\nreadline\n", """
            # send waits for the expect before it
            timeout: 3
            expect: boot
            expect: ready
            send: hi
            expect: ^got: hi$
            reject: stdin: waiting
            """))

    def test_unfinished_line_anchor_waits_for_the_end(self):
        # "count: 1" is seen first, but the line is "count: 12": a $ anchor
        # must not match the unfinished text.
        self.assertFail(self.one("write count: 1\nsleep 0.3\nprint 2\n", """
            # the count is exactly 1
            timeout: 3
            expect: ^count: 1$
            """), "before step 1 of 1 matched")
        self.assertFail(self.one("write count: 1\nsleep 0.3\nprint 2\n", """
            # the count is 1 and a word ends there
            timeout: 3
            expect: count: 1\\b
            """), "before step 1 of 1 matched")

    def test_output_cap(self):
        _, out, secs = self.assertFail(self.one("flood 3000000\nhang\n", """
            # a runaway printer
            timeout: 20
            expect: never
            """), "console output passed the 262144-byte cap")
        self.assertIn("(console output cut at 262144 bytes)", out)
        self.assertLess(secs, 15)

    def test_whole_process_group_is_killed(self):
        pidfile = os.path.join(self.dir, "child.pid")
        _, _, secs = self.assertFail(self.one(
            "print up\nspawn %s\nexit 0\n" % pidfile, """
            # QEMU exits but its child keeps the pipe open
            timeout: 10
            expect: up
            expect: never
            """), "QEMU exited (status 0) before step 2 of 2")
        self.assertLess(secs, 6)
        self.assertFalse(alive(read_pid(pidfile)))

    def test_group_killed_when_case_is_decided(self):
        pidfile = os.path.join(self.dir, "child.pid")
        self.assertPass(self.one("spawn %s\nprint up\nhang\n" % pidfile,
                                 "# x\nexpect: up\n"))
        self.assertFalse(alive(read_pid(pidfile)))

    def test_qemu_stderr_is_shown_on_failure(self):
        script = "stderr qemu: bad thing\nexit 1\n"
        _, out, _ = self.assertFail(self.one(script, "# x\nexpect: up\n"),
                                    "QEMU exited (status 1)")
        self.assertIn("qemu stderr:", out)
        self.assertIn("qemu: bad thing", out)

    def test_failure_shows_context_and_tail(self):
        lines = "".join("print line %d\n" % i for i in range(1, 101))
        _, out, _ = self.assertFail(self.one(lines, """
            # the console is quoted around the last match and at the end
            expect: ^line 10$
            expect: ^line 500$
            """), "before step 2 of 2 matched")
        self.assertIn(">   10| line 10", out)
        self.assertIn("       7| line 7", out)
        self.assertIn("     100| line 100", out)
        self.assertIn("      71| line 71", out)
        self.assertNotIn("| line 50\n", out)
        self.assertIn("   ...", out)


class CaseFiles(HarnessTest):
    def test_unknown_directive(self):
        self.assertFail(self.one(BOOT, "# x\nexpect: a\nexpekt: b\n"),
                        "bad case file: line 3: unknown directive 'expekt'")

    def test_line_without_colon(self):
        self.assertFail(self.one(BOOT, "# x\njust words\n"),
                        "bad case file: line 2: unknown directive "
                        "'just words'")

    def test_bad_regex(self):
        self.assertFail(self.one(BOOT, "# x\nexpect: (oops\n"),
                        "bad case file: line 2: bad regex '(oops'")

    def test_bad_values(self):
        for text, reason in [
                ("timeout: soon", "line 2: timeout must be seconds > 0"),
                ("timeout: 0", "line 2: timeout must be seconds > 0"),
                ("timeout: -1", "line 2: timeout must be seconds > 0"),
                ("mem: lots", "line 2: mem must look like 128M"),
                ("smp: 0", "line 2: smp must be 1..999"),
                ("exit: 256", "line 2: exit must be 0..255"),
                ("exit: 1\nexit: 2", "line 3: 'exit' repeats line 2"),
                ("reject:", "line 2: empty regex for 'reject'"),
                ("expect:  ", "line 2: empty regex for 'expect'"),
                ("reject: [z-a]", "line 2: bad regex '[z-a]'")]:
            with self.subTest(text=text):
                with self.assertRaises(harness.CaseError) as ctx:
                    harness.parse_case("t.test", "# x\n%s\nexpect: a\n"
                                       % text)
                self.assertIn(reason, str(ctx.exception))

    def test_nothing_to_check(self):
        self.assertFail(self.one(BOOT, "# only a comment\nmem: 64M\n"),
                        "bad case file: no expect, send or exit directive")

    def test_bad_case_does_not_stop_others(self):
        kernel = self.write("kernel.fake", BOOT)
        good = self.write("good.test", "# g\nexpect: init\n")
        bad = self.write("bad.test", "# b\nwhat: ever\n")
        rc, out, _ = self.harness(kernel, [bad, good])
        self.assertIn("FAIL bad \u2014 bad case file: line 2: unknown "
                      "directive 'what'", out)
        self.assertIn("PASS good", out)
        self.assertIn("qemu: 1 passed, 1 failed", out)
        self.assertEqual(rc, 1)

    def test_missing_case_file(self):
        kernel = self.write("kernel.fake", BOOT)
        rc, out, _ = self.harness(kernel, [os.path.join(self.dir, "no.test")])
        self.assertIn("FAIL no \u2014 cannot read case file", out)
        self.assertEqual(rc, 1)

    def test_missing_qemu(self):
        kernel = self.write("kernel.fake", BOOT)
        case = self.write("case.test", "# x\nexpect: init\n")
        os.unlink(self.qemu)
        rc, out, _ = self.harness(kernel, [case])
        self.assertIn("FAIL case \u2014 cannot start", out)
        self.assertEqual(rc, 1)

    def test_parse_keeps_order_and_description(self):
        case = harness.parse_case("x/t_one.test", textwrap.dedent("""
            # first comment is the description
            # second is not
            args: root=t_one
            expect: a
            reject: panic
            send: typed text
            expect: b
            """))
        self.assertEqual(case.name, "t_one")
        self.assertEqual(case.description, "first comment is the description")
        self.assertEqual(case.args, "root=t_one")
        self.assertEqual([(k, t) for k, t, _, _ in case.steps],
                         [("expect", "a"), ("send", "typed text"),
                          ("expect", "b")])
        self.assertEqual([t for t, _, _ in case.rejects], ["panic"])
        self.assertEqual((case.mem, case.smp, case.timeout, case.exit),
                         ("128M", 1, 10.0, None))

    def test_console_splits_lines_across_reads(self):
        con = harness.Console()
        for chunk in (b"ab", b"c\r", b"\nd\xc3", b"\xa9\n", b"$ "):
            con.feed(chunk)
        self.assertEqual(con.lines, ["abc", "d\u00e9"])
        self.assertEqual(con.partial, "$ ")
        self.assertEqual(con.count(), 3)


class Disks(HarnessTest):
    def test_blank_disk_is_attached_and_removed(self):
        log = os.path.join(self.dir, "argv")
        env = dict(os.environ, FAKE_QEMU_ARGV=log)
        self.assertPass(self.one("disk\n", """
            # a blank 1 MiB disk
            disk: 1M
            expect: ^disk: 1048576 bytes: $
            """, env=env))
        with open(log) as f:
            argv = f.read().splitlines()
        at = argv.index("-drive")
        self.assertEqual(argv[at - 2:at], ["-global",
                                           "virtio-mmio.force-legacy=false"])
        image = argv[at + 1].split(",")[0][len("file="):]
        self.assertTrue(argv[at + 1].endswith(",if=none,format=raw,cache=unsafe,id=x0"))
        self.assertEqual(argv[at + 2:at + 4], [
            "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0"])
        self.assertFalse(os.path.exists(image), "the image outlived its case")

    def test_each_case_writes_its_own_copy(self):
        source = os.path.join(self.dir, "fs.img")
        with open(source, "wb") as f:
            f.write(b"original\0" + bytes(1000))
        kernel = self.write("kernel.fake", "disk\ndiskwrite modified\ndisk\n"
                            "sleep 0.3\n")
        case = "# x\ndisk: %s\nexpect: ^disk: 1009 bytes: original$\n" \
               "expect: ^disk: 1009 bytes: modified$\nexit: 0\n" % source
        cases = [self.write("c%d.test" % i, case) for i in range(3)]
        rc, out, _ = self.harness(kernel, cases, "--jobs", "2")
        self.assertIn("qemu: 3 passed, 0 failed", out)
        self.assertEqual(rc, 0, out)
        with open(source, "rb") as f:
            self.assertEqual(f.read(9), b"original\0")

    def test_no_disk_no_drive(self):
        self.assertPass(self.one("disk\n", "# x\nexpect: ^disk: none$\n"))

    def test_missing_image_fails_the_case(self):
        missing = os.path.join(self.dir, "nowhere.img")
        self.assertFail(self.one("disk\n", "# x\ndisk: %s\nexpect: disk\n"
                                 % missing),
                        "cannot make the disk from %s" % missing)

    def test_bad_disk_values(self):
        for text in ("disk:", "disk: 0M", "disk: 4T", "disk: 100", "disk: a,b.img"):
            with self.subTest(text=text):
                with self.assertRaises(harness.CaseError) as ctx:
                    harness.parse_case("t.test", "# x\n%s\nexpect: a\n" % text)
                self.assertIn("disk must be a size like 4M", str(ctx.exception))


class CommandLine(HarnessTest):
    def test_qemu_command_line(self):
        log = os.path.join(self.dir, "argv")
        env = dict(os.environ, FAKE_QEMU_ARGV=log)
        kernel = self.write("kernel.fake", BOOT)
        case = self.write("case.test", """
            # settings reach QEMU
            args: root=t_args  x=1
            mem: 64M
            smp: 2
            expect: init
            """)
        rc, out, _ = self.harness(kernel, [case], "--extra-args",
                                  "-d guest_errors -s", env=env)
        self.assertEqual(rc, 0, out)
        with open(log) as f:
            argv = f.read().splitlines()
        self.assertEqual(argv, [
            "-machine", "virt", "-bios", "default", "-kernel", kernel,
            "-m", "64M", "-smp", "2", "-nographic", "-serial", "stdio",
            "-monitor", "none", "-no-reboot", "-icount", "shift=0,sleep=off",
            "-append", "root=t_args  x=1", "-d", "guest_errors", "-s"])

    def test_defaults_and_no_append(self):
        log = os.path.join(self.dir, "argv")
        env = dict(os.environ, FAKE_QEMU_ARGV=log)
        self.assertPass(self.one(BOOT, "# x\nexpect: init\n", env=env))
        with open(log) as f:
            argv = f.read().splitlines()
        self.assertIn("128M", argv)
        self.assertEqual(argv[argv.index("-smp") + 1], "1")
        self.assertNotIn("-append", argv)
        # Every case runs on the instruction-counting clock.
        self.assertEqual(argv[argv.index("-icount") + 1], "shift=0,sleep=off")

    def test_report_in_case_order_and_results_file(self):
        kernel = self.write("kernel.fake", "print start\nsleep 0.6\n"
                            "print late\nhang\n")
        slow = self.write("a_slow.test", "# s\ntimeout: 3\nexpect: late\n")
        fast = self.write("b_fast.test", "# f\nexpect: start\n")
        bad = self.write("c_bad.test", "# b\ntimeout: 1\nexpect: nope\n")
        results = os.path.join(self.dir, "results")
        rc, out, secs = self.harness(kernel, [slow, fast, bad, fast],
                                     "--jobs", "4", "--results", results)
        names = [ln.split()[1] for ln in out.splitlines()
                 if ln.startswith(("PASS ", "FAIL "))]
        self.assertEqual(names, ["a_slow", "b_fast", "c_bad", "b_fast"])
        self.assertEqual(out.splitlines()[-1], "qemu: 3 passed, 1 failed")
        with open(results) as f:
            self.assertEqual(f.read(), "passed=3 failed=1\n")
        self.assertEqual(rc, 1)
        self.assertLess(secs, 2.5)   # in parallel, not 0.6 + 1 in a row

    def test_verbose_prints_command_and_console(self):
        rc, out, _ = self.one(BOOT, "# x\nexpect: init\n", "--verbose")
        self.assertEqual(rc, 0, out)
        self.assertIn("command: ", out)
        self.assertIn("-nographic -serial stdio -monitor none", out)
        self.assertIn("    2| mica: memory 128 MiB", out)

    def test_no_case_files(self):
        kernel = self.write("kernel.fake", BOOT)
        results = os.path.join(self.dir, "results")
        rc, out, _ = self.harness(kernel, [], "--results", results)
        self.assertIn("qemu: no case files given", out)
        self.assertEqual(out.splitlines()[-1], "qemu: 0 passed, 0 failed")
        with open(results) as f:
            self.assertEqual(f.read(), "passed=0 failed=0\n")
        self.assertEqual(rc, 0)

    def test_usage_errors(self):
        kernel = self.write("kernel.fake", BOOT)
        rc, out, _ = self.harness(kernel, [], "--jobs", "0", "x.test")
        self.assertEqual(rc, 2)
        self.assertIn("--jobs must be at least 1", out)


class Fixtures(HarnessTest):
    """The example cases in selftest/ against the example fake kernel."""

    def test_examples_pass(self):
        cases = sorted(os.path.join(FIXTURES, n) for n in os.listdir(FIXTURES)
                       if n.endswith(".test"))
        self.assertGreaterEqual(len(cases), 3)
        rc, out, _ = self.harness(os.path.join(FIXTURES, "kernel.fake"),
                                  cases, "--jobs", "3")
        self.assertEqual(rc, 0, out)
        self.assertIn("qemu: %d passed, 0 failed" % len(cases), out)

    def test_example_shell_catches_a_panic(self):
        case = self.write("case.test", """
            # a panic typed into the shell is caught by reject
            timeout: 5
            expect: ^\\$ 
            send: panic
            expect: ^never$
            reject: ^panic:
            """)
        rc, out, secs = self.harness(os.path.join(FIXTURES, "kernel.fake"),
                                     [case])
        self.assertIn("matches reject /^panic:/", out)
        self.assertLess(secs, 4)
        self.assertEqual(rc, 1)


def read_pid(path):
    with open(path) as f:
        return int(f.read())


def alive(pid):
    """True if PID runs (a zombie waiting for its reaper counts as dead)."""
    for _ in range(20):
        try:
            with open("/proc/%d/stat" % pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        if state in ("Z", "X"):
            return False
        time.sleep(0.1)
    return True


def main():
    runner = unittest.TextTestRunner(verbosity=2 if "-v" in sys.argv else 1)
    suite = unittest.defaultTestLoader.loadTestsFromModule(
        sys.modules[__name__])
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors) + \
        len(result.unexpectedSuccesses)
    print("harness selftest: %d passed, %d failed"
          % (result.testsRun - failed, failed))
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
