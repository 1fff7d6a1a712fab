"""grading.py - grade a tree for one lab: build it, run the lab's tests,
score them.

A Grader holds what it trusts: its own tree (the QEMU harness, the lab's
grade.conf and hidden tests come from there, never from the graded tree)
and the lab. grade_tree() grades a tree where it stands (make grade);
grade_submission() first copies a submission aside and puts the trusted
files back over it (submission.py). Both always return a Result, with a
reason for every point not given; only a broken grade.conf raises.

Every run gets a fresh random token. It replaces @TOKEN@ in the expected
lines, and the build writes it into build/grade/grade_token.h, from which
the guest test programs print it when they pass: output that merely looks
right, printed by the code under test, cannot know it in advance.
"""

import concurrent.futures
import importlib.util
import os
import secrets
import shutil
import tempfile
import threading
import time
import types

import labfile
import sandbox
import submission

BUILD_OUTPUT_CAP = 256 << 10
OUTPUT_LINES = 80               # lines of output kept per failed test
# Always the Makefile: a GNUmakefile would win otherwise (tree.is_protected).
MAKE = ["make", "-f", "Makefile", "--no-print-directory"]
FIRST_UID = 61000               # sandbox uids when grading as root: one per parallel slot
# What a build says when it cannot start more processes.
FORK_FAILURES = ("Resource temporarily unavailable", "Cannot fork", "fork: retry")


