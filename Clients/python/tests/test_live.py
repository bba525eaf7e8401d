"""The blocking client against a real foliod (started here with --socket/--data in a temporary dir)."""
import concurrent.futures
import socket
import struct

import pytest

from daemon import Foliod, seed_page
from folio_client import (Client, ConnectError, DeadlineExceeded, FolioError, InvalidArgument, NotFound,
                          PermissionDenied, ResourceExhausted, StatusCode, Unimplemented, model_pb2, service_pb2)
from folio_client.frames import FrameReader, encode_frame
from folio_client.protocol import make_request, parse_response


@pytest.fixture(scope="module")
def daemon():
    d = Foliod()
    yield d
    d.stop()


@pytest.fixture(scope="module")
def client(daemon):
    with Client(daemon.socket, timeout=30, metadata={"client": "folio-python-tests"}) as c:
        yield c


@pytest.fixture(scope="module")
def page(client):
    info = model_pb2.PageInfo(publication="錦州日報", date="2022-10-14", page_label="03")
    return client.ingest(text=seed_page(), source="jinzhou-2022-10-14-03.txt", info=info)


def test_connect_error_names_the_socket(tmp_path):
    with pytest.raises(ConnectError) as info:
        Client(str(tmp_path / "nobody.sock"))
    assert info.value.code == StatusCode.UNAVAILABLE and "is it running?" in str(info.value)


def test_info_health_methods(client):
    info = client.server_info()
    assert info.name == "foliod" and info.protocol_version == 1
    assert client.health().status == service_pb2.HealthResponse.SERVING_STATUS_SERVING
    methods = {m.name: m for m in client.list_methods().methods}
    assert len(methods) >= 17 and methods["/folio.v1.Folio/SearchStream"].server_streaming
    assert methods["/folio.v1.Folio/Ingest"].write


def test_ingest_get_list(client, page):
    assert page.page_id and len(page.article_ids) > 0
    full = client.get_page(page_id=page.page_id)  # ~16 KB each way: compressed both ways
    assert full.id == page.page_id and [a.id for a in full.articles] == list(page.article_ids)
    for aid in page.article_ids:
        article = client.get_article(article_id=aid)
        assert article.id == aid and article.page_id == page.page_id
    listed = client.list_articles(page_id=page.page_id, page_size=1000)
    assert [a.id for a in listed.articles] == list(page.article_ids)
    assert page.page_id in [p.id for p in client.list_pages().pages]


def test_error_statuses_are_typed(client, page):
    with pytest.raises(NotFound) as info:
        client.get_article(article_id="no-such-article-01")
    assert info.value.code == StatusCode.NOT_FOUND and info.value.message
    with pytest.raises(Unimplemented):
        client.call("NoSuchMethod")
    with pytest.raises(InvalidArgument):
        client.call("GetArticle", b"\xff\xff\xff")
    assert client.health().status == service_pb2.HealthResponse.SERVING_STATUS_SERVING


def test_convert_and_stats(client, page):
    assert client.convert(text="錦州港", script=service_pb2.OUTPUT_SCRIPT_SIMPLIFIED).text == "锦州港"
    assert client.stats().pages >= 1


def test_deadline(client, page):
    big = (seed_page() + "\n\n") * 130  # ~2 MB: no parse finishes in 1 ms
    with pytest.raises(DeadlineExceeded):
        client.parse(text=big, source="big.txt", timeout=0.001)
    assert client.health().pages >= 1  # the connection is still good


def test_many_concurrent_calls_on_one_connection(client, page):
    ids = list(page.article_ids)

    def one(i):
        if i % 5 == 4:
            with pytest.raises(NotFound):
                client.get_article(article_id="missing-%d" % i)
            return "missing"
        return client.get_article(article_id=ids[i % len(ids)]).id

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        results = list(pool.map(one, range(200)))
    assert results == ["missing" if i % 5 == 4 else ids[i % len(ids)] for i in range(200)]


def raw_exchange(path, data):
    """Sends raw bytes, returns the Responses read until foliod closes the connection."""
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    s.connect(path)
    s.sendall(data)
    reader, out = FrameReader(), []
    while chunk := s.recv(65536):
        reader.feed(chunk)
        while (frame := reader.get_frame()) is not None:
            out.append((frame, parse_response(frame.payload)))
    s.close()
    return out


