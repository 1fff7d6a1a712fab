"""submission.py - from what a student handed in to a tree the grader builds.

A submission is a directory, a tarball (.tar, .tar.gz, .tgz) or a git
bundle, or a directory holding just one of those (an upload). unpack()
copies it aside without following a single link: symbolic links, devices
and paths that leave the tree are dropped, and sizes are capped.
check_complete() says which of the source files the build needs are not
there; overlay() then puts the grader's protected files (tree.py) back over
the student's. They return notes for the report and raise SubmissionError
with a reason a student can act on when there is nothing to grade.
pack() is the student's side (make submit): exactly the files the grader
takes from a tree, as one tarball.
"""

import os
import shutil
import subprocess
import tarfile
import tempfile

import handout
import tree

MAX_BYTES = 200 << 20
MAX_FILES = 20000


class SubmissionError(Exception):
    pass


class Budget:
    """Counts what a submission brings in; raises once it is too much."""

    def __init__(self):
        self.bytes = 0
        self.files = 0

    def take(self, size):
        self.bytes += size
        self.files += 1
        if self.bytes > MAX_BYTES or self.files > MAX_FILES:
            raise SubmissionError("the submission is larger than %d MiB or %d files"
                                  % (MAX_BYTES >> 20, MAX_FILES))


def kind(path):
    if os.path.isdir(path):
        return "directory"
    if path.endswith((".tar", ".tar.gz", ".tgz")):
        return "tarball"
    if path.endswith(".bundle"):
        return "git bundle"
    return None


def submit_hint(lab):
    return ("hand in the whole tree: `make submit LAB=%s` packs it into build/submit/lab-%s.tar.gz"
            % (lab, lab))


def unpack(path, dest, lab="N"):
    """Put the files of submission PATH into the new directory DEST.
    Returns notes (what was left out)."""
    what = kind(path)
    notes = []
    if what is None:
        raise SubmissionError("%s is not a directory, a .tar/.tar.gz/.tgz or a .bundle; %s"
                              % (os.path.basename(path), submit_hint(lab)))
    if not os.path.exists(path):
        raise SubmissionError("%s does not exist" % path)
    if what == "directory":
        inner = [e for e in os.listdir(path) if not e.startswith(".")]
        if len(inner) == 1 and kind(os.path.join(path, inner[0])) in ("tarball", "git bundle"):
            path = os.path.join(path, inner[0])
            what = kind(path)
    with tempfile.TemporaryDirectory(prefix="mica-unpack-") as staging:
        if what == "directory":
            src = path
        elif what == "tarball":
            src = os.path.join(staging, "t")
            extract_tar(path, src, notes)
        else:
            src = os.path.join(staging, "g")
            clone_bundle(path, src)
        copy_tree(find_root(src), dest, notes)
    return notes


def find_root(path):
    """Where the tree starts: PATH, or the single folder a tarball wraps it in."""
    for _ in range(3):
        if os.path.exists(os.path.join(path, "Makefile")):
            return path
        entries = [e for e in os.listdir(path) if e not in (".git",)]
        if len(entries) != 1 or not os.path.isdir(os.path.join(path, entries[0])):
            return path
        path = os.path.join(path, entries[0])
    return path


def copy_tree(src, dest, notes):
    """Copy regular files and folders from SRC to DEST, leaving out links,
    build/ and .git/ at the top, within Budget."""
    budget = Budget()
    links = 0
    os.makedirs(dest, exist_ok=True)
    for top, dirs, files in os.walk(src):
        rel_top = os.path.relpath(top, src)
        if rel_top == ".":
            dirs[:] = [d for d in dirs if d not in tree.SKIPPED_DIRS]
        for d in list(dirs):
            if os.path.islink(os.path.join(top, d)):
                dirs.remove(d)
                links += 1
            else:
                os.makedirs(os.path.join(dest, rel_top, d), exist_ok=True)
        for f in files:
            s = os.path.join(top, f)
            if os.path.islink(s) or not os.path.isfile(s):
                links += 1
                continue
            budget.take(os.path.getsize(s))
            shutil.copyfile(s, os.path.join(dest, rel_top, f))
            if os.access(s, os.X_OK):
                os.chmod(os.path.join(dest, rel_top, f), 0o755)
    if links:
        notes.append("left out %d symbolic links or special files" % links)


def extract_tar(path, dest, notes):
    """Extract regular files and folders only, never outside DEST."""
    budget = Budget()
    skipped = 0
    try:
        with tarfile.open(path) as tar:
            for m in tar:
                name = os.path.normpath(m.name)
                if name.startswith(("/", "..")) or not (m.isfile() or m.isdir()):
                    skipped += 1
                    continue
                target = os.path.join(dest, name)
                if m.isdir():
                    os.makedirs(target, exist_ok=True)
                    continue
                budget.take(m.size)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with tar.extractfile(m) as f, open(target, "wb") as out:
                    shutil.copyfileobj(f, out)
                if m.mode & 0o100:
                    os.chmod(target, 0o755)
    except (tarfile.TarError, OSError, EOFError) as e:
        raise SubmissionError("cannot read the tarball: %s" % e)
    if skipped:
        notes.append("left out %d tar entries (links, devices or paths outside the tree)"
                     % skipped)


