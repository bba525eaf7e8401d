"""The release foliod's start-up: signals and calls during the load, the open-file limit and the
data directory's lock (black-box findings 01, 04, 06, 08 of explore25).

Run like test_release_daemon.py (FOLIOD, FOLIO point at the release binaries). The load tests need
the shared corpus (pages enough for a load of a few seconds); the read-only mount test needs root.
Events are ordered by the log lines foliod writes ("loading the corpus", "corpus loaded"), not by
sleeps; a load that ended before the test could act skips rather than passes.
"""
import collections
import fcntl
import json
import os
import resource
import signal
import socket
import subprocess
import time

import pytest

from folio_client import FrameReader, encode_frame, service_pb2, wire_pb2
from folio_client.protocol import make_request

from test_release_daemon import FOLIO, FOLIOD, IS_ROOT, PAGE, Daemon, workdir  # noqa: F401 (workdir is a fixture)

CORPUS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "corpus", "pfr1998", "articles-01-20.jsonl")
OK, UNAVAILABLE = 0, 14


def write_pages(pages_dir, copies):
    """The corpus' days as page files, `copies` times under other ids: a cold parse of seconds."""
    os.makedirs(pages_dir, exist_ok=True)
    by_page = collections.defaultdict(list)
    with open(CORPUS) as f:
        for line in f:
            a = json.loads(line)
            by_page[(a["date"], a["page"])].append(a)
    for copy in range(copies):
        for (day, page), articles in by_page.items():
            text = "\n\n".join(q for a in articles for q in a["paragraphs"])
            with open(os.path.join(pages_dir, "c%d-%s-%02d.txt" % (copy, day.replace("-", ""), page)), "w") as out:
                out.write(text)


needs_corpus = pytest.mark.skipif(not os.path.exists(CORPUS), reason="needs ../shared/corpus")


def read_log(path):
    with open(path, errors="replace") as f:
        return f.read()


def wait_for_line(proc, log_path, text, limit=120):
    """Polls the log until `text` is in it; False when foliod exited or the limit passed."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if text in read_log(log_path):
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.02)
    return False


def raw_call(socket_path, method, body=b"", timeout=10):
    """One call on a new connection: (status code, message, body of the last frame)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(socket_path)
    try:
        s.sendall(encode_frame(make_request(1, method, body, None, None).SerializeToString()))
        reader = FrameReader(max_inflated_bytes=1 << 24)
        payload = b""
        while True:
            data = s.recv(1 << 16)
            if not data:
                raise ConnectionError("foliod closed the connection")
            reader.feed(data)
            while (frame := reader.get_frame()) is not None:
                response = wire_pb2.Response.FromString(frame.payload)
                payload = response.body or payload
                if response.HasField("status"):
                    return response.status.code, response.status.message, payload
    finally:
        s.close()


def health(socket_path):
    code, message, body = raw_call(socket_path, "Health")
    assert code == OK, message
    return service_pb2.HealthResponse.FromString(body).status