@pytest.mark.parametrize("data,code", [
    (struct.pack(">BI", 0x02, 2) + b"\x08\x01", StatusCode.INVALID_ARGUMENT),
    (struct.pack(">BI", 0x00, 4 * 1024 * 1024 + 1) + b"\x08\x01", StatusCode.RESOURCE_EXHAUSTED),
    (struct.pack(">BI", 0x01, 4) + b"junk", StatusCode.INVALID_ARGUMENT),
], ids=["reserved-flags", "frame-too-large", "bad-zlib"])
def test_bad_frames_get_a_connection_status(daemon, client, data, code):
    answers = raw_exchange(daemon.socket, data)
    assert len(answers) == 1 and answers[0][1].id == 0 and answers[0][1].status.code == code
    assert client.health().pages >= 1


def test_large_responses_come_compressed_small_ones_plain(daemon, page):
    get = service_pb2.GetPageRequest(page_id=page.page_id).SerializeToString()
    health = make_request(2, "Health", b"", None, None).SerializeToString()
    big = make_request(1, "GetPage", get, None, None).SerializeToString()
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    s.connect(daemon.socket)
    s.sendall(encode_frame(big) + encode_frame(health))
    reader, frames = FrameReader(), {}
    while len(frames) < 2:
        reader.feed(s.recv(65536))
        while (frame := reader.get_frame()) is not None:
            frames[parse_response(frame.payload).id] = frame
    s.close()
    assert frames[1].compressed and len(frames[1].payload) >= 1024
    assert not frames[2].compressed


def test_permission_denied_for_a_peer_not_allowed():
    d = Foliod("--allow-uid", "12345")
    try:
        with Client(d.socket, timeout=30) as c:
            with pytest.raises(PermissionDenied) as info:
                c.ingest(text=seed_page(), source="denied.txt")
            assert info.value.code == StatusCode.PERMISSION_DENIED
            assert c.stats().pages >= 0  # reads are still allowed
    finally:
        d.stop()


def test_delete_and_reload(client, page):
    assert client.reload().pages >= 1
    assert client.delete_page(page_id=page.page_id).articles_removed == len(page.article_ids)
    with pytest.raises(NotFound):
        client.get_page(page_id=page.page_id)


def test_connection_level_error_fails_calls_in_flight_then_reconnects(daemon, page):
    import queue
    from folio_client.protocol import PendingCall
    with Client(daemon.socket, timeout=30) as c:
        waiting = PendingCall(queue.SimpleQueue(), unary=True)
        with c._lock:  # a call in flight (never answered), then bytes that break the framing
            c._pending[999] = waiting
            c._sock.sendall(struct.pack(">BI", 0x04, 0))
        _, err = waiting.queue.get(timeout=10)
        assert isinstance(err, InvalidArgument) and err.code == StatusCode.INVALID_ARGUMENT
        assert c.health().status == service_pb2.HealthResponse.SERVING_STATUS_SERVING  # on a new connection


@pytest.fixture(scope="module")
def capped():
    d = Foliod("--max-connections", "2", "--reserved-writer-connections", "1")
    yield d
    d.stop()


def test_a_connection_over_the_limit_gets_foliods_reason(capped):
    """The call's write failed (Broken pipe) because foliod had already closed the refused
    connection: the client reported Unavailable and dropped foliod's RESOURCE_EXHAUSTED reason."""
    import time
    held = [Client(capped.socket, timeout=10) for _ in range(2)]
    try:
        for c in held:
            c.health()
        for attempt in range(6):
            with Client(capped.socket, timeout=10) as c:
                if attempt % 2:
                    time.sleep(0.1)  # foliod has closed before the write
                with pytest.raises(ResourceExhausted) as info:
                    c.health()
                assert "connections" in str(info.value)
    finally:
        for c in held:
            c.close()


def test_call_refuses_a_streaming_method(client):
    """call() of ExportArticles returned its first article as if it were the whole answer."""
    for method in ("ExportArticles", "/folio.v1.Folio/SearchStream"):
        with pytest.raises(ValueError, match="streaming method"):
            client.call(method, b"")


