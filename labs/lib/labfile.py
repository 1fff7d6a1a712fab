"""labfile.py - a lab's grade.conf: its tests, their points, how each runs.

The format (labs/README.md has the full story):

    title: 01-boot: ...             lab-wide settings come before the first test
    build-timeout: 300
    build: all build/fs.img         the make targets the grader builds (default: all)
    answers: answers/09-cow.md      the file where students write their answers to...
    question: ID: TEXT              ...each question (not scored: collected for the teacher)

    [test-name]
    # description, printed when the test fails
    points: 30
    hidden: yes                     graded, never in a handout (Gradescope: after_published)
    case: test/qemu/cases/x.test    a QEMU case file (test/qemu/README.md) ...
    args: root=test_uptime          ... or the case written inline: args, mem, smp,
    expect: ^test_uptime: PASS @TOKEN@$      timeout, expect, send, reject, exit, disk
    run: make unit                  ... or a host command: exit status 0 (or exit:) and
                                    its output checked with expect/reject
    limit: ^ipc: ([0-9]+) instructions <= 900    a number on a console line, at most N

@TOKEN@ in a pattern is the grader's fresh token for this run (grading.py).
Parsing checks everything it can without running anything, with the case
syntax checked by the QEMU harness's own parser, so a bad grade.conf is an
error at lint time, not a surprise at grading time.
"""

import os
import re

TEST_KEYS = ("points", "hidden", "case", "run", "limit")
CASE_KEYS = ("args", "mem", "smp", "timeout", "expect", "send", "reject", "exit", "disk")
LAB_KEYS = ("title", "build-timeout", "build", "answers", "question")
TOKEN = "@TOKEN@"
DEFAULT_BUILD_TIMEOUT = 300
LAB_DIR = re.compile(r"^([0-9]{2})-[a-z0-9-]+$")


class LabError(Exception):
    """A lab that cannot be found, or a grade.conf that cannot be used."""


class Test:
    """One graded test. kind is "qemu" (case file or inline case) or "run"."""

    def __init__(self, name, lineno):
        self.name = name
        self.lineno = lineno
        self.description = ""
        self.points = None
        self.hidden = False
        self.case = None            # path of a case file, relative to the tree
        self.command = None
        self.limits = []            # (regex text, compiled, maximum)
        self.directives = []        # inline case lines: (lineno, key, value)

    @property
    def kind(self):
        return "run" if self.command is not None else "qemu"


class Lab:
    def __init__(self, number, dirname, path):
        self.number = number
        self.dirname = dirname      # "01-boot"
        self.path = path            # its grade.conf
        self.title = dirname
        self.build_timeout = DEFAULT_BUILD_TIMEOUT
        self.build_targets = ["all"]
        self.answers = None         # the students' answers file, relative to the tree
        self.questions = []         # (id, text), in order
        self.tests = []

        self.left_out = []          # tests not run (select()): their names

    def max_score(self):
        return sum(t.points for t in self.tests)


def select(lab, names):
    """Keep only the tests of LAB called NAMES (make grade TEST=name).
    Raises LabError naming the tests there are for a name that is not one."""
    known = [t.name for t in lab.tests]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise LabError("lab %d has no test %s (its tests: %s)"
                       % (lab.number, ", ".join(unknown), ", ".join(known)))
    lab.left_out = [t.name for t in lab.tests if t.name not in names]
    lab.tests = [t for t in lab.tests if t.name in names]


def labs_in(root):
    """{number: dirname} of every labs/NN-name/ folder with a grade.conf."""
    found = {}
    try:
        names = os.listdir(os.path.join(root, "labs"))
    except OSError:
        return found
    for name in sorted(names):
        m = LAB_DIR.match(name)
        if m and os.path.isfile(os.path.join(root, "labs", name, "grade.conf")):
            found[int(m.group(1))] = name
    return found


def find(root, lab):
    """The folder name of lab LAB ("1", "01" or "01-boot") under ROOT/labs."""
    labs = labs_in(root)
    for number, name in labs.items():
        if str(lab) in (str(number), "%02d" % number, name):
            return name
    raise LabError("no lab %s in %s/labs (there is %s)" % (
        lab, root, ", ".join(labs.values()) or "no lab at all"))


