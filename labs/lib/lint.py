"""lint.py - what `make lint-labs` checks in a tree, without building it.

- Every lab marker is well formed, names a lab that exists (labs/NN-name/
  with a grade.conf), and regions are balanced and never nested.
- No region lives in a file the grader restores (tree.is_protected).
- Every lab has a README.md and a grade.conf that parses, with its case
  files in place (labfile.load).
- In the solution tree, every function a lab README names in backticks,
  like `kmain()`, is defined somewhere (a handout lacks what students write),
  and each lab's answers file is the template of its questions
  (labfile.answers_template; `labs/lint --answers` writes them).
Returns the problems as "path:line: what" strings; none means clean.
"""

import os
import re

import labfile
import markers
import tree

# A line that starts a function definition: a type (or `static inline`, or
# __attribute__((...))) at the start of the line, the name, "(", and no ";".
DEFINITION = re.compile(r"^[A-Za-z_][^;]*?\b([A-Za-z_][A-Za-z0-9_]*)\([^;]*$")
NAMED = re.compile(r"`([A-Za-z_][A-Za-z0-9_]*)\(\)`")


def lint_tree(root, harness):
    """Returns (problems, summary)."""
    known = labfile.labs_in(root)
    problems = []
    nregions = 0
    defined = set()
    for rel in tree.tree_files(root):
        if not markers.marked(rel):
            continue
        text = tree.read_text(os.path.join(root, rel))
        if text is None:
            continue
        regions, errors = markers.parse(text, rel, set(known))
        problems += errors
        nregions += len(regions)
        if regions and tree.is_protected(rel):
            problems.append("%s:%d: lab regions may not live in files the grader restores "
                            "(Makefile, *.mk, labs/, test/, tools/, linker/)"
                            % (rel, regions[0].begin + 1))
        if rel.endswith((".c", ".h")):     # .h: static inline functions
            defined.update(m.group(1) for m in map(DEFINITION.match, text.split("\n")) if m)
    in_handout = os.path.exists(os.path.join(root, "labs", "HANDOUT"))
    for number, dirname in sorted(known.items()):
        readme = os.path.join("labs", dirname, "README.md")
        try:
            lab = labfile.load(root, number, harness)
        except labfile.LabError as e:
            lab = None
            problems += str(e).split("\n")
        if lab is not None and lab.answers and not in_handout and \
                tree.read_text(os.path.join(root, lab.answers)) != labfile.answers_template(lab):
            problems.append("%s: not the template of lab %d's questions (labs/lint --answers "
                            "writes it)" % (lab.answers, number))
        text = tree.read_text(os.path.join(root, readme))
        if text is None:
            problems.append("%s: missing: every lab has a README for students" % readme)
        elif not in_handout:
            for i, line in enumerate(text.split("\n")):
                problems += ["%s:%d: names %s(), which is defined nowhere" % (readme, i + 1, n)
                             for n in NAMED.findall(line) if n not in defined]
    summary = "%d regions in %d labs" % (nregions, len(known))
    return problems, summary
