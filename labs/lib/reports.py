"""reports.py - a grading Result as text for people, as Gradescope's
results.json, as JUnit XML for CI, and as rows of a CSV gradebook.

Everything a submission printed is indented under the line of the test it
belongs to, so it can never pass for one of the grader's own lines.
"""

import csv
import json
import re
import xml.etree.ElementTree as ET

OUTPUT_CHARS = 16000            # per test, in results.json and JUnit


def text(res, verbose_passes=False):
    """The human summary: notes, `name: PASS|FAIL (points/max)` per test with
    the reason and the console around it for failures, `Score: X/Y`."""
    lines = ["lab %d (%s): %s" % (res.lab.number, res.lab.dirname, res.label)]
    lines += ["  note: " + n for n in res.notes]
    for t in res.tests:
        lines.append("%s: %s (%d/%d)%s" % (t.name, "PASS" if t.ok else "FAIL", t.score,
                                           t.max_score, " [hidden]" if t.hidden else ""))
        if not t.ok:
            lines.append("    " + t.reason)
            lines += ["    " + l for l in t.output]
        elif verbose_passes:
            lines += ["    " + l for l in t.output]
    if res.lab.questions:
        lines.append("written answers: %d of %d in %s (not scored: for your teacher)"
                     % (sum(bool(a) for a in res.answers.values()), len(res.answers),
                        res.lab.answers))
    if res.lab.left_out:
        lines.append("Score: %d/%d (only %s; %d more tests not run)"
                     % (res.score, res.max_score, ", ".join(t.name for t in res.tests),
                        len(res.lab.left_out)))
    else:
        lines.append("Score: %d/%d" % (res.score, res.max_score))
    return "\n".join(lines) + "\n"


def test_output(t):
    # The harness's excerpt starts with the description ("what: ...") when
    # the case has one: say it once.
    said = t.output[:1] == ["what: " + t.description]
    body = "\n".join(([t.description] if t.description and not said else []) +
                     ([] if t.ok else [t.reason]) + t.output)
    return clean(body)[:OUTPUT_CHARS]


def gradescope(res):
    """The dict Gradescope reads from results.json."""
    return {
        "score": res.score,
        "execution_time": int(round(res.seconds)),
        "output": "\n".join(["Lab %d (%s): %d/%d" % (res.lab.number, res.lab.dirname,
                                                      res.score, res.max_score)] + res.notes +
                             ["written answer %s: %s" % (q, "given" if a else "missing")
                              for q, a in res.answers.items()]),
        "tests": [{
            "name": t.name,
            "score": t.score,
            "max_score": t.max_score,
            "status": "passed" if t.ok else "failed",
            "output": test_output(t),
            "visibility": "after_published" if t.hidden else "visible",
        } for t in res.tests],
    }


def write_json(res, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(gradescope(res), f, indent=2)
        f.write("\n")


def junit(res):
    """JUnit XML: one testsuite, one testcase per test, a failure with the
    reason and the console excerpt for each failed one."""
    suites = ET.Element("testsuites")
    suite = ET.SubElement(suites, "testsuite", {
        "name": "lab%d.%s" % (res.lab.number, clean(res.label)),
        "tests": str(len(res.tests)),
        "failures": str(sum(not t.ok for t in res.tests)),
        "time": "%.3f" % res.seconds,
    })
    props = ET.SubElement(suite, "properties")
    for name, value in (("score", res.score), ("max_score", res.max_score)):
        ET.SubElement(props, "property", {"name": name, "value": str(value)})
    for t in res.tests:
        case = ET.SubElement(suite, "testcase", {
            "classname": "lab%d" % res.lab.number, "name": t.name, "time": "%.3f" % t.seconds})
        if not t.ok:
            fail = ET.SubElement(case, "failure", {"message": clean(t.reason)[:500]})
            fail.text = test_output(t)
    return ET.tostring(suites, encoding="unicode") + "\n"


def write_junit(res, path):
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n' + junit(res))


def write_csv(results, path):
    """One row per submission: its name, score, maximum, each test's points,
    the notes (why the build failed, which trusted files it changed), and
    the text of each written answer (column answer:ID), not scored."""
    names = [t.name for t in results[0].tests] if results else []
    questions = [q for q, _ in results[0].lab.questions] if results else []
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["submission", "score", "max_score"] + names + ["notes"] +
                   ["answer:" + q for q in questions])
        for r in results:
            w.writerow([r.label, r.score, r.max_score] + [t.score for t in r.tests] +
                       ["; ".join(([r.error] if r.error else []) + r.notes)] +
                       [clean(r.answers.get(q, "")) for q in questions])


def clean(s):
    """S without the control characters XML and terminals choke on."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "?", s)