def load(root, lab, harness):
    """Parse lab LAB's grade.conf under ROOT. HARNESS is the QEMU harness
    module (test/qemu/run.py), whose parser checks the case syntax.
    Raises LabError naming the file and line."""
    dirname = find(root, lab)
    rel = os.path.join("labs", dirname, "grade.conf")
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        text = f.read()
    result = Lab(int(dirname[:2]), dirname, rel)
    errors = []
    test = None
    names = set()

    def err(lineno, msg):
        errors.append("%s:%d: %s" % (rel, lineno, msg))

    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if test is not None and not test.description and not test.directives \
                    and test.points is None:
                test.description = line.lstrip("#").strip()
            continue
        m = re.fullmatch(r"\[([A-Za-z0-9_.-]+)\]", line)
        if m:
            if m.group(1) in names:
                err(lineno, "test %r is named twice" % m.group(1))
            names.add(m.group(1))
            test = Test(m.group(1), lineno)
            result.tests.append(test)
            continue
        if line.startswith("["):
            err(lineno, "bad test name %s (letters, digits, _ . - only)" % line)
            continue
        key, colon, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not colon:
            err(lineno, "expected 'key: value' or '[test-name]', got %r" % line)
        elif test is None:
            set_lab_key(result, key, value, lambda msg: err(lineno, msg))
        else:
            set_test_key(test, key, value, lineno, lambda msg: err(lineno, msg))
    for t in result.tests:
        check_test(root, dirname, t, harness, lambda msg, t=t: err(t.lineno, "[%s] %s" % (t.name, msg)))
    if not result.tests:
        err(1, "no tests")
    if bool(result.questions) != bool(result.answers):
        err(1, "question: lines and answers: go together")
    if errors:
        raise LabError("\n".join(errors))
    return result


def set_lab_key(lab, key, value, err):
    if key == "title":
        lab.title = value
    elif key == "build-timeout":
        if not re.fullmatch(r"[0-9]{1,5}", value) or int(value) == 0:
            err("build-timeout must be whole seconds > 0")
        else:
            lab.build_timeout = int(value)
    elif key == "answers":
        if not re.fullmatch(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_.-]+)*\.md", value) or ".." in value:
            err("answers: a Markdown file in the tree, like answers/09-cow.md")
        else:
            lab.answers = value
    elif key == "question":
        qid, sep, qtext = value.partition(":")
        if not sep or not re.fullmatch(r"[a-z0-9-]+", qid.strip()) or not qtext.strip():
            err("question: ID: TEXT, the ID in lower case, digits and -")
        elif qid.strip() in [q for q, _ in lab.questions]:
            err("question %r is asked twice" % qid.strip())
        else:
            lab.questions.append((qid.strip(), qtext.strip()))
    elif key == "build":
        targets = value.split()
        if not targets or not all(re.fullmatch(r"[A-Za-z0-9_./-]+", t) and
                                  not t.startswith(("-", "/")) and ".." not in t for t in targets):
            err("build: make targets in the tree, like 'all build/fs.img'")
        else:
            lab.build_targets = targets
    else:
        err("unknown lab setting %r (before the first [test]: %s)" % (key, ", ".join(LAB_KEYS)))


def set_test_key(t, key, value, lineno, err):
    if key in CASE_KEYS:
        t.directives.append((lineno, key, value))
    elif key == "points":
        if not re.fullmatch(r"[0-9]{1,6}", value):
            err("points must be a whole number, got %r" % value)
        else:
            t.points = int(value)
    elif key == "hidden":
        if value not in ("yes", "no"):
            err("%s must be yes or no" % key)
        setattr(t, key, value == "yes")
    elif key == "case":
        t.case = value
    elif key == "run":
        t.command = value
    elif key == "limit":
        pattern, sep, most = value.rpartition(" <= ")
        try:
            compiled = re.compile(pattern)
        except re.error as e:
            compiled = None
            err("bad limit regex %r: %s" % (pattern, e))
        if not sep or not re.fullmatch(r"[0-9]+", most.strip()):
            err("limit must read 'REGEX <= NUMBER'")
        elif compiled is not None and compiled.groups != 1:
            err("a limit regex captures exactly one number: ([0-9]+)")
        else:
            t.limits.append((pattern, compiled, int(most)))
    else:
        err("unknown key %r (known: %s)" % (key, ", ".join(TEST_KEYS + CASE_KEYS)))


