"""test_labs.py - unit tests of the lab machinery (python3 -m unittest, or
labs/selftest, which runs each as one check of make check)."""

import os
import shutil
import sys
import tarfile
import tempfile
import textwrap
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import grading      # noqa: E402
import handout      # noqa: E402
import labfile      # noqa: E402
import lint         # noqa: E402
import markers      # noqa: E402
import sandbox      # noqa: E402
import reports      # noqa: E402
import submission   # noqa: E402

HARNESS = grading.load_harness(ROOT)

SOLVED = textwrap.dedent("""\
    int f(int x)
    {
    \t/* LAB 2 BEGIN: double x */
    \t/* LAB 2 HINT: shift it */
    \tint doubled_value = x << 1;
    \treturn doubled_value;
    \t/* LAB 2 STUB: (void)x; */
    \t/* LAB 2 STUB: return -1; */
    \t/* LAB 2 END */
    }
    /* LAB 3 BEGIN: a table row */
    int third_lab_answer = 3;
    /* LAB 3 END */
    """)


def errors_of(text, labs=(1, 2, 3)):
    return markers.parse(text, "f.c", set(labs))[1]


class MarkerTests(unittest.TestCase):
    def test_a_region_is_read_whole(self):
        regions, errors = markers.parse(SOLVED, "f.c", {2, 3})
        self.assertEqual(errors, [])
        r = regions[0]
        self.assertEqual((r.lab, r.goal, r.hints), (2, "double x", ["shift it"]))
        self.assertEqual([c for _, c in r.stubs], ["(void)x;", "return -1;"])
        self.assertEqual(len(r.body), 2)

    def test_unbalanced_markers_are_rejected(self):
        self.assertIn("never closed", errors_of("/* LAB 1 BEGIN: g */\nx;\n")[0])
        self.assertIn("outside any region", errors_of("x;\n/* LAB 1 END */\n")[0])

    def test_nested_regions_are_rejected(self):
        text = "/* LAB 1 BEGIN: a */\n/* LAB 2 BEGIN: b */\nx;\n/* LAB 1 END */\n"
        self.assertTrue(any("do not nest" in e for e in errors_of(text)))

    def test_unknown_labs_are_rejected(self):
        text = "/* LAB 9 BEGIN: a */\nx;\n/* LAB 9 END */\n"
        self.assertIn("lab 9 does not exist", errors_of(text)[0])

    def test_a_marker_with_a_typo_is_not_ignored(self):
        for bad in ("/* LAB 1 BEGIN goal */", "// LAB 1 END", "/* LAB 1 BEGN: x */ LAB 1 STUB"):
            self.assertTrue(any("malformed" in e for e in errors_of(bad + "\n")), bad)

    def test_region_shape_is_checked(self):
        cases = {
            "/* LAB 1 BEGIN */\nx;\n/* LAB 1 END */\n": "needs a goal",
            "/* LAB 1 BEGIN: g */\nx;\n/* LAB 1 HINT: late */\n/* LAB 1 END */\n": "right after",
            "/* LAB 1 BEGIN: g */\n/* LAB 1 STUB: s; */\nx;\n/* LAB 1 END */\n": "after a STUB",
            "/* LAB 1 BEGIN: g */\n/* LAB 1 END */\n": "no solution lines",
            "/* LAB 1 BEGIN: g */\nx;\n/* LAB 2 END */\n": "inside the region of lab 1",
        }
        for text, want in cases.items():
            self.assertTrue(any(want in e for e in errors_of(text)), (text, want))

    def test_render_cuts_one_lab_and_unmarks_the_others(self):
        out = markers.render(SOLVED, 2)
        self.assertIn("\t/* LAB 2: double x\n\t * Hint: shift it\n\t */\n\t(void)x;\n\treturn -1;\n}",
                      out)
        self.assertNotIn("doubled_value", out)
        self.assertIn("\nint third_lab_answer = 3;\n", out)
        self.assertNotIn("LAB 3", out)

    def test_render_without_a_lab_is_the_plain_solution(self):
        out = markers.render(SOLVED, None)
        self.assertNotIn("LAB", out)
        self.assertIn("return doubled_value;", out)

    def test_regions_inside_a_macro_keep_it_continued(self):
        text = ("#define T(X) \\\n\tX(a) \\\n\t/* LAB 1 BEGIN: add b */ \\\n\tX(b) \\\n"
                "\t/* LAB 1 END */\n\nint after;\n")
        self.assertEqual(markers.render(text, 1),
                         "#define T(X) \\\n\tX(a) \\\n\t/* LAB 1: add b */\n\nint after;\n")
        self.assertEqual(markers.render(text, None),
                         "#define T(X) \\\n\tX(a) \\\n\tX(b)\n\nint after;\n")

    def test_leaks_find_solution_lines_anywhere_in_the_handout(self):
        solution = {"f.c": SOLVED, "g.c": "int shared_line_of_code;\n"}
        handout = {"f.c": markers.render(SOLVED, 2), "g.c": "int shared_line_of_code;\n"}
        self.assertEqual(markers.leaks(solution, handout, 2), [])
        handout["notes.md"] = "  int doubled_value = x << 1;\n"
        self.assertEqual(len(markers.leaks(solution, handout, 2)), 1)

    def test_lines_that_also_stand_outside_the_region_are_not_secret(self):
        text = "int common_line = 0;\n/* LAB 1 BEGIN: g */\nint common_line = 0;\n/* LAB 1 END */\n"
        self.assertEqual(markers.solution_only_lines({"f.c": text}, 1), {})


