"""markers.py - lab regions in the source: parse them, lint them, cut them.

A lab region is a run of solution lines between one-line C comments:

    /* LAB 1 BEGIN: the goal, one line */
    /* LAB 1 HINT: a hint that stays in the handout */   (any number, right after BEGIN)
    ...solution lines...
    /* LAB 1 STUB: one line of code for the handout */   (any number, right before END)
    /* LAB 1 END */

A marker line may end in a backslash (a region inside a multi-line macro).
In Markdown prose (README.md, docs/) the markers are HTML comments,
<!-- LAB 1 BEGIN: goal -->, and a region's STUB lines are the text the
handout says instead (the goal and hints stay out of it): so the handout's
prose is true of the handout. Regions are only looked for in marked()
files; they never nest.
render() makes the handout text: the regions of one lab become the goal,
the hints and the stub; every other lab's markers vanish and its solution
stays. Nothing here touches files: callers pass text in and get text back.
"""

import re

MARKED_SUFFIXES = (".c", ".h", ".S", ".ld")
# Markdown outside the lab machinery's own folders, whose files show the
# marker syntax as examples (and may hold no regions: they are protected).
PROSE_SUFFIX = ".md"
PROSE_SKIPPED = ("labs/", "test/", "tools/")
KEYWORDS = ("BEGIN", "HINT", "STUB", "END")

# A well-formed marker: indent, comment, lab number, keyword, text, "\"?
MARKER = re.compile(r"^(?P<indent>[ \t]*)(?P<open>/\*|<!--) LAB (?P<lab>[0-9]+) "
                    r"(?P<kw>BEGIN|HINT|STUB|END)(?::(?P<text>.*?))?[ \t]*(?P<close>\*/|-->)"
                    r"[ \t]*(?P<cont>\\)?[ \t]*$")
# Anything that looks as if it meant to be one; if MARKER does not match
# such a line, it is a typo the lint reports instead of silently ignoring.
LOOKALIKE = re.compile(r"\bLAB\s*[0-9]+\s*:?\s*(BEGIN|HINT|STUB|END)\b")


class Region:
    """One lab region: where it is, what it says, and its solution lines."""

    def __init__(self, lab, goal, begin, indent, cont):
        self.lab = lab
        self.goal = goal
        self.begin = begin          # line index of BEGIN (0-based)
        self.end = None             # line index of END
        self.indent = indent
        self.begin_cont = cont      # BEGIN ends in a backslash
        self.end_cont = False
        self.hints = []
        self.stubs = []             # (indent, code)
        self.body = []              # solution lines, as written
        self.prose = False          # an HTML-comment region in Markdown


def marked(path):
    """True if PATH is a kind of file that may hold lab regions."""
    return path.endswith(MARKED_SUFFIXES) or \
        (path.endswith(PROSE_SUFFIX) and not path.startswith(PROSE_SKIPPED))


def parse(text, path="", known_labs=None):
    """Find the regions in TEXT. Returns (regions, errors); each error is
    "PATH:LINE: what is wrong". KNOWN_LABS, if given, is the set of lab
    numbers that exist; a region of any other lab is an error."""
    regions, errors = [], []
    cur = None
    state = None            # in a region: "hints", "body" or "stubs"

    def err(i, msg):
        errors.append("%s:%d: %s" % (path, i + 1, msg))

    for i, line in enumerate(text.split("\n")):
        m = MARKER.match(line)
        if m and (m.group("open") == "<!--") != (m.group("close") == "-->"):
            err(i, "lab marker opens with %s but closes with %s" % (m.group("open"), m.group("close")))
            continue
        if not m:
            if LOOKALIKE.search(line):
                err(i, "malformed lab marker (want /* LAB n BEGIN: goal */, HINT: text, "
                       "STUB: code or END): %s" % line.strip())
            if cur is not None:
                if state == "stubs":
                    err(i, "solution line after a STUB; STUB lines go right before END")
                cur.body.append(line)
                state = "body"
            continue
        lab, kw = int(m.group("lab")), m.group("kw")
        text_ = (m.group("text") or "").strip()
        if known_labs is not None and lab not in known_labs:
            err(i, "lab %d does not exist (labs/ has %s)"
                % (lab, ", ".join(str(n) for n in sorted(known_labs)) or "none"))
        if kw == "BEGIN":
            if cur is not None:
                err(i, "LAB %d BEGIN inside the region of lab %d opened at line %d "
                       "(regions do not nest)" % (lab, cur.lab, cur.begin + 1))
                continue
            if not text_:
                err(i, "LAB %d BEGIN needs a goal: /* LAB %d BEGIN: what to write */" % (lab, lab))
            cur = Region(lab, text_, i, m.group("indent"), bool(m.group("cont")))
            cur.prose = m.group("open") == "<!--"
            state = "hints"
            continue
        if cur is None:
            err(i, "LAB %d %s outside any region" % (lab, kw))
            continue
        if lab != cur.lab:
            err(i, "LAB %d %s inside the region of lab %d opened at line %d"
                % (lab, kw, cur.lab, cur.begin + 1))
        if kw == "HINT":
            if state != "hints":
                err(i, "HINT lines go right after BEGIN")
            elif not text_:
                err(i, "empty HINT")
            cur.hints.append(text_)
        elif kw == "STUB":
            if not text_:
                err(i, "empty STUB; leave the line out instead")
            cur.stubs.append((m.group("indent"), text_))
            state = "stubs"
        else:   # END
            if text_:
                err(i, "END takes no text")
            if not any(l.strip() for l in cur.body):
                err(i, "region of lab %d opened at line %d has no solution lines"
                    % (cur.lab, cur.begin + 1))
            cur.end = i
            cur.end_cont = bool(m.group("cont"))
            regions.append(cur)
            cur = None
    if cur is not None:
        err(cur.begin, "region of lab %d is never closed (no LAB %d END)" % (cur.lab, cur.lab))
    return regions, errors


