"""handout.py - cut a lab's handout from the solution tree, and package the
Gradescope autograder.

build() writes OUT/lab-N/, a git repository with one commit, and
OUT/lab-N.tar.gz. In it, lab N's regions are cut (markers.render), every
other lab keeps its solution without markers, hidden tests are gone (their
folders and their grade.conf entries), labs/HANDOUT names the lab, and
README.md opens with a note saying whose handout it is. It
refuses, with the lines, to write a handout that shows solution text.

gradescope() writes OUT/lab-N.zip: setup.sh (installs what Mica needs with
tools/deps.sh), run_autograder (labs/grade on /autograder/submission), and
mica/, the files the grader trusts, with labs/SOURCES, the list of source
files a submission must have. The solution itself is not in it.
"""

import gzip
import io
import os
import shutil
import subprocess
import tarfile
import zipfile

import labfile
import markers
import tree

FIXED_DATE = "2000-01-01T00:00:00+00:00"    # reproducible commits and archives
FIXED_MTIME = 946684800


class HandoutError(Exception):
    pass


def handout_text(rel, text, lab):
    """What file REL (with TEXT) reads like in lab LAB's handout."""
    if markers.marked(rel):
        return markers.render(text, lab, rel)
    if rel.startswith("labs/") and rel.endswith("/grade.conf"):
        return labfile.without_hidden(text)
    return text


HANDOUT_NOTE = """\
> **This is the handout of lab %(number)d, [%(dirname)s](labs/%(dirname)s/README.md).**
> The code of its tasks is cut out, and this README says so where it
> speaks of them; the book in `docs/` describes the finished system.
> `make grade LAB=%(number)d` scores your work (`TEST=name` runs one test),
> and `make submit LAB=%(number)d` packs it for handing in.

"""


def build(root, lab_id, out_root):
    """Write the handout of lab LAB_ID. Returns (directory, tarball)."""
    dirname = labfile.find(root, lab_id)
    number = int(dirname[:2])
    dest = os.path.join(out_root, "lab-%d" % number)
    if os.path.exists(dest):
        shutil.rmtree(dest)
    os.makedirs(dest)
    solution, handout = {}, {}
    for rel in tree.tree_files(root):
        if tree.is_hidden(rel) or rel == "labs/HANDOUT":
            continue
        src, dst = os.path.join(root, rel), os.path.join(dest, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        text = tree.read_text(src)
        if text is None:
            shutil.copyfile(src, dst)
        else:
            solution[rel] = text
            try:
                handout[rel] = handout_text(rel, text, number)
            except ValueError as e:
                raise HandoutError("broken lab markers (make lint-labs):\n%s" % e)
            if rel == "README.md":
                handout[rel] = HANDOUT_NOTE % {"number": number, "dirname": dirname} \
                    + handout[rel]
            with open(dst, "w", encoding="utf-8") as f:
                f.write(handout[rel])
        os.chmod(dst, 0o755 if os.access(src, os.X_OK) else 0o644)
    with open(os.path.join(dest, "labs", "HANDOUT"), "w") as f:
        f.write(dirname + "\n")
    found = markers.leaks(solution, handout, number)
    if found:
        raise HandoutError("the handout of lab %d would show solution text:\n  %s"
                           % (number, "\n  ".join(found[:20])))
    commit(dest, "Mica lab %d: %s" % (number, dirname))
    tarball = dest + ".tar.gz"
    write_tarball(dest, tarball, "lab-%d" % number)
    return dest, tarball


def commit(dest, message):
    """Make DEST a git repository with one commit, the same on every run."""
    env = dict(os.environ, GIT_AUTHOR_NAME="Mica labs", GIT_AUTHOR_EMAIL="labs@mica.invalid",
               GIT_COMMITTER_NAME="Mica labs", GIT_COMMITTER_EMAIL="labs@mica.invalid",
               GIT_AUTHOR_DATE=FIXED_DATE, GIT_COMMITTER_DATE=FIXED_DATE)
    for cmd in (["git", "init", "-q", "-b", "main"],
                ["git", "add", "-A"],
                ["git", "-c", "commit.gpgsign=false", "commit", "-q", "-m", message]):
        r = subprocess.run(cmd, cwd=dest, env=env, capture_output=True, text=True)
        if r.returncode != 0:
            raise HandoutError("%s: %s" % (" ".join(cmd), r.stderr.strip()))


def write_tarball(src, path, prefix, files=None):
    """SRC (or FILES of it) as a .tar.gz under PREFIX/, without .git, byte
    for byte the same on every run (sorted, fixed owners and times)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for rel in sorted(tree.tree_files(src) if files is None else files):
            info = tar.gettarinfo(os.path.join(src, rel), os.path.join(prefix, rel))
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = FIXED_MTIME
            info.mode = 0o755 if info.mode & 0o100 else 0o644
            with open(os.path.join(src, rel), "rb") as f:
                tar.addfile(info, f)
    with open(path, "wb") as out, gzip.GzipFile(fileobj=out, mode="wb", mtime=FIXED_MTIME) as gz:
        gz.write(buf.getvalue())


SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
# Choose a base image with QEMU 7.0 or newer (Ubuntu 24.04, Debian 12).
set -eu
cd "$(dirname "$0")/mica"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends git make python3
tools/deps.sh
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission: grade /autograder/submission
# with the tests in mica/ (the student cannot change them) into results.json.
# AUTOGRADER=dir runs it somewhere else (the lab suite tests it that way).
ag=${AUTOGRADER:-/autograder}
mkdir -p "$ag/results"
# Hidden tests stay unreadable to the sandboxed build (it runs as another uid).
chmod -R go= "$ag/source/mica/labs/"*/hidden 2>/dev/null || true
python3 "$ag/source/mica/labs/grade" --lab %(lab)d --json "$ag/results/results.json" \\
    "$ag/submission"
[ -s "$ag/results/results.json" ]
"""


def gradescope(root, lab_id, out_root):
    """Write the Gradescope autograder zip of lab LAB_ID. Returns its path."""
    dirname = labfile.find(root, lab_id)
    number = int(dirname[:2])
    own_hidden = "labs/%s/hidden/" % dirname
    files = [rel for rel in tree.tree_files(root) if tree.is_protected(rel) and
             (not tree.is_hidden(rel) or rel.startswith(own_hidden)) and rel != "labs/HANDOUT"]
    os.makedirs(out_root, exist_ok=True)
    path = os.path.join(out_root, "lab-%d.zip" % number)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        def add(name, data, executable):
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.external_attr = (0o100755 if executable else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
        add("setup.sh", SETUP_SH, True)
        add("run_autograder", RUN_AUTOGRADER % {"lab": number}, True)
        add("mica/" + tree.SOURCES_LIST, "".join(f + "\n" for f in tree.source_files(root)), False)
        for rel in files:
            with open(os.path.join(root, rel), "rb") as f:
                add("mica/" + rel, f.read(), os.access(os.path.join(root, rel), os.X_OK))
    return path