PROSE = textwrap.dedent("""\
    A kernel fault
    <!-- LAB 1 BEGIN: the backtrace is lab 1's -->
    prints a backtrace with function names.
    <!-- LAB 1 STUB: prints the faulting function (the backtrace is lab 1's task). -->
    <!-- LAB 1 END -->
    The end.
    """)


class ProseMarkerTests(unittest.TestCase):
    def test_markdown_regions_say_the_stub_instead(self):
        self.assertTrue(markers.marked("README.md") and markers.marked("docs/boot.md"))
        self.assertEqual(markers.render(PROSE, 1, "README.md"),
                         "A kernel fault\nprints the faulting function (the backtrace is "
                         "lab 1's task).\nThe end.\n")
        self.assertEqual(markers.render(PROSE, 2, "README.md"),
                         "A kernel fault\nprints a backtrace with function names.\nThe end.\n")

    def test_the_labs_own_docs_show_markers_as_examples(self):
        self.assertFalse(markers.marked("labs/README.md"))
        self.assertFalse(markers.marked("test/qemu/README.md"))

    def test_mixed_comment_styles_are_rejected(self):
        self.assertIn("opens with <!-- but closes with */",
                      errors_of("<!-- LAB 1 BEGIN: g */\nx\n")[0])

    def test_the_handout_readme_is_the_handouts(self):
        root = tempfile.mkdtemp()
        try:
            for rel, text in (("README.md", PROSE), ("kernel/a.c", SOLVED),
                              ("labs/01-boot/grade.conf", "[t]\npoints: 1\nrun: true\n"),
                              ("labs/02-x/grade.conf", "[t]\npoints: 1\nrun: true\n"),
                              ("labs/03-y/grade.conf", "[t]\npoints: 1\nrun: true\n")):
                os.makedirs(os.path.dirname(os.path.join(root, rel)) or root, exist_ok=True)
                with open(os.path.join(root, rel), "w") as f:
                    f.write(text)
            dest, _ = handout.build(root, 1, os.path.join(root, "out"))
            text = read(dest, "README.md")
            self.assertTrue(text.startswith("> **This is the handout of lab 1, [01-boot]"), text)
            self.assertIn("`make submit LAB=1`", text)
            self.assertNotIn("with function names", text)
            self.assertIn("the backtrace is lab 1's task", text)
        finally:
            shutil.rmtree(root)


