#!/usr/bin/env python3
"""Tests of the benchmark checker (tools/bench.py) on made-up console logs.

Each test writes a console log and a baseline to a temporary folder and runs
bench.py's main() on them with --console, so no QEMU is needed. Run:
python3 test/bench/selftest.py [-v] [--results FILE]. Ends with
`bench selftest: N passed, M failed`; --results FILE gets "passed=N
failed=M". Exits non-zero if any test fails.
"""

import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.dont_write_bytecode = True      # no __pycache__ in the source tree
import bench  # noqa: E402

BASELINE = {"null_syscall": 200.0, "cap_copy_delete": 1000.0, "page_map_unmap": 1500.0}


def console(figures, done=True, noise=()):
    """A console log that prints FIGURES (name -> text of the number)."""
    lines = ["OpenSBI v1.1", "mica: starting bench (19648-byte ELF)"]
    lines += list(noise)
    lines += ["bench: %s %s" % kv for kv in figures.items()]
    if done:
        lines.append("bench: done")
    lines.append("mica: no threads left (4 timer interrupts); powering off")
    return "\n".join(lines) + "\n"


class BenchTest(unittest.TestCase):
    """Base: a temporary folder with a baseline, and helpers to run bench.py."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="mica-bench-selftest-")
        self.baseline = os.path.join(self.dir, "baseline.json")
        with open(self.baseline, "w") as f:
            json.dump(BASELINE, f)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def bench(self, text, *args):
        """Run bench.py on console TEXT with ARGS; returns (status, output)."""
        log = os.path.join(self.dir, "console.log")
        with open(log, "w") as f:
            f.write(text)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = bench.main(["--console", log] + list(args))
        return status, out.getvalue()

    def check(self, figures, **kw):
        results = os.path.join(self.dir, "result")
        status, out = self.bench(console(figures, **kw), "--check", self.baseline,
                                 "--results", results)
        with open(results) as f:
            return status, out, f.read().strip()


class CheckerTest(BenchTest):
    def test_same_figures_pass(self):
        status, out, res = self.check({"null_syscall": "200.0", "cap_copy_delete": "1000.0",
                                       "page_map_unmap": "1500.0"})
        self.assertEqual(status, 0, out)
        self.assertEqual(res, "passed=3 failed=0")

    def test_more_than_two_percent_fails_and_names_the_figure(self):
        status, out, res = self.check({"null_syscall": "204.2", "cap_copy_delete": "1000.0",
                                       "page_map_unmap": "1500.0"})
        self.assertEqual(status, 1, out)
        self.assertIn("bench: FAIL null_syscall:", out)
        self.assertNotIn("FAIL cap_copy_delete", out)
        self.assertEqual(res, "passed=2 failed=1")

    def test_one_point_nine_percent_passes(self):
        status, out, res = self.check({"null_syscall": "203.8", "cap_copy_delete": "1019.0",
                                       "page_map_unmap": "1528.5"})
        self.assertEqual(status, 0, out)
        self.assertEqual(res, "passed=3 failed=0")

    def test_exactly_two_percent_passes_a_tenth_more_fails(self):
        status, out, _ = self.check({"null_syscall": "204.0", "cap_copy_delete": "1020.0",
                                     "page_map_unmap": "1530.0"})
        self.assertEqual(status, 0, out)
        status, out, _ = self.check({"null_syscall": "204.0", "cap_copy_delete": "1020.1",
                                     "page_map_unmap": "1530.0"})
        self.assertEqual(status, 1, out)
        self.assertIn("bench: FAIL cap_copy_delete:", out)

    def test_missing_figure_fails(self):
        status, out, res = self.check({"null_syscall": "200.0", "cap_copy_delete": "1000.0"})
        self.assertEqual(status, 1, out)
        self.assertIn("bench: FAIL page_map_unmap: in the baseline", out)
        self.assertEqual(res, "passed=2 failed=1")

    def test_new_figure_is_reported_not_failed(self):
        status, out, res = self.check({"null_syscall": "200.0", "cap_copy_delete": "1000.0",
                                       "page_map_unmap": "1500.0", "ipc_call_reply": "300.0"})
        self.assertEqual(status, 0, out)
        self.assertIn("new (not in the baseline): ipc_call_reply", out)
        self.assertEqual(res, "passed=4 failed=0")

    def test_garbage_lines_are_ignored(self):
        noise = ["bench: null_syscall 99999.0x", "xbench: null_syscall 99999.0",
                 " bench: null_syscall 99999.0", "bench: null_syscall", "bench: 12 13",
                 "bench: 10000 operations a figure; the empty loop takes 24006 instructions",
                 "\x1b[0mgarbage \xff", ""]
        run = bench.parse_console(console({"null_syscall": "200.0"}, noise=noise))
        self.assertEqual(run.figures, {"null_syscall": 200})
        self.assertEqual(run.broken, "")
        status, out, _ = self.check({"null_syscall": "200.0", "cap_copy_delete": "1000.0",
                                     "page_map_unmap": "1500.0"}, noise=noise)
        self.assertEqual(status, 0, out)

    def test_no_done_line_is_a_broken_run(self):
        status, out, res = self.check({"null_syscall": "200.0", "cap_copy_delete": "1000.0",
                                       "page_map_unmap": "1500.0"}, done=False)
        self.assertEqual(status, 1, out)
        self.assertIn("never printed 'bench: done'", out)
        self.assertEqual(res, "passed=3 failed=1")

    def test_a_fail_line_is_a_broken_run(self):
        status, out, _ = self.check({"null_syscall": "200.0"},
                                    noise=["bench: FAIL cap_copy_delete: ERR_NO_MEMORY"])
        self.assertEqual(status, 1, out)
        self.assertIn("ERR_NO_MEMORY", out)

    def test_json_is_flat_and_update_rewrites_the_baseline(self):
        out_json = os.path.join(self.dir, "out", "bench.json")
        text = console({"null_syscall": "87.4", "page_map_unmap": "1500.0"})
        status, out = self.bench(text, "--update", self.baseline, "--json", out_json)
        self.assertEqual(status, 0, out)
        for path in (out_json, self.baseline):
            with open(path) as f:
                self.assertEqual(json.load(f), {"null_syscall": 87.4, "page_map_unmap": 1500.0})

    def test_update_refuses_a_broken_run(self):
        status, out = self.bench(console({"null_syscall": "1.0"}, done=False),
                                 "--update", self.baseline)
        self.assertEqual(status, 1, out)
        with open(self.baseline) as f:
            self.assertEqual(json.load(f), BASELINE)

    def test_baseline_mode_reports_but_does_not_fail(self):
        status, out = self.bench(console({"null_syscall": "300.0"}), "--baseline", self.baseline)
        self.assertEqual(status, 0, out)
        self.assertIn("over the 2 % limit", out)


FAKE_QEMU = """#!%s
# Stands in for QEMU: prints one figure per run from its command line.
import os, sys
argv = sys.argv[1:]
args = argv[argv.index("-append") + 1]
drive = [a for a in argv if a.startswith("file=")]
print("bench: booted_%%s 1.0" %% args.split("=")[1])
if drive:
    path = drive[0].split(",")[0][len("file="):]
    print("bench: disk_bytes %%d" %% os.path.getsize(path))
    with open(os.environ["FAKE_DISK_LOG"], "w") as f:
        f.write(path)
