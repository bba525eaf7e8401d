"""Starts a real foliod for a test: temporary socket and data dir; stops it afterwards."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from conftest import REPO
from folio_client import Client, FolioError, service_pb2

SEED_CANDIDATES = [os.path.join(REPO, "Sources", "FolioServer", "Resources", "sample", "seed-page.txt"),
                   os.path.join(REPO, "..", "shared", "corpus", "seed-page.txt"),
                   "/work/shared/corpus/seed-page.txt"]


def foliod_path():
    return os.environ.get("FOLIOD") or os.path.join(REPO, ".build", "debug", "foliod")


def seed_page():
    for path in [os.environ.get("FOLIO_SEED_PAGE")] + SEED_CANDIDATES:
        if path and os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                return f.read()
    raise FileNotFoundError("seed page not found: set FOLIO_SEED_PAGE")


class Foliod:
    def __init__(self, *extra_args):
        binary = foliod_path()
        if not os.access(binary, os.X_OK):
            raise RuntimeError("foliod not found at %s (make test FOLIOD=/abs/path/to/foliod)" % binary)
        self.dir = tempfile.mkdtemp(prefix="folio-py-", dir="/tmp")  # short: socket paths max 107 bytes
        self.socket = os.path.join(self.dir, "foliod.sock")
        self.data = os.path.join(self.dir, "data")
        os.mkdir(self.data)
        self.log_path = os.path.join(self.dir, "foliod.log")
        self._log = open(self.log_path, "wb")
        # A test that ends with a reply still unread would make SIGTERM wait out the default drain
        # (30 s) before stop() kills it; 2 s is enough for every call a test leaves in flight.
        drain = [] if "--drain-timeout" in extra_args else ["--drain-timeout", "2"]
        self._argv = [binary, "--socket", self.socket, "--data", self.data, *drain, *extra_args]
        self.proc = subprocess.Popen(self._argv, stdout=self._log, stderr=subprocess.STDOUT)
        try:
            self._wait_serving(60)
        except Exception:
            self.stop()
            raise

    def restart(self):
        """SIGTERM, then a new foliod on the same socket and data (as `systemctl restart`)."""
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(10)
        self.proc = subprocess.Popen(self._argv, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_serving(60)

    def pause(self):
        """SIGSTOP, then wait until every thread has stopped (kill() returns before they do, and a
        thread still running accepts connections a test expects to queue)."""
        os.kill(self.proc.pid, signal.SIGSTOP)
        tasks = "/proc/%d/task" % self.proc.pid
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            states = []
            for t in os.listdir(tasks):
                try:
                    with open(os.path.join(tasks, t, "stat")) as f:
                        states.append(f.read().rsplit(")", 1)[1].split()[0])
                except OSError:
                    pass
            if states and all(s in ("T", "t") for s in states):
                return
            time.sleep(0.01)
        raise RuntimeError("foliod did not stop")

    def resume(self):
        os.kill(self.proc.pid, signal.SIGCONT)

    def fill_backlog(self):
        """Connections left waiting on a paused foliod until its queue of new ones is full; the
        caller closes them."""
        pending = []
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.setblocking(False)
            try:
                s.connect(self.socket)
            except BlockingIOError:
                s.close()
                return pending
            pending.append(s)

    def _wait_serving(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("foliod exited with %s:\n%s" % (self.proc.returncode, self.log()))
            try:
                with Client(self.socket, timeout=2) as c:
                    if c.health().status == service_pb2.HealthResponse.SERVING_STATUS_SERVING:
                        return
            except FolioError:
                pass
            time.sleep(0.05)
        raise RuntimeError("foliod did not become ready:\n" + self.log())

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()[-4000:]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