def check_test(root, dirname, t, harness, err):
    if t.points is None:
        err("no points")
    if t.case is not None and t.command is not None:
        err("case: and run: exclude each other")
        return
    if t.case is None and t.command is None and \
            not any(k != "timeout" for _, k, _ in t.directives):
        err("nothing to run: give case: FILE, run: COMMAND, or an inline case (args, expect, ...)")
        return
    if t.case is not None:
        if any(k not in ("expect", "reject") for _, k, _ in t.directives):
            err("case: FILE takes only extra expect: and reject: lines, which come after "
                "the file's own (e.g. a PASS line with @TOKEN@); put the rest in the file")
        path = os.path.join(root, t.case)
        hidden_dir = os.path.join("labs", dirname, "hidden") + os.sep
        if not os.path.isfile(path):
            err("case file %s does not exist" % t.case)
            return
        if t.case.startswith(hidden_dir) != t.hidden:
            err("hidden tests (and only they) take their case files from %s" % hidden_dir)
    if t.command is not None:
        bad = [k for _, k, _ in t.directives if k in ("args", "mem", "smp", "send", "disk")]
        if bad:
            err("a run: test takes expect, reject, exit and timeout only, not %s"
                % ", ".join(bad))
            return
    if t.case is not None:
        text = case_text(root, t, "TOKEN")
    else:
        # Inline: each directive on its own grade.conf line, so that the
        # harness's "line N" points into grade.conf.
        lines = [""] * max([n for n, _, _ in t.directives], default=0)
        for n, key, value in t.directives:
            lines[n - 1] = "%s: %s" % (key, value)
        if t.command is not None and not any(k == "exit" for _, k, _ in t.directives):
            lines.append("exit: 0")
        text = "\n".join(lines) + "\n"
    try:
        harness.parse_case(t.name, text)
    except harness.CaseError as e:
        err(str(e))
    except OSError as e:
        err("cannot read %s: %s" % (t.case, e.strerror))


def case_text(root, t, token, max_timeout=None):
    """The test as a case file for the harness: the case file or the inline
    directives (a run: test gets exit 0 unless it says otherwise), @TOKEN@
    replaced by the regex-escaped TOKEN, the timeout cut to MAX_TIMEOUT."""
    if t.case is not None:
        with open(os.path.join(root, t.case), encoding="utf-8") as f:
            lines = f.read().splitlines()
        lines += ["%s: %s" % (k, v) for _, k, v in t.directives]
    else:
        lines = ["# " + t.description] + ["%s: %s" % (k, v) for _, k, v in t.directives]
        if t.command is not None and not any(k == "exit" for _, k, _ in t.directives):
            lines.append("exit: 0")
    lines = [l.replace(TOKEN, re.escape(token)) for l in lines]
    if max_timeout is not None:
        timeout = 10.0      # the harness's default
        kept = []
        for l in lines:
            key, _, value = l.partition(":")
            if key.strip() == "timeout":
                timeout = float(value)
            else:
                kept.append(l)
        lines = kept + ["timeout: %g" % min(timeout, max_timeout)]
    return "\n".join(lines) + "\n"


ANSWERS_CAP = 64 << 10          # bytes of an answers file the grader reads
PLACEHOLDER = "(your answer)"


def read_answers(tree_dir, lab):
    """{question id: the student's answer} from lab's answers file in
    TREE_DIR: the text under each `## ID` heading, without the question
    quoted there (`>` lines) and the template's placeholder; "" if not
    answered. A missing, linked or oversized file answers nothing."""
    answers = {q: "" for q, _ in lab.questions}
    if not lab.answers:
        return answers
    path = os.path.join(tree_dir, lab.answers)
    if os.path.islink(path) or not os.path.isfile(path):
        return answers
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read(ANSWERS_CAP)
    current = None
    for line in text.splitlines():
        m = re.fullmatch(r"##\s+([a-z0-9-]+)\s*", line)
        if m:
            current = m.group(1) if m.group(1) in answers else None
        elif line.startswith("#"):
            current = None
        elif current is not None and not line.startswith(">"):
            answers[current] += line.replace(PLACEHOLDER, "") + "\n"
    return {q: a.strip() for q, a in answers.items()}


def answers_template(lab):
    """The answers file a handout starts with: each question under its heading."""
    out = ["# Lab %d (%s): written answers" % (lab.number, lab.dirname), "",
           "Write each answer under its question, in place of %s. The grader" % PLACEHOLDER,
           "collects them for your teacher; no points are given automatically.", ""]
    for q, t in lab.questions:
        out += ["## " + q, "", "> " + t, "", PLACEHOLDER, ""]
    return "\n".join(out)


def without_hidden(text):
    """grade.conf TEXT minus its hidden tests (for handouts): each [block]
    that says 'hidden: yes' goes, with the comment lines just above it."""
    blocks = [[]]
    for line in text.splitlines(keepends=True):
        if re.match(r"\s*\[", line):
            # Comment lines directly above a test belong to it.
            lead = []
            while blocks[-1] and blocks[-1][-1].lstrip().startswith("#"):
                lead.insert(0, blocks[-1].pop())
            blocks.append(lead)
        blocks[-1].append(line)
    keep = [b for b in blocks
            if not any(re.fullmatch(r"\s*hidden\s*:\s*yes\s*", l.rstrip("\n")) for l in b)]
    return "".join("".join(b) for b in keep)
