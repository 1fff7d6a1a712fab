"""tree.py - which files make up a Mica tree, and which of them the grader
owns.

The grader's own copies of the protected files (is_protected) go back over
a student's before anything is built: the tests, the lab files, the build
files and the host tools. Students work everywhere else. Lab regions may not
live in protected files (the lint says so), or grading would wipe them.
"""

import os
import subprocess

PROTECTED_DIRS = ("labs", "test", "tools", "linker", ".ci")
SOURCE_DIRS = ("kernel/", "lib/", "user/")      # where students work; the build needs all of it
SKIPPED_DIRS = (".git", "build")


def is_protected(rel):
    """True for a path (relative, with /) the grader keeps its own copy of.
    GNUmakefile and makefile would take precedence over Makefile: they count
    too, so a student's copy of one is removed."""
    return rel in ("Makefile", "GNUmakefile", "makefile") or rel.endswith(".mk") or \
        rel.split("/")[0] in PROTECTED_DIRS


def is_hidden(rel):
    """True for hidden tests: labs/NN-name/hidden/..., never in a handout,
    never in a student's build tree."""
    parts = rel.split("/")
    return len(parts) > 3 and parts[0] == "labs" and parts[2] == "hidden"


def tree_files(root):
    """The files of the tree at ROOT, relative, sorted: what git tracks plus
    what it would track (untracked, not ignored) in a git checkout; else
    every file outside build/ and .git/. Symbolic links are left out."""
    names = None
    if os.path.exists(os.path.join(root, ".git")):
        try:
            out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others",
                                  "--exclude-standard"], capture_output=True, check=True,
                                 timeout=60).stdout
            names = [n for n in out.decode("utf-8", "surrogateescape").split("\0") if n]
        except (OSError, subprocess.SubprocessError):
            names = None
    if names is None:
        names = []
        for top, dirs, files in os.walk(root):
            rel_top = os.path.relpath(top, root)
            if rel_top == ".":
                dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
            names += [os.path.normpath(os.path.join(rel_top, f)) for f in files]
    return sorted(n for n in set(names) if os.path.isfile(os.path.join(root, n))
                  and not os.path.islink(os.path.join(root, n)))


def read_text(path):
    """The file's text, or None if it is not UTF-8 text."""
    try:
        with open(path, "rb") as f:
            data = f.read()
        if b"\0" in data:
            return None
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


SOURCES_LIST = "labs/SOURCES"


def source_files(root):
    """The source files (SOURCE_DIRS) a tree has; for the Gradescope
    autograder, which holds only the protected files, the list it carries
    in SOURCES_LIST (handout.gradescope writes it)."""
    listed = os.path.join(root, SOURCES_LIST)
    if os.path.isfile(listed):
        with open(listed, encoding="utf-8") as f:
            return [l for l in f.read().split("\n") if l]
    return [f for f in tree_files(root) if f.startswith(SOURCE_DIRS) and not is_protected(f)]