def load_harness(root):
    """The QEMU harness module, test/qemu/run.py of the tree at ROOT."""
    path = os.path.join(root, "test", "qemu", "run.py")
    spec = importlib.util.spec_from_file_location("mica_qemu_harness", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestResult:
    def __init__(self, test):
        self.name = test.name
        self.max_score = test.points
        self.hidden = test.hidden
        self.description = test.description
        self.ok = False
        self.reason = ""
        self.output = []            # lines: what went wrong, the console around it
        self.seconds = 0.0

    @property
    def score(self):
        return self.max_score if self.ok else 0


class Result:
    def __init__(self, label, lab):
        self.label = label
        self.lab = lab
        self.tests = [TestResult(t) for t in lab.tests]
        self.notes = []
        self.answers = {q: "" for q, _ in lab.questions}   # written answers, not scored
        self.error = None           # why nothing could be graded
        self.seconds = 0.0

    @property
    def score(self):
        return sum(t.score for t in self.tests)

    @property
    def max_score(self):
        return sum(t.max_score for t in self.tests)

    def fail_all(self, reason, output=()):
        for t in self.tests:
            t.ok, t.reason, t.output = False, reason, list(output)


class Options:
    def __init__(self, jobs=2, max_test_time=None, keep=False, tests=None):
        self.jobs = jobs                    # tests at once, and make -j
        self.max_test_time = max_test_time  # cut every test's timeout to this
        self.keep = keep                    # keep the copies of submissions
        self.tests = tests                  # run only these tests (names), if given


class Grader:
    def __init__(self, trusted_root, lab_id, options=None):
        self.root = os.path.abspath(trusted_root)
        self.harness = load_harness(self.root)
        self.lab = labfile.load(self.root, lab_id, self.harness)
        self.opts = options or Options()
        if self.opts.tests:
            labfile.select(self.lab, self.opts.tests)
        self.lock = threading.Lock()
        self.live = set()               # harnesses running QEMU now

    def stop(self):
        """Kill every QEMU and sandboxed command still running (Ctrl-C)."""
        with self.lock:
            for h in self.live:
                h.kill_all()
        sandbox.kill_all()

    def grade_submission(self, path, label=None, slot=0):
        """Copy submission PATH aside, put the trusted files back, grade it."""
        label = label or os.path.basename(os.path.normpath(path))
        t0 = time.monotonic()
        work = tempfile.mkdtemp(prefix="mica-grade-")
        uid = FIRST_UID + slot if os.geteuid() == 0 else None
        res = None
        try:
            os.chmod(work, 0o711)
            src = os.path.join(work, "src")
            try:
                notes = submission.unpack(path, src, self.lab.number)
                submission.check_complete(src, self.root, self.lab.number)
                notes += submission.overlay(src, self.root, self.lab.number)
            except (submission.SubmissionError, OSError) as e:
                res = Result(label, self.lab)
                res.error = str(e)
                res.fail_all("nothing to grade: %s" % e)
                return res
            try:
                res = self.grade_tree(src, label, uid)
            except Exception as e:  # a grader bug: this submission's problem, not the batch's
                res = Result(label, self.lab)
                res.error = "grader error: %r" % e
                res.fail_all(res.error)
            res.notes = notes + res.notes
            if self.opts.keep:
                res.notes.append("kept the graded copy in %s" % src)
            return res
        finally:
            if not self.opts.keep:
                shutil.rmtree(work, ignore_errors=True)
            if res is not None:
                res.seconds = time.monotonic() - t0

    def grade_tree(self, tree_dir, label=None, uid=None):
        """Build the tree at TREE_DIR in place and run the lab's tests on it.
        UID: build as this uid (the tree is handed to it first)."""
        t0 = time.monotonic()
        res = Result(label or tree_dir, self.lab)
        box = sandbox.Sandbox(uid)
        token = secrets.token_hex(8)
        try:
            write_token(tree_dir, token)
            if uid is not None:
                chown_tree(tree_dir, uid)
            settings = make_settings(tree_dir, box)
        except (OSError, RuntimeError) as e:
            res.fail_all("cannot prepare the build: %s" % e)
            res.seconds = time.monotonic() - t0
            return res
        build = box.run(MAKE + ["-j%d" % self.opts.jobs] + self.lab.build_targets,
                        tree_dir, self.lab.build_timeout, cap=BUILD_OUTPUT_CAP)
        if not build.ok:
            why = build.reason(self.lab.build_timeout, BUILD_OUTPUT_CAP)
            if any(s in build.output for s in FORK_FAILURES):
                why += "; it ran into the limit of %d processes" % sandbox.MAX_PROCESSES
            res.notes.append("the build failed: %s" % why)
            res.fail_all("the build failed: %s" % why,
                         ["build output (last lines):"] + tail(build.output, 40))
            res.seconds = time.monotonic() - t0
            return res
        try:
            res.answers = labfile.read_answers(tree_dir, self.lab)
        except OSError as e:
            res.notes.append("cannot read the answers in %s: %s" % (self.lab.answers, e))
        kernel = os.path.join(tree_dir, settings["KERNEL"])
        with tempfile.TemporaryDirectory(prefix="mica-cases-") as cases:
            jobs = max(1, self.opts.jobs)
            with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
                list(pool.map(lambda pair: self.run_test(pair[0], pair[1], tree_dir, box,
                                                         settings, kernel, token, cases),
                              zip(self.lab.tests, res.tests)))
        res.seconds = time.monotonic() - t0
        return res

    def run_test(self, test, out, tree_dir, box, settings, kernel, token, cases):
        t0 = time.monotonic()
        try:
            text = labfile.case_text(self.root, test, token, self.opts.max_test_time)
            if test.kind == "qemu":
                self.run_qemu(test, out, tree_disks(text, tree_dir), settings, kernel, cases)
            else:
                self.run_command(test, out, text, tree_dir, box)
        except Exception as e:      # a grader bug must cost one test, not the run
            out.ok, out.reason = False, "grader error: %r" % e
        out.output = cap_lines(out.output)
        out.seconds = time.monotonic() - t0

    def run_qemu(self, test, out, text, settings, kernel, cases):
        path = os.path.join(cases, test.name + ".test")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        opts = types.SimpleNamespace(
            qemu=settings["QEMU"], bios=settings["BIOS"], kernel=kernel, jobs=1,
            verbose=False, results=None, extra_args="")
        h = self.harness.Harness(opts)
        with self.lock:
            self.live.add(h)
        try:
            r = h.run_case(path)
        finally:
            with self.lock:
                self.live.discard(h)
        out.ok, out.reason, out.output = r["ok"], r["reason"], list(r["detail"])
        err = (r.get("stderr") or "").strip()
        if err:
            out.output += ["qemu stderr:"] + ["  " + l for l in err.splitlines()[-10:]]
        if out.ok and test.limits:
            con = r["console"]
            check_limits(test, out, con.lines + [con.partial])

    def run_command(self, test, out, text, tree_dir, box):
        case = self.harness.parse_case(test.name, text)
        done = box.run(["sh", "-c", test.command], tree_dir, case.timeout,
                       cap=self.harness.OUTPUT_CAP)
        run = self.harness.Run(case)
        run.console.feed(done.output.encode("utf-8"))
        run.check_rejects(True)
        run.advance(lambda data: False)
        if done.timed_out or done.flooded:
            run.fail("`%s` %s" % (test.command, done.reason(case.timeout)))
        elif run.failure is None and not run.done():
            run.fail("`%s` never printed a line matching: %s"
                     % (test.command, case.steps[run.step][1]), run.step)
        elif run.failure is None and done.status != case.exit:
            run.fail("`%s` %s, expected status %d"
                     % (test.command, done.reason(case.timeout), case.exit))
        out.ok = run.failure is None
        if not out.ok:
            out.reason = run.failure
            out.output = self.harness.describe(run)
        if out.ok and test.limits:
            check_limits(test, out, run.console.lines + [run.console.partial])


def tree_disks(text, tree_dir):
    """A case's disk image named by a relative path (disk: build/fs.img) is
    the graded tree's own, the one its build made."""
    lines = []
    for line in text.splitlines():
        key, colon, value = line.partition(":")
        value = value.strip()
        if colon and key.strip() == "disk" and "/" in value and not os.path.isabs(value):
            line = "disk: " + os.path.join(tree_dir, value)
        lines.append(line)
    return "\n".join(lines) + "\n"


def check_limits(test, out, lines):
    """Each limit: the first line its regex matches carries a number that
    must be at most the limit. A measurement within its limit goes into the
    output; one over it is the reason, said once."""
    for pattern, rx, most in test.limits:
        value = next((int(m.group(1)) for m in map(rx.search, lines) if m), None)
        if value is None:
            out.ok = False
            out.reason = "no console line matches the limit pattern %s" % pattern
            return
        if value > most:
            out.ok = False
            out.reason = "measured %d, more than the limit %d (%s)" % (value, most, pattern)
            return
        out.output.append("measured %d (limit %d): %s" % (value, most, pattern))


def write_token(tree_dir, token):
    d = os.path.join(tree_dir, "build", "grade")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "grade_token.h"), "w") as f:
        f.write("/* Written by the grader for one run (labs/lib/grading.py). */\n"
                "#define GRADE_TOKEN \"%s\"\n" % token)


def make_settings(tree_dir, box=None):
    """QEMU, BIOS and KERNEL as the tree's Makefile chooses them (in BOX)."""
    box = box or sandbox.Sandbox()
    r = box.run(MAKE + ["-s", "labs-settings"], tree_dir, 120)
    settings = dict(l.split("=", 1) for l in r.output.splitlines() if "=" in l)
    if not r.ok or not {"QEMU", "BIOS", "KERNEL"} <= set(settings):
        raise RuntimeError("make labs-settings %s: %s" % (r.reason(120), r.output.strip()))
    return settings


def chown_tree(root, uid):
    for top, dirs, files in os.walk(root):
        for name in [top] + [os.path.join(top, n) for n in dirs + files]:
            os.lchown(name, uid, uid)


def tail(text, n):
    return ["    | " + l for l in text.rstrip("\n").split("\n")[-n:]]


def cap_lines(lines):
    if len(lines) <= OUTPUT_LINES:
        return lines
    return lines[:OUTPUT_LINES // 2] + ["    ... (%d lines left out)" % (len(lines) - OUTPUT_LINES)] \
        + lines[-OUTPUT_LINES // 2:]