class LabFileTests(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp()
        os.makedirs(os.path.join(self.root, "labs", "07-demo", "hidden"))
        self.write("test/qemu/cases/boot.test", "expect: ^hello$\n")
        self.write("labs/07-demo/hidden/deep.test", "expect: ^deep$\n")

    def tearDown(self):
        shutil.rmtree(self.root)

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def load(self, conf):
        self.write("labs/07-demo/grade.conf", textwrap.dedent(conf))
        return labfile.load(self.root, 7, HARNESS)

    def test_a_good_lab_file(self):
        lab = self.load("""\
            title: demo
            [boot]
            # boots
            points: 5
            case: test/qemu/cases/boot.test
            [inline]
            points: 7
            args: root=x
            expect: ^x: PASS @TOKEN@$
            [deep]
            points: 3
            hidden: yes
            case: labs/07-demo/hidden/deep.test
            [host]
            points: 1
            run: make unit
            expect: passed
            limit: ^cost ([0-9]+)$ <= 90
            """)
        self.assertEqual([t.name for t in lab.tests], ["boot", "inline", "deep", "host"])
        self.assertEqual((lab.max_score(), lab.tests[0].description), (16, "boots"))
        self.assertEqual([t.kind for t in lab.tests], ["qemu", "qemu", "qemu", "run"])
        text = labfile.case_text(self.root, lab.tests[1], "ab.c", max_timeout=4)
        self.assertIn("expect: ^x: PASS ab\\.c$", text)
        self.assertIn("timeout: 4", text)
        self.assertIn("exit: 0", labfile.case_text(self.root, lab.tests[3], "t"))

    def test_mistakes_are_reported_with_their_line(self):
        cases = {
            "[a]\npoints: x\nexpect: y\n": "grade.conf:2: points must be",
            "[a]\npoints: 1\ncolour: red\nexpect: y\n": "grade.conf:3: unknown key",
            "[a]\nexpect: y\n": "no points",
            "[a]\npoints: 1\nexpect: y\n[a]\npoints: 1\nexpect: y\n": "named twice",
            "[a]\npoints: 1\ncase: nowhere.test\n": "does not exist",
            "[a]\npoints: 1\ncase: labs/07-demo/hidden/deep.test\n": "hidden tests",
            "[a]\npoints: 1\nrun: true\nargs: x\n": "a run: test takes",
            "[a]\npoints: 1\nexpect: (\n": "[a] line 3: bad regex",
            "[a]\npoints: 1\nexpect: y\nlimit: ^n [0-9]+$ <= 3\n": "exactly one number",
            "[a]\npoints: 1\n": "nothing to run",
            "oops: 1\n[a]\npoints: 1\nexpect: y\n": "unknown lab setting",
        }
        for conf, want in cases.items():
            with self.assertRaises(labfile.LabError) as caught:
                self.load(conf)
            self.assertIn(want, str(caught.exception), conf)

    def test_one_test_can_be_picked(self):
        lab = self.load("[a]\npoints: 1\nrun: true\n[b]\npoints: 2\nrun: true\n"
                        "[c]\npoints: 4\nrun: true\n")
        labfile.select(lab, ["c", "a"])
        self.assertEqual([t.name for t in lab.tests], ["a", "c"])
        self.assertEqual((lab.max_score(), lab.left_out), (5, ["b"]))
        res = grading.Result("x", lab)
        self.assertIn("Score: 0/5 (only a, c; 1 more tests not run)", reports.text(res))
        with self.assertRaises(labfile.LabError) as e:
            labfile.select(self.load("[a]\npoints: 1\nrun: true\n"), ["nope"])
        self.assertIn("has no test nope (its tests: a)", str(e.exception))

    def test_handouts_lose_hidden_tests_and_their_comments(self):
        conf = "title: t\n\n[a]\npoints: 1\n\n# secret\n[b]\nhidden: yes\npoints: 2\n\n[c]\npoints: 3\n"
        self.assertEqual(labfile.without_hidden(conf), "title: t\n\n[a]\npoints: 1\n\n[c]\npoints: 3\n")

    def test_written_answers_are_read_under_their_questions(self):
        lab = self.load("""\
            build: all build/fs.img
            answers: answers/07-demo.md
            question: why: Why?
            question: how: How?
            [a]
            points: 1
            disk: build/fs.img
            expect: y
            """)
        self.assertEqual(lab.build_targets, ["all", "build/fs.img"])
        self.assertEqual(labfile.read_answers(self.root, lab), {"why": "", "how": ""})
        template = labfile.answers_template(lab)
        self.write("answers/07-demo.md", template)
        self.assertEqual(labfile.read_answers(self.root, lab), {"why": "", "how": ""})
        self.write("answers/07-demo.md", template.replace(
            "> How?\n\n(your answer)", "> How?\n\nCarefully,\nin two lines.\n## other\nnot it"))
        self.assertEqual(labfile.read_answers(self.root, lab),
                         {"why": "", "how": "Carefully,\nin two lines."})
        text = grading.tree_disks(labfile.case_text(self.root, lab.tests[0], "t"), "/graded")
        self.assertIn("disk: /graded/build/fs.img\n", text)
        for conf, want in {"answers: a.md\n[a]\npoints: 1\nexpect: y\n": "go together",
                           "question: Q: x\nanswers: a.md\n[a]\npoints: 1\nexpect: y\n":
                           "question: ID: TEXT",
                           "build: ../x\n[a]\npoints: 1\nexpect: y\n": "build: make targets",
                           "[a]\npoints: 1\nrun: true\ndisk: 4M\n": "a run: test takes"}.items():
            with self.assertRaises(labfile.LabError) as caught:
                self.load(conf)
            self.assertIn(want, str(caught.exception), conf)

    def test_labs_are_found_by_number_or_name(self):
        self.write("labs/07-demo/grade.conf", "[a]\npoints: 1\nexpect: y\n")
        self.assertEqual(labfile.find(self.root, "7"), "07-demo")
        self.assertEqual(labfile.find(self.root, "07-demo"), "07-demo")
        with self.assertRaises(labfile.LabError):
            labfile.find(self.root, 8)


class LintTests(unittest.TestCase):
    def test_definitions_are_found_in_every_shape(self):
        """A README may name any function the tree defines, inline ones too."""
        found = {
            "static inline struct cte *cnode_slot(struct cnode *c, cptr_t i)": "cnode_slot",
            "__attribute__((noreturn)) void panic(const char *fmt, ...)": "panic",
            "int ipc_recv(struct thread *t, struct cte *slot, bool blocking)": "ipc_recv",
            "int ipc_send(struct thread *t);": None,           # a prototype
            "#define MSGINFO(label, n, len) ((label) << 12)": None,
            "\tipc_deliver(from, to);": None,                 # a call
        }
        for line, name in found.items():
            m = lint.DEFINITION.match(line)
            self.assertEqual(m and m.group(1), name, line)


class SandboxTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        uid = grading.FIRST_UID + 90 if os.geteuid() == 0 else None
        if uid is not None:
            os.chmod(self.dir, 0o777)
        self.box = sandbox.Sandbox(uid)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_status_and_output_come_back(self):
        out = self.box.run(["sh", "-c", "echo hi; exit 3"], self.dir, 10)
        self.assertEqual((out.status, out.output, out.ok), (3, "hi\n", False))

    def test_a_timeout_kills_what_the_command_left_running(self):
        # A duration no other run of this test uses: the scan of /proc
        # must see only our own sleeps.
        mark = "%d.5" % (100000 + os.getpid())
        out = self.box.run(["sh", "-c", "sleep %s & sleep %s" % (mark, mark)], self.dir, 1)
        self.assertTrue(out.timed_out)
        self.assertIn("timed out after 1 s", out.reason(1))
        # SIGKILL is delivered at once, but a dying process can stay in
        # /proc a moment longer: give it a second to be gone.
        for _ in range(20):
            left = [p for p in os.listdir("/proc") if p.isdigit() and mark.encode() in cmdline(p)]
            if not left:
                break
            time.sleep(0.05)
        self.assertEqual(left, [])

    def test_a_flood_is_cut_off(self):
        out = self.box.run(["yes"], self.dir, 30, cap=100000)
        self.assertTrue(out.flooded)
        self.assertLess(out.seconds, 10)
        self.assertEqual(len(out.output), 100000)

    def test_a_fork_bomb_hits_the_process_limit(self):
        script = "i=0; while [ $i -lt 400 ]; do sleep 3 & i=$((i+1)); done; echo started all"
        out = self.box.run(["sh", "-c", script], self.dir, 20)
        self.assertNotIn("started all", out.output)
        self.assertTrue(any(s in out.output for s in grading.FORK_FAILURES), out.output[-300:])


def cmdline(pid):
    try:
        with open("/proc/%s/cmdline" % pid, "rb") as f:
            return f.read()
    except OSError:
        return b""


class SubmissionTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_a_tarball_cannot_reach_outside_or_bring_links(self):
        src = os.path.join(self.tmp, "t.tar.gz")
        with tarfile.open(src, "w:gz") as t:
            for name, kind in (("lab/Makefile", tarfile.REGTYPE), ("../evil", tarfile.REGTYPE),
                               ("lab/link", tarfile.SYMTYPE), ("lab/kernel/a.c", tarfile.REGTYPE)):
                info = tarfile.TarInfo(name)
                info.type = kind
                info.linkname = "/etc/passwd" if kind == tarfile.SYMTYPE else ""
                t.addfile(info, None if kind == tarfile.SYMTYPE else tarfile.io.BytesIO(b""))
        dest = os.path.join(self.tmp, "out")
        notes = submission.unpack(src, dest)
        self.assertEqual(sorted(os.listdir(dest)), ["Makefile", "kernel"])
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "evil")))
        self.assertIn("left out 2 tar entries", notes[0])

    def test_the_trusted_files_go_back(self):
        ours, theirs = os.path.join(self.tmp, "ours"), os.path.join(self.tmp, "theirs")
        for root, files in ((ours, {"Makefile": "trusted", "test/t.test": "real",
                                    "kernel/a.c": "solution"}),
                            (theirs, {"Makefile": "trusted", "test/t.test": "fake",
                                      "test/extra.test": "x", "kernel/a.c": "mine",
                                      "kernel/k.mk": "x"})):
            for rel, text in files.items():
                os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
                with open(os.path.join(root, rel), "w") as f:
                    f.write(text)
        notes = submission.overlay(theirs, ours, 1)
        self.assertEqual(read(theirs, "test/t.test"), "real")
        self.assertEqual(read(theirs, "kernel/a.c"), "mine")
        self.assertFalse(os.path.exists(os.path.join(theirs, "test/extra.test")))
        self.assertFalse(os.path.exists(os.path.join(theirs, "kernel/k.mk")))
        self.assertIn("changed 3 of them", notes[0])


    def make_tree(self, name, files):
        root = os.path.join(self.tmp, name)
        for rel in files:
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w") as f:
                f.write(rel)
        return root

    def test_submit_packs_what_the_grader_takes(self):
        root = self.make_tree("lab", ["Makefile", "kernel/a.c", "kernel/kernel.mk", "lib/b.c",
                                      "user/c.c", "test/t.test", "labs/HANDOUT", "README.md",
                                      "build/kernel.elf"])
        path = os.path.join(self.tmp, "out", "lab-3.tar.gz")
        files = submission.pack(root, 3, path)
        self.assertEqual(files, ["README.md", "kernel/a.c", "lib/b.c", "user/c.c"])
        with tarfile.open(path) as t:
            self.assertEqual(sorted(t.getnames()), ["lab-3/" + f for f in files])
        # Handed in as the one file of an upload folder, it grades.
        upload = os.path.join(self.tmp, "upload")
        os.makedirs(upload)
        shutil.copy(path, upload)
        dest = os.path.join(self.tmp, "graded")
        submission.unpack(upload, dest, 3)
        submission.check_complete(dest, root, 3)
        self.assertEqual(submission.overlay(dest, root, 3), [])
        self.assertEqual(read(dest, "kernel/a.c"), "kernel/a.c")

    def test_an_incomplete_submission_says_what_is_missing(self):
        ours = self.make_tree("ours", ["Makefile", "kernel/a.c", "kernel/riscv/entry.S",
                                       "lib/b.c", "user/c.c"])
        part = self.make_tree("part", ["kernel/a.c", "lib/b.c", "user/c.c"])
        with self.assertRaises(submission.SubmissionError) as e:
            submission.check_complete(part, ours, 2)
        self.assertIn("lacks 1 of the source files the build needs: kernel/riscv/entry.S",
                      str(e.exception))
        wrong = self.make_tree("wrong", ["notes.txt"])
        with self.assertRaises(submission.SubmissionError) as e:
            submission.check_complete(wrong, ours, 2)
        self.assertIn("none of Mica's source files (kernel/, lib/, user/); it has only "
                      "notes.txt", str(e.exception))
        self.assertIn("`make submit LAB=2`", str(e.exception))
        with self.assertRaises(submission.SubmissionError) as e:
            submission.unpack(os.path.join(wrong, "notes.txt"), os.path.join(self.tmp, "x"), 2)
        self.assertIn("notes.txt is not a directory", str(e.exception))