print("bench: done")
"""


class SeveralRuns(BenchTest):
    def logs(self, *texts):
        paths = []
        for i, text in enumerate(texts):
            paths.append(os.path.join(self.dir, "run%d.log" % i))
            with open(paths[-1], "w") as f:
                f.write(text)
        return [a for p in paths for a in ("--console", p)]

    def test_figures_of_every_run_make_one_table(self):
        results = os.path.join(self.dir, "result")
        args = self.logs(console({"null_syscall": "200.0", "cap_copy_delete": "1000.0"}),
                         console({"page_map_unmap": "1500.0"}))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = bench.main(args + ["--check", self.baseline, "--results", results])
        self.assertEqual(status, 0, out.getvalue())
        with open(results) as f:
            self.assertEqual(f.read().strip(), "passed=3 failed=0")

    def test_a_figure_of_two_runs_breaks_the_whole(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = bench.main(self.logs(console({"null_syscall": "200.0"}),
                                          console({"null_syscall": "201.0"})))
        self.assertEqual(status, 1)
        self.assertIn("printed null_syscall, which an earlier run printed too", out.getvalue())

    def test_one_broken_run_breaks_the_whole_and_is_named(self):
        out = io.StringIO()
        args = self.logs(console({"null_syscall": "200.0"}), console({}, done=False))
        with contextlib.redirect_stdout(out):
            status = bench.main(args)
        self.assertEqual(status, 1)
        self.assertIn("run1.log: the benchmark never printed 'bench: done'", out.getvalue())

    def test_runs_boot_in_order_each_with_its_own_disk(self):
        qemu = os.path.join(self.dir, "qemu")
        with open(qemu, "w") as f:
            f.write(FAKE_QEMU % sys.executable)
        os.chmod(qemu, 0o755)
        disk_log = os.path.join(self.dir, "disk")
        out_json = os.path.join(self.dir, "bench.json")
        out = io.StringIO()
        os.environ["FAKE_DISK_LOG"] = disk_log
        try:
            with contextlib.redirect_stdout(out):
                status = bench.main(["--qemu", qemu, "--run", "root=one", "--run", "root=two",
                                     "--disk", "1M", "--json", out_json])
        finally:
            del os.environ["FAKE_DISK_LOG"]
        self.assertEqual(status, 0, out.getvalue())
        with open(out_json) as f:
            self.assertEqual(json.load(f), {"booted_one": 1.0, "booted_two": 1.0,
                                            "disk_bytes": 1048576.0})
        with open(disk_log) as f:
            self.assertFalse(os.path.exists(f.read()), "the disk outlived its run")

    def test_disk_needs_a_run(self):
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit):
            bench.main(["--disk", "1M"])


def main():
    results = None
    argv = sys.argv[:1]
    args = iter(sys.argv[1:])
    for a in args:
        if a == "--results":
            results = next(args, None)
        else:
            argv.append(a)
    prog = unittest.main(argv=argv, exit=False)
    r = prog.result
    failed = len(r.failures) + len(r.errors)
    passed = r.testsRun - failed - len(r.skipped)
    print("bench selftest: %d passed, %d failed" % (passed, failed))
    if results:
        with open(results, "w") as f:
            f.write("passed=%d failed=%d\n" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