def test_a_stalled_daemon_does_not_hold_calls_past_their_deadline():
    """A request larger than the socket buffer blocked in sendall while foliod was stopped: its
    1 s deadline was ignored, and another thread's health(timeout=1) waited behind the send."""
    import threading, time
    d = Foliod()
    try:
        with Client(d.socket, timeout=1, compress=False) as c:
            c.health()
            big = "abcdefghi\n" * 300000
            outcome = {}

            def parse():
                try:
                    c.parse(text=big)
                except FolioError as exc:
                    outcome["parse"] = exc

            d.pause()
            try:
                start = time.monotonic()
                worker = threading.Thread(target=parse)
                worker.start()
                time.sleep(0.2)
                with pytest.raises((DeadlineExceeded, FolioError)):
                    c.health(timeout=1)
                assert time.monotonic() - start < 4
                worker.join(5)
                assert not worker.is_alive() and isinstance(outcome.get("parse"), DeadlineExceeded), outcome
            finally:
                d.resume()
            assert c.health().status == service_pb2.HealthResponse.SERVING_STATUS_SERVING  # a new connection
    finally:
        d.stop()


def test_connect_waits_for_a_busy_daemon_up_to_connect_timeout():
    """With foliod's queue of new connections full, connect() failed at once (EAGAIN) with "is it
    running?" although connect_timeout allowed 5 s and foliod was running."""
    import time
    d = Foliod()
    d.pause()
    pending = d.fill_backlog()
    try:
        start = time.monotonic()
        with pytest.raises(ConnectError) as info:
            Client(d.socket, connect_timeout=1)
        assert 0.9 <= time.monotonic() - start < 3
        assert "did not accept the connection in time" in str(info.value)
    finally:
        d.resume()
        for s in pending:
            s.close()
        d.stop()


def test_requests_foliod_would_close_the_connection_over_are_refused_here(daemon):
    """A compressed payload over the inflated limit was sent, and foliod closed the connection over it
    (a zlib bomb); metadata over 16 KiB made foliod close the connection of every call. Both are refused
    before anything is sent, and the connection serves on."""
    from folio_client import FrameError
    with Client(daemon.socket, timeout=30, max_inflated_bytes=4096) as c:
        with pytest.raises(FrameError) as err:
            c.call("Convert", b"x" * 5000)
        assert err.value.kind == "inflated_too_large"
        with pytest.raises(ValueError, match="metadata"):
            c.call("Health", metadata={"trace": "v" * 20000})
        assert c.health().pages >= 0
    with pytest.raises(ValueError, match="metadata"):
        Client(daemon.socket, metadata={"trace": "v" * 20000})


def test_metadata_over_foliods_limits_is_refused_here_and_the_limit_itself_is_sent(daemon):
    """Defect 04: 65 metadata entries, or 64 whose keys and values were 16000 bytes but over 16 KiB with
    their framing, were sent: foliod closed the connection, failing a stream in flight on it too."""
    from folio_client.protocol import MAX_ENVELOPE_FIELD_BYTES, make_request
    with Client(daemon.socket, timeout=30) as c:
        c.ingest(text=seed_page(), source="meta.txt", page_id="meta-1")
        articles = c.export_articles()
        next(articles)
        with pytest.raises(ValueError, match="65 entries"):
            c.health(metadata={"k%d" % i: "v" for i in range(65)})
        with pytest.raises(ValueError, match="outside its body"):
            c.health(metadata={"k%03d" % i + "x" * 126: "v" * 120 for i in range(64)})  # 16000 bytes of text
        # the most foliod takes: 16384 bytes outside the body of a Health request, framing included
        room = MAX_ENVELOPE_FIELD_BYTES - make_request(1, "Health", b"", 30, {"k": ""}).ByteSize()
        biggest = {"k": "v" * (room - 2)}  # two bytes more of length prefixes (the entry's and the value's)
        assert make_request(1, "Health", b"", 30, biggest).ByteSize() == MAX_ENVELOPE_FIELD_BYTES  # ids < 128: 1 byte
        assert c.health(metadata=biggest).pages >= 1
        assert sum(1 for _ in articles) >= 0  # the stream in flight went on
        assert c.health().pages >= 1
