"""sandbox.py - run a command from a student's tree without trusting it.

Sandbox.run() starts the command in its own session, with resource limits
(processes, file size, CPU, no core dumps), without network and in its own
PID namespace where the machine allows it (unshare), and as an unprivileged
uid of its own when the grader runs as root. It kills the whole process
group at the time limit or when the output passes its cap, and always
returns an Outcome; it never raises for anything the command does.

Rules: give each concurrent sandbox its own uid (the process limit counts
per uid); the uid must be able to write the directory it runs in.
"""

import os
import selectors
import signal
import subprocess
import sys
import threading
import time

OUTPUT_CAP = 1 << 20
MAX_PROCESSES = 256             # processes a sandbox may add to its uid's count
MAX_FILE_SIZE = 256 << 20
DRAIN_SECONDS = 1.0
# The launcher's interpreter must be one the sandbox uid may run: ours may
# live under a home directory it cannot enter.
PYTHON = next((p for p in ("/usr/bin/python3", "/usr/local/bin/python3") if os.access(p, os.X_OK)),
              sys.executable)
ENV_PASSED = ("PATH", "TOOLPREFIX", "QEMU", "BIOS", "LANG", "LC_ALL", "TZ")

# Runs in the child before the command: rlimits can only be set from inside
# (preexec_fn is unsafe in a threaded grader), and `python3 -c` needs no file
# the sandbox uid might not be allowed to read.
LAUNCHER = r"""
import os, resource, sys
for item in sys.argv[1].split(","):
    name, value = item.split("=")
    value = int(value)
    resource.setrlimit(getattr(resource, "RLIMIT_" + name), (value, value))
os.execvp(sys.argv[2], sys.argv[2:])
"""

# Strongest first: own user, network and PID namespaces (when the command
# ends, everything it left behind dies with its PID namespace); then no
# network only; then nothing, where unprivileged namespaces are off.
ISOLATIONS = (
    ["unshare", "--user", "--map-root-user", "--net", "--pid", "--fork", "--kill-child"],
    ["unshare", "--user", "--map-root-user", "--net"],
    [],
)

_probed = {}
_probe_lock = threading.Lock()
_lock = threading.Lock()
_live = set()                   # commands running now, for kill_all()


class Outcome:
    """What a sandboxed command did."""

    def __init__(self):
        self.status = None          # exit status; negative: killed by that signal
        self.timed_out = False
        self.flooded = False
        self.output = ""
        self.seconds = 0.0

    @property
    def ok(self):
        return self.status == 0 and not self.timed_out and not self.flooded

    def reason(self, timeout, cap=OUTPUT_CAP):
        if self.timed_out:
            return "timed out after %g s (killed)" % timeout
        if self.flooded:
            return "printed more than %d KiB (killed)" % (cap >> 10)
        if self.status is not None and self.status < 0:
            return "killed by signal %d" % -self.status
        return "exited with status %s" % self.status


def user_processes(uid):
    """How many processes UID has now (what RLIMIT_NPROC counts)."""
    n = 0
    for pid in os.listdir("/proc"):
        try:
            with open("/proc/%s/status" % pid) as f:
                for line in f:
                    if line.startswith("Uid:"):
                        n += int(line.split()[1]) == uid
                        break
        except (OSError, ValueError):
            pass
    return n


class Sandbox:
    """Runs commands under limits. UID: run as this uid (and gid), which
    needs root; None: as ourselves."""

    def __init__(self, uid=None):
        self.uid = uid if os.geteuid() == 0 else None
        self.isolation = self._probe()

    def limits(self, cpu_seconds):
        me = self.uid if self.uid is not None else os.getuid()
        nproc = MAX_PROCESSES + (0 if self.uid is not None else user_processes(me))
        return "NPROC=%d,FSIZE=%d,CORE=0,CPU=%d" % (nproc, MAX_FILE_SIZE, cpu_seconds)

    def _probe(self):
        """The strongest isolation that works here, found once per uid."""
        with _probe_lock:
            if self.uid not in _probed:
                _probed[self.uid] = []
                for prefix in ISOLATIONS[:-1]:
                    out = self._start(prefix + ["true"], "/", 10, os.environ, 60, 4096)
                    if out.ok:
                        _probed[self.uid] = prefix
                        break
            return _probed[self.uid]

    def describe(self):
        how = ("no network, own PID namespace" if "--pid" in self.isolation else
               "no network" if self.isolation else "no namespaces available")
        who = "uid %d" % self.uid if self.uid is not None else "own uid"
        return "%s, %s, at most %d processes" % (how, who, MAX_PROCESSES)

    def run(self, cmd, cwd, timeout, env=None, cap=OUTPUT_CAP):
        """Run CMD (a list) in CWD for at most TIMEOUT seconds; keep at most
        CAP bytes of its output (stdout and stderr together). ENV adds to
        the small clean environment every command gets."""
        clean = {k: os.environ[k] for k in ENV_PASSED if os.environ.get(k)}
        clean.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
        clean.update({"HOME": cwd, "TMPDIR": cwd, "LC_ALL": "C.UTF-8"})
        clean.update(env or {})
        return self._start(self.isolation + list(cmd), cwd, timeout, clean,
                           int(timeout) + 10, cap)

    def _start(self, argv, cwd, timeout, env, cpu, cap):
        out = Outcome()
        t0 = time.monotonic()
        extra = {}
        if self.uid is not None:
            extra = {"user": self.uid, "group": self.uid, "extra_groups": []}
        try:
            proc = subprocess.Popen([PYTHON, "-c", LAUNCHER, self.limits(cpu)] + argv,
                                    cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    start_new_session=True, **extra)
        except OSError as e:
            out.status = 127
            out.output = "cannot start %s: %s\n" % (argv[0], e.strerror)
            return out
        data = bytearray()
        with _lock:
            _live.add(proc)
        try:
            self._pump(proc, out, data, t0 + timeout, cap)
        finally:
            kill_group(proc)
            with _lock:
                _live.discard(proc)
            proc.wait()
            proc.stdout.close()
        out.status = proc.returncode if not (out.timed_out or out.flooded) else out.status
        out.output = data.decode("utf-8", "replace")
        out.seconds = time.monotonic() - t0
        return out

    def _pump(self, proc, out, data, deadline, cap):
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        exited_at = None
        try:
            while True:
                now = time.monotonic()
                if exited_at is None and proc.poll() is not None:
                    exited_at = now
                if exited_at is not None and now >= exited_at + DRAIN_SECONDS:
                    return
                if now >= deadline:
                    out.timed_out = exited_at is None
                    return
                wait = min(deadline - now, 0.2)
                for key, _ in sel.select(wait):
                    chunk = os.read(key.fileobj.fileno(), 65536)
                    if not chunk:
                        if proc.poll() is None:
                            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
                        return
                    data.extend(chunk[:max(0, cap - len(data))])
                    if len(data) >= cap:
                        out.flooded = True
                        return
        except subprocess.TimeoutExpired:
            out.timed_out = True
        finally:
            sel.close()


def kill_all():
    """Kill every sandboxed command still running (the grader is stopping)."""
    with _lock:
        for proc in list(_live):
            kill_group(proc)


def kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