def read(root, rel):
    with open(os.path.join(root, rel)) as f:
        return f.read()


class CommandTestTests(unittest.TestCase):
    """run: tests and limit: lines, without building anything."""

    def grade(self, conf):
        root = tempfile.mkdtemp()
        try:
            os.makedirs(os.path.join(root, "labs", "05-x"))
            with open(os.path.join(root, "labs", "05-x", "grade.conf"), "w") as f:
                f.write(conf)
            lab = labfile.load(root, 5, HARNESS)
            g = grading.Grader.__new__(grading.Grader)
            g.harness, g.root = HARNESS, root
            g.opts = grading.Options()
            out = grading.TestResult(lab.tests[0])
            if os.geteuid() == 0:
                os.chmod(root, 0o777)
            box = sandbox.Sandbox(grading.FIRST_UID + 91)
            g.run_command(lab.tests[0], out, labfile.case_text(root, lab.tests[0], "t"), root, box)
            return out
        finally:
            shutil.rmtree(root)

    def test_output_and_status_decide(self):
        ok = self.grade("[a]\npoints: 1\nrun: echo 'ipc: 812 instructions'\nexpect: ^ipc:\n"
                        "limit: ^ipc: ([0-9]+) <= 900\n")
        self.assertTrue(ok.ok, ok.reason)
        self.assertIn("measured 812 (limit 900)", ok.output[0])
        over = self.grade("[a]\npoints: 1\nrun: echo 'ipc: 812 instructions'\n"
                          "limit: ^ipc: ([0-9]+) <= 800\n")
        self.assertIn("measured 812, more than the limit 800", over.reason)
        self.assertEqual(over.output, [])       # the figure is said once, in the reason
        status = self.grade("[a]\npoints: 1\nrun: echo fine; exit 4\nexpect: fine\n")
        self.assertIn("exited with status 4, expected status 0", status.reason)
        missing = self.grade("[a]\npoints: 1\nrun: echo other\nexpect: fine\n")
        self.assertIn("never printed a line matching: fine", missing.reason)


if __name__ == "__main__":
    unittest.main()
