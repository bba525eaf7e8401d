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

from test_release_daemon import FOLIO, FOLIOD, PAGE, Daemon, daemon, workdir  # noqa: F401 (fixtures)

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


def pages_about_ports(n):
    return ["%s港口第%d期工程开工\n\n本报上海１月%d日讯 记者王明报道：上海港口和宁波港口今年完成集装箱吞吐量。\n\n港口建设继续。\n"
            % (city, k, k + 1) for k, city in enumerate(["上海", "宁波", "天津", "大连", "青岛", "厦门"][:n])]


def test_page_tokens_from_before_a_write_are_refused_not_followed(daemon):
    """Search (BM25 moves with every write), ListEntities and GetEntity (offsets) tokens name the
    archive they were issued for; after Ingest, DeletePage or Reload they are ABORTED, not misread."""
    with daemon.client() as c:
        for k, text in enumerate(pages_about_ports(5)):
            c.ingest(text=text, page_id="port-%d" % k)
        first = c.search(query="港口", limit=2)
        entities = c.list_entities(page_size=1)
        mentions = c.get_entity(text="上海", page_size=1)
        assert first.next_page_token and entities.next_page_token and mentions.next_page_token
        # The archive unchanged: the tokens continue.
        assert len(c.search(query="港口", limit=2, page_token=first.next_page_token).hits) == 2
        assert len(c.list_entities(page_size=1, page_token=entities.next_page_token).entities) == 1
        for write in (lambda: c.ingest(text=pages_about_ports(6)[5], page_id="port-5"),
                      lambda: c.delete_page(page_id="port-5"), lambda: c.reload()):
            write()
            for stale in (lambda: c.search(query="港口", limit=2, page_token=first.next_page_token),
                          lambda: list(c.search_stream(query="港口", limit=2, page_token=first.next_page_token)),
                          lambda: c.list_entities(page_size=1, page_token=entities.next_page_token),
                          lambda: c.get_entity(text="上海", page_size=1, page_token=mentions.next_page_token)):
                with pytest.raises(FolioError, match="archive changed since this page token") as refused:
                    stale()
                assert refused.value.code == StatusCode.ABORTED
        # Starting again pages through every hit once.
        seen, token = [], ""
        while True:
            page = c.search(query="港口", limit=2, page_token=token)
            seen += [h.article_id for h in page.hits]
            token = page.next_page_token
            if not token:
                break
        assert len(seen) == len(set(seen)) == page.total


def test_an_enum_value_this_daemon_does_not_know_is_refused_by_every_method(daemon):
    with daemon.client() as c:
        c.ingest(text=PAGE, page_id="seed")
        refusals = {
            "Search script": lambda: c.search(query="上海", script=9),
            "SearchStream script": lambda: list(c.search_stream(query="上海", script=9)),
            "ListEntities script": lambda: c.list_entities(script=9),
            "ListEntities type": lambda: c.list_entities(type=9),
            "ListEntities order": lambda: c.list_entities(order=9),
            "GetEntity type": lambda: c.get_entity(text="上海", type=9),
            "GetEntity script": lambda: c.get_entity(text="上海", script=9),
            "GetEntity script, no such entity": lambda: c.get_entity(text="不存在", script=9),
            "ListEntities script, nothing listed": lambda: c.list_entities(prefix="不存在", script=9),
            "GetArticle script": lambda: c.get_article(article_id="seed-01", script=9),
        }
        for name, call in refusals.items():
            with pytest.raises(InvalidArgument, match="unknown (output script|entity type|entity order) 9"):
                call()
                pytest.fail(name + " was answered")
        assert c.search(query="上海", script=1).total >= 1  # known values still work


@pytest.mark.parametrize("length,listens", [(103, True), (104, False), (107, False)])
def test_a_socket_path_foliod_cannot_bind_is_refused_clearly_at_start(workdir, length, listens):
    path = workdir + "/" + "s" * (length - len(workdir) - 1)
    assert len(path.encode()) == length
    if listens:
        Daemon(workdir, socket_path=path).stop()
        return
    run = subprocess.run([FOLIOD, "--socket", path, "--data", workdir + "/data"], capture_output=True, text=True,
                         timeout=30)
    assert run.returncode == 2
    assert "socket path is %d bytes; foliod can listen on a path of at most 103 bytes" % length in run.stderr
    assert "unixDomainSocketPathTooLong" not in run.stderr


def raw_call(path, method, request):
    """One call over a raw socket that accepts zlib; the final frame (flags, Response)."""
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(path)
        s.sendall(encode_frame(make_request(1, method, request.SerializeToString(), 30, None).SerializeToString()))
        reader = FrameReader()
        while True:
            frame = reader.get_frame()
            if frame is not None:
                response = wire_pb2.Response()
                response.ParseFromString(frame.payload)
                if response.HasField("status"):
                    return frame.flags, response
                continue
            data = s.recv(65536)
            assert data, "connection closed"
            reader.feed(data)


def test_replies_are_compressed_by_payload_size_as_every_frame(daemon):
    """The 1024-byte threshold is the payload's (body + envelope): a ConvertResponse of 1020 bytes
    (payload 1027) is compressed, one of 1016 (payload 1023) is not, as stream frames already were."""
    for body, compressed in [(1016, False), (1017, True), (1020, True), (1024, True)]:
        text = "a" * (body - 3)  # ConvertResponse: tag, two length bytes, the text
        flags, response = raw_call(daemon.socket, "Convert", service_pb2.ConvertRequest(text=text, script=0))
        assert response.status.code == 0
        assert len(response.body) == body and len(response.SerializeToString()) == body + 7
        assert bool(flags & 1) == compressed, "body %d" % body


def test_a_connection_reset_mid_call_is_one_clear_sentence(workdir):
    """A peer that closes with the request unread (what a foliod killed with -9 leaves): the
    client's read gets ECONNRESET, and folio says the connection was lost, in the system's words."""
    path = os.path.join(workdir, "reset.sock")
    server = socket.socket(socket.AF_UNIX)
    server.bind(path)
    server.listen(8)

    def reset_every_call():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.recv(1, socket.MSG_PEEK)  # the request has arrived: leave it unread
            conn.close()

    threading.Thread(target=reset_every_call, daemon=True).start()
    try:
        for command in (["health"], ["search", "经济"], ["get", "x-01"]):
            run = subprocess.run([FOLIO, *command, "--socket", path], capture_output=True, text=True, timeout=30)
            assert run.returncode == 3, run
            assert "connection to foliod at" in run.stderr and "Connection reset by peer" in run.stderr, run.stderr
            assert "descriptor" not in run.stderr and "errno" not in run.stderr, run.stderr
            assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    finally:
        server.close()