def _handout_lines(r):
    """The lines that stand in the handout where region R was."""
    if r.prose:
        return [code for _, code in r.stubs]
    out = []
    if r.hints:
        out.append("%s/* LAB %d: %s" % (r.indent, r.lab, r.goal))
        out += ["%s * Hint: %s" % (r.indent, h) for h in r.hints]
        out.append("%s */" % r.indent)
    else:
        out.append("%s/* LAB %d: %s */" % (r.indent, r.lab, r.goal))
    out += [indent + code for indent, code in r.stubs]
    # Inside a macro every line continues, except where the region was the
    # macro's last line.
    conts = [r.begin_cont] * (len(out) - 1) + [r.end_cont]
    return [line + " \\" if c else line for line, c in zip(out, conts)]


def render(text, lab, path=""):
    """TEXT with the regions of LAB cut (goal, hints and stub instead of the
    solution) and the markers of every other lab removed (their solution
    stays). LAB None removes all markers: the solution as a student would
    write it. Raises ValueError if the markers are broken."""
    regions, errors = parse(text, path)
    if errors:
        raise ValueError("\n".join(errors))
    lines = text.split("\n")
    out = []
    at = 0
    for r in regions:
        out += lines[at:r.begin]
        if r.lab == lab:
            out += _handout_lines(r)
        else:
            out += r.body
            # The END line left, so the last kept line inherits its ending.
            if out and out[-1].rstrip().endswith("\\") and not r.end_cont:
                out[-1] = out[-1].rstrip()[:-1].rstrip()
        at = r.end + 1
    out += lines[at:]
    return "\n".join(out)


def _norm(line):
    return " ".join(line.replace("\\", " ").split())


def solution_only_lines(files, lab):
    """The lines of LAB's regions that are nowhere else in FILES (a dict
    path -> text of the solution tree): exactly the text a handout of LAB
    must not contain. Lines under 8 characters ("}", "break;") are left
    out: they carry no solution. Returns {normalized line: "path:line"}."""
    inside, outside = {}, set()
    for path, text in files.items():
        regions = parse(text, path)[0] if marked(path) else []
        in_lab = set()
        for r in regions:
            if r.lab != lab:
                continue
            for k, line in enumerate(r.body):
                n = _norm(line)
                if len(n) >= 8:
                    inside.setdefault(n, "%s:%d" % (path, r.begin + 2 + len(r.hints) + k))
            in_lab.update(range(r.begin, r.end + 1))
            # The stub is handout text by design, even if a solution line
            # happens to read the same.
            outside.update(_norm(code) for _, code in r.stubs)
        for i, line in enumerate(text.split("\n")):
            if i not in in_lab and not MARKER.match(line):
                outside.add(_norm(line))
    return {n: where for n, where in inside.items() if n not in outside}


def leaks(solution_files, handout_files, lab):
    """Where the handout (dict path -> text) shows solution text of LAB.
    Returns a list of "handout-path:line: solution line (from path:line)"."""
    secret = solution_only_lines(solution_files, lab)
    found = []
    for path, text in sorted(handout_files.items()):
        for i, line in enumerate(text.split("\n")):
            n = _norm(line)
            if n in secret:
                found.append("%s:%d: %s (solution line %s)" % (path, i + 1, n, secret[n]))
    return found