def wait_serving(proc, socket_path, limit=300):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if health(socket_path) == service_pb2.HealthResponse.SERVING_STATUS_SERVING:
                return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_socket_activated(sock, log_path, *args):
    """foliod as systemd starts it: a socket listening on `sock` as fd 3, LISTEN_PID the daemon's
    own pid (bash: dash's exec takes one-digit descriptors only); its output to `log_path`."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(sock)
    listener.listen(64)
    script = 'exec 3<&%d; LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" "$@"' % listener.fileno()
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(["bash", "-c", script, FOLIOD, *args], stdout=log, stderr=subprocess.STDOUT,
                                pass_fds=(listener.fileno(),))
    listener.close()
    return proc


# -- 01: SIGHUP during the load ---------------------------------------------------------------

@needs_corpus
def test_sighup_during_the_load_does_not_kill_foliod_and_reloads_after_it(workdir):
    """SIGHUP's default action killed foliod while it loaded (exit 129, nothing logged): its handler
    was installed only after the load. The reload asked for is done once the load ends."""
    data = os.path.join(workdir, "data")
    write_pages(os.path.join(data, "pages"), copies=2)
    sock, log_path = os.path.join(workdir, "s.sock"), os.path.join(workdir, "foliod.log")
    with open(log_path, "ab") as log:
        proc = subprocess.Popen([FOLIOD, "--socket", sock, "--data", data], stdout=log, stderr=subprocess.STDOUT)
    try:
        assert wait_for_line(proc, log_path, "loading the corpus"), read_log(log_path)
        if "corpus loaded" in read_log(log_path):
            pytest.skip("the load ended before the signal could be sent")
        proc.send_signal(signal.SIGHUP)
        assert wait_serving(proc, sock), "foliod exited %s:\n%s" % (proc.returncode, read_log(log_path)[-3000:])
        assert wait_for_line(proc, log_path, "reloaded"), read_log(log_path)[-3000:]
        log = read_log(log_path)
        if "SIGHUP during the load" not in log:
            pytest.skip("the signal arrived after the load")
        assert log.index("corpus loaded") < log.index("reloaded")
    finally:
        stop(proc)
    assert proc.returncode == 0


# -- 08: calls while a socket-activated foliod loads ------------------------------------------

@needs_corpus
def test_health_answers_not_serving_while_a_socket_activated_foliod_loads(workdir):
    """With the socket systemd passes (fd 3, LISTEN_FDS), clients connect during the load; nothing
    answered them, not even Health (a probe timed out). Health answers NOT_SERVING, other calls
    UNAVAILABLE "foliod is loading"."""
    data = os.path.join(workdir, "data")
    write_pages(os.path.join(data, "pages"), copies=4)
    sock, log_path = os.path.join(workdir, "s.sock"), os.path.join(workdir, "foliod.log")
    proc = start_socket_activated(sock, log_path, "--data", data)
    try:
        assert wait_for_line(proc, log_path, "loading the corpus"), read_log(log_path)
        status = health(sock)
        search_code, search_message, _ = raw_call(sock, "Search", service_pb2.SearchRequest(query="经济").SerializeToString())
        if "corpus loaded" in read_log(log_path):
            pytest.skip("the load ended before the calls were answered")
        assert status == service_pb2.HealthResponse.SERVING_STATUS_NOT_SERVING
        assert search_code == UNAVAILABLE and "foliod is loading" in search_message, search_message
        code, _, _ = raw_call(sock, "ServerInfo")   # every client's opening call
        assert code == OK
        # folio said "other server error" (exit 5) for this answer: its own code, "try again later".
        listing = subprocess.run([FOLIO, "list", "--socket", sock], capture_output=True, text=True, timeout=60)
        if "corpus loaded" not in read_log(log_path):
            assert listing.returncode == 12 and "foliod is loading" in listing.stderr, (listing.returncode, listing.stderr)
        assert wait_serving(proc, sock), read_log(log_path)[-3000:]
        search_code, search_message, _ = raw_call(sock, "Search", service_pb2.SearchRequest(query="经济").SerializeToString())
        assert search_code == OK, search_message
    finally:
        stop(proc)


# -- 04: the open-file limit ------------------------------------------------------------------

def run_limited(args, nofile, timeout=60):
    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
    return subprocess.run([FOLIOD, *args], capture_output=True, text=True, timeout=timeout, preexec_fn=limit)


def test_a_hard_open_file_limit_too_low_for_one_connection_names_the_least_limit(workdir):
    """Under a hard RLIMIT_NOFILE of 50 foliod advised "--max-connections 0", which it refuses itself,
    and exited 2 (documented for socket problems) after creating the data directory."""
    data = os.path.join(workdir, "data")
    result = run_limited(["--socket", os.path.join(workdir, "s.sock"), "--data", data], 50)
    assert result.returncode == 64, result.stderr
    assert "raise the limit to at least 65" in result.stderr, result.stderr
    assert "--max-connections to 0" not in result.stderr
    assert not os.path.exists(data)


def test_the_max_connections_suggested_under_a_low_limit_starts(workdir):
    result = run_limited(["--socket", os.path.join(workdir, "s.sock"), "--data", os.path.join(workdir, "data")], 100)
    assert result.returncode == 64, result.stderr
    assert "lower --max-connections to 36" in result.stderr, result.stderr

    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (100, 100))
    sock, log_path = os.path.join(workdir, "s2.sock"), os.path.join(workdir, "foliod.log")
    with open(log_path, "ab") as log:
        proc = subprocess.Popen([FOLIOD, "--socket", sock, "--data", os.path.join(workdir, "data2"), "--max-connections", "36"],
                                stdout=log, stderr=subprocess.STDOUT, preexec_fn=limit)
    try:
        assert wait_serving(proc, sock, limit=120), read_log(log_path)
    finally:
        stop(proc)
    assert proc.returncode == 0


# -- 06: the data directory's lock -------------------------------------------------------------

def test_foliod_locks_the_data_directory_itself(workdir):
    """foliod locks DATA as well as DATA/foliod.lock: a program holding a lock on the directory is
    named, as one holding the file is."""
    data = os.path.join(workdir, "data")
    os.makedirs(data)
    fd = os.open(data, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = subprocess.run([FOLIOD, "--socket", os.path.join(workdir, "s.sock"), "--data", data],
                                capture_output=True, text=True, timeout=60)
    finally:
        os.close(fd)
    assert result.returncode == 3, result.stderr
    assert "%s is locked by" % data in result.stderr and "(pid %d), not a foliod" % os.getpid() in result.stderr, result.stderr


@pytest.mark.skipif(not IS_ROOT, reason="needs root for a read-only bind mount")
def test_a_second_daemon_on_a_read_only_directory_without_its_lock_file_is_refused(workdir):
    """A read-only data directory without foliod.lock (a restored backup) was served with no lock at
    all: a second foliod served it too, and after a remount read-write the two archives diverged."""
    first = Daemon(workdir)
    with first.client() as c:
        c.ingest(text=PAGE, page_id="page1")
    first.stop()
    os.remove(os.path.join(first.data, "foliod.lock"))
    subprocess.run(["mount", "--bind", first.data, first.data], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", first.data], check=True)
        one = Daemon(workdir, socket_path=os.path.join(workdir, "one.sock"))
        try:
            second = subprocess.run([FOLIOD, "--socket", os.path.join(workdir, "two.sock"), "--data", first.data],
                                    capture_output=True, text=True, timeout=60)
            assert second.returncode == 3, second.stderr
            assert "another foliod (pid %d) already serves" % one.proc.pid in second.stderr, second.stderr
            assert one.alive()
        finally:
            one.stop()
    finally:
        subprocess.run(["umount", first.data])
