"""The release foliod stopped while it parses (black-box finding 13 of explore25): a SIGTERM or SIGINT
during the start-up load, or during a SIGHUP reload that parses every page, was acted on only after
the whole parse (then "foliod ready", the socket bound, a full snapshot written): the stop took the
whole cold start and more, past systemd's TimeoutStopSec.

Run like test_startup_and_limits.py (FOLIOD points at the release binary; needs the shared corpus).
Events are ordered by the log lines foliod writes, not by sleeps. "Promptly" is measured against
the time a full load of the same pages takes on this machine, in the same run: the stop must end
in less than half of it (it ends in a fraction of a second; the load takes seconds).
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

from folio_client import service_pb2

from test_release_daemon import FOLIOD, workdir  # noqa: F401 (workdir is a fixture)
from test_startup_and_limits import (health, needs_corpus, read_log, start_socket_activated, wait_for_line, wait_serving,
                                     write_pages)

COPIES = 4   # ~700 pages: a load of seconds


@pytest.fixture(scope="module")
def pages():
    """The page files every test copies into its data directory."""
    with tempfile.TemporaryDirectory(prefix="folio-stop-", dir="/tmp") as d:
        write_pages(os.path.join(d, "pages"), copies=COPIES)
        yield os.path.join(d, "pages")


@pytest.fixture(scope="module")
def full_load_seconds(pages):
    """How long foliod takes to parse every page here (its "corpus loaded" line says)."""
    with tempfile.TemporaryDirectory(prefix="folio-stop-", dir="/tmp") as d:
        data = fresh_data(d, pages)
        proc, log_path = start(d, data)
        try:
            assert wait_for_line(proc, log_path, "corpus loaded", limit=600), read_log(log_path)[-3000:]
        finally:
            proc.kill()
            proc.wait()
        line = next(l for l in read_log(log_path).splitlines() if "corpus loaded" in l)
        return int(re.search(r"\bms=(\d+)", line).group(1)) / 1000


def fresh_data(directory, pages):
    data = os.path.join(directory, "data")
    shutil.copytree(pages, os.path.join(data, "pages"))
    return data


def start(directory, data, env=None):
    sock, log_path = os.path.join(directory, "s.sock"), os.path.join(directory, "foliod.log")
    with open(log_path, "ab") as log:
        proc = subprocess.Popen([FOLIOD, "--socket", sock, "--data", data, "--drain-timeout", "2"],
                                stdout=log, stderr=subprocess.STDOUT, env=env)
    return proc, log_path


def notifications(listener, until=None, limit=60):
    """The sd_notify datagrams foliod sent: up to the one holding `until`, else all sent so far."""
    got = []
    deadline = time.monotonic() + limit
    listener.settimeout(0.05)
    while time.monotonic() < deadline:
        try:
            got.append(listener.recv(4096).decode())
        except socket.timeout:
            if until is None:
                return got
            continue
        if until is not None and until in got[-1]:
            return got
    return got


def stop_and_time(proc, sig, socket_path=None):
    """Sends `sig`, waits for the exit: (seconds it took, whether the socket file ever appeared)."""
    sent = time.monotonic()
    proc.send_signal(sig)
    socket_seen = False
    while proc.poll() is None:
        socket_seen = socket_seen or (socket_path is not None and os.path.exists(socket_path))
        if time.monotonic() - sent > 600:
            proc.kill()
        time.sleep(0.01)
    return time.monotonic() - sent, socket_seen


def snapshot_path(data):
    return os.path.join(data, "snapshot", "archive.folio")


@needs_corpus
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_during_the_start_up_load_abandons_it(workdir, pages, full_load_seconds, sig):
    """The load is abandoned between pages: foliod never says ready, never binds its socket, writes
    no snapshot of a partial corpus (pages/ is the source of truth) and exits 0 at once."""
    data = fresh_data(workdir, pages)
    proc, log_path = start(workdir, data)
    try:
        assert wait_for_line(proc, log_path, "loading the corpus"), read_log(log_path)
        if "corpus loaded" in read_log(log_path):
            pytest.skip("the load ended before the signal could be sent")
        took, socket_seen = stop_and_time(proc, sig, os.path.join(workdir, "s.sock"))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    log = read_log(log_path)
    assert proc.returncode == 0, log[-3000:]
    assert "foliod ready" not in log and "corpus loaded" not in log, log[-3000:]
    assert not socket_seen
    assert not os.path.exists(snapshot_path(data))
    assert took < full_load_seconds / 2, "stop took %.1f s; a full load takes %.1f s" % (took, full_load_seconds)
    assert "stop asked during the start-up load" in log, log[-3000:]
    assert "start-up load abandoned" in log, log[-3000:]


@needs_corpus
def test_a_stop_during_a_socket_activated_load_ends_it(workdir, pages, full_load_seconds):
    """With the socket systemd passes, Health answers NOT_SERVING during the load; a stop then
    abandons the load, closes the connections and exits 0 at once, as without activation."""
    data = fresh_data(workdir, pages)
    sock, log_path = os.path.join(workdir, "s.sock"), os.path.join(workdir, "foliod.log")
    proc = start_socket_activated(sock, log_path, "--data", data, "--drain-timeout", "2")
    try:
        assert wait_for_line(proc, log_path, "loading the corpus"), read_log(log_path)
        status = health(sock)
        if "corpus loaded" in read_log(log_path):
            pytest.skip("the load ended before the signal could be sent")
        assert status == service_pb2.HealthResponse.SERVING_STATUS_NOT_SERVING
        took, _ = stop_and_time(proc, signal.SIGTERM)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    log = read_log(log_path)
    assert proc.returncode == 0, log[-3000:]
    assert "foliod ready" not in log and "corpus loaded" not in log, log[-3000:]
    assert not os.path.exists(snapshot_path(data))
    assert took < full_load_seconds / 2, "stop took %.1f s; a full load takes %.1f s" % (took, full_load_seconds)
    assert "stop asked during the start-up load" in log, log[-3000:]


@needs_corpus
def test_a_stop_during_a_reload_ends_it_and_keeps_the_corpus_and_snapshot(workdir, pages, full_load_seconds):
    """Every page changed, so the SIGHUP reload parses them all again; a SIGTERM during it ends the
    reload (nothing of it installed, "reloaded" never logged), the drain writes no snapshot of it
    (the one written after the start stays) and foliod exits 0 at once."""
    data = fresh_data(workdir, pages)
    # The reload's start is seen as systemd sees it: RELOADING=1 on NOTIFY_SOCKET.
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(os.path.join(workdir, "notify"))
    proc, log_path = start(workdir, data, env=dict(os.environ, NOTIFY_SOCKET=os.path.join(workdir, "notify")))
    try:
        assert wait_serving(proc, os.path.join(workdir, "s.sock"), limit=600), read_log(log_path)[-3000:]
        assert wait_for_line(proc, log_path, "snapshot written", limit=600), read_log(log_path)[-3000:]
        before = os.stat(snapshot_path(data))
        for name in os.listdir(os.path.join(data, "pages")):
            with open(os.path.join(data, "pages", name), "a") as page:
                page.write("\n\n本报讯 又一段。\n")
        notifications(listener)
        proc.send_signal(signal.SIGHUP)
        assert any("RELOADING=1" in n for n in notifications(listener, until="RELOADING=1")), read_log(log_path)[-3000:]
        if "reloaded" in read_log(log_path):
            pytest.skip("the reload ended before the signal could be sent")
        took, _ = stop_and_time(proc, signal.SIGTERM)
        after_stop = notifications(listener)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        listener.close()
    log = read_log(log_path)
    assert proc.returncode == 0, log[-3000:]
    assert "reloaded" not in log, log[-3000:]
    after = os.stat(snapshot_path(data))
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert took < full_load_seconds / 2, "stop took %.1f s; a full load takes %.1f s" % (took, full_load_seconds)
    assert not any("READY=1" in n for n in after_stop) and any("STOPPING=1" in n for n in after_stop), after_stop
    # "reload abandoned" follows only when the reload had begun reading (not when the stop came
    # while it waited for a worker): the stop is named either way.
    assert "stop asked during a reload" in log, log[-3000:]
