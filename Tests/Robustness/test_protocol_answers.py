"""What the release foliod answers where docs/protocol.md's table says so: the drain, page tokens
after a write, unknown enum values, the socket path's length, the compression threshold."""
import os
import signal
import socket
import subprocess
import threading
import time

import pytest

from folio_client import Client, FolioError, FrameReader, encode_frame, service_pb2, wire_pb2
from folio_client.errors import InvalidArgument, StatusCode, Unavailable
from folio_client.protocol import make_request

from test_release_daemon import FOLIOD, PAGE, Daemon, daemon, workdir  # noqa: F401 (fixtures)

DRAINING = service_pb2.HealthResponse.SERVING_STATUS_DRAINING


def test_calls_read_after_sigterm_get_unavailable_while_the_running_call_finishes(workdir):
    d = Daemon(workdir, "--drain-timeout", "60")
    try:
        with d.client() as c:
            article = c.ingest(text=PAGE, page_id="seed").article_ids[0]
        # A call still running at SIGTERM: a Convert of a few MB (s2t takes seconds).
        slow = {}
        a = Client(d.socket, timeout=120)
        big = PAGE * (6_000_000 // len(PAGE.encode()))
        runner = threading.Thread(target=lambda: slow.setdefault("reply", a.convert(text=big, script=2)))
        with d.client() as b:
            b.health()  # connected before the signal
            runner.start()
            time.sleep(0.5)
            d.proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            while b.health().status != DRAINING:
                assert time.monotonic() < deadline, "Health never said DRAINING"
                time.sleep(0.01)
            assert runner.is_alive(), "the Convert ended before the drain began: make it longer"
            with pytest.raises(Unavailable, match="shutting down"):
                b.get_article(article_id=article)
            with pytest.raises(Unavailable):
                b.ingest(text=PAGE + "\nnew", page_id="written-during-drain")
        runner.join(120)
        a.close()
        assert len(slow["reply"].text) == len(big)
        assert d.proc.wait(60) == 0
        assert sorted(os.listdir(os.path.join(d.data, "pages"))) == ["seed.page"]
    finally:
        d.stop()