def clone_bundle(path, dest):
    """Check out the bundle's HEAD (else main, master, or its first branch)."""
    try:
        heads = subprocess.run(["git", "bundle", "list-heads", path], capture_output=True,
                               text=True, timeout=60)
        refs = dict(reversed(line.split(" ", 1)) for line in heads.stdout.split("\n") if " " in line)
        if heads.returncode != 0 or not refs:
            raise SubmissionError("not a git bundle git can read: %s" % heads.stderr.strip())
        ref = next((r for r in ("HEAD", "refs/heads/main", "refs/heads/master") if r in refs),
                   sorted(refs)[0])
        for cmd in (["git", "clone", "-q", "--no-checkout", path, dest],
                    ["git", "-C", dest, "-c", "advice.detachedHead=false", "checkout", "-q",
                     refs[ref]]):
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
            if r.returncode != 0:
                raise SubmissionError("cannot check out the bundle: %s" % r.stderr.strip())
    except (OSError, subprocess.SubprocessError) as e:
        raise SubmissionError("cannot check out the bundle: %s" % e)


def check_complete(dest, trusted_root, lab):
    """Raise SubmissionError if DEST lacks source files (kernel/, lib/,
    user/) that the trusted tree has: the build would stop at the first with
    make's "No rule to make target", which tells a student nothing."""
    ours = tree.source_files(trusted_root)
    missing = [f for f in ours if not os.path.isfile(os.path.join(dest, f))]
    if not missing:
        return
    hint = submit_hint(lab)
    if len(missing) == len(ours):
        found = sorted(os.listdir(dest))
        raise SubmissionError("the submission holds none of Mica's source files (%s); "
                              "it has only %s; %s"
                              % (", ".join(tree.SOURCE_DIRS),
                                 ", ".join(found[:8]) + (", ..." if len(found) > 8 else "")
                                 if found else "nothing", hint))
    raise SubmissionError("the submission lacks %d of the source files the build needs: %s; %s"
                          % (len(missing), ", ".join(missing[:10]) +
                             (", ..." if len(missing) > 10 else ""), hint))


def pack(root, lab_number, path):
    """Write the tarball PATH of what the grader takes from the tree at
    ROOT for lab LAB_NUMBER: every file but the protected ones (the grader
    brings its own) and build/, under lab-N/. Returns the files packed."""
    files = [f for f in tree.tree_files(root) if not tree.is_protected(f)]
    missing = [d for d in tree.SOURCE_DIRS if not any(f.startswith(d) for f in files)]
    if missing:
        raise SubmissionError("%s has no %s: run make submit in your copy of the handout"
                              % (root, ", ".join(missing)))
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    handout.write_tarball(root, path, "lab-%d" % lab_number, files)
    return files


def overlay(dest, trusted_root, lab):
    """Replace every protected file in DEST by the trusted tree's (its hidden
    tests stay out). Returns notes naming what the submission had changed:
    a file as the trusted tree or lab LAB's handout has it is unchanged."""
    theirs = set(f for f in tree_walk(dest) if tree.is_protected(f))
    theirs.discard("labs/HANDOUT")
    had_any = bool(theirs)
    ours = [f for f in tree.tree_files(trusted_root)
            if tree.is_protected(f) and not tree.is_hidden(f)]
    changed, missing = [], []
    for rel in ours:
        src, dst = os.path.join(trusted_root, rel), os.path.join(dest, rel)
        if rel not in theirs:
            if rel != tree.SOURCES_LIST:        # the autograder's own list
                missing.append(rel + " (missing)")
        elif not same_file(src, dst, rel, lab):
            changed.append(rel + " (changed)")
        theirs.discard(rel)
    # Deletions come last: they are often whole folders, edits say more. A
    # submission without a single protected file (make submit) deleted none.
    changed += [rel + " (added)" for rel in sorted(theirs)] + (missing if had_any else [])
    for rel in tree.PROTECTED_DIRS:
        p = os.path.join(dest, rel)
        if os.path.isdir(p):
            shutil.rmtree(p)
    for rel in theirs | set(ours):
        p = os.path.join(dest, rel)
        if os.path.isfile(p):
            os.remove(p)
    for rel in ours:
        os.makedirs(os.path.dirname(os.path.join(dest, rel)) or dest, exist_ok=True)
        shutil.copy2(os.path.join(trusted_root, rel), os.path.join(dest, rel))
    if not changed:
        return []
    shown = ", ".join(changed[:8]) + (", ..." if len(changed) > 8 else "")
    return ["graded with the course's own tests and build files; the submission had "
            "changed %d of them: %s" % (len(changed), shown)]


def tree_walk(root):
    out = []
    for top, _, files in os.walk(root):
        out += [os.path.relpath(os.path.join(top, f), root) for f in files]
    return out


def same_file(ours, theirs, rel, lab):
    try:
        with open(ours, "rb") as f, open(theirs, "rb") as g:
            a, b = f.read(), g.read()
    except OSError:
        return False
    if a == b:
        return True
    try:
        return handout.handout_text(rel, a.decode("utf-8"), lab) == b.decode("utf-8")
    except (UnicodeDecodeError, ValueError):
        return False
