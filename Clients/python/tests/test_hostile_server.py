"""What a broken or hostile server sends must not make the client hold more than its limits say, nor
report a failed call as OK (a fake foliod, tests/fake_foliod.py; no daemon needed)."""
import asyncio
import gc
import time
import tracemalloc
import zlib

import pytest

from fake_foliod import FakeFoliod, raw_frame, response_frame
from folio_client import AsyncClient, Client, FrameError, StatusCode
from folio_client.protocol import PendingCall, ReadAhead

MiB = 1 << 20


def zlib_bomb(inflated=40 * MiB):
    """~40 KB on the wire, 40 MiB inflated: past the client's 16 MiB max_inflated_bytes."""
    co = zlib.compressobj(9)
    zeros = bytes(MiB)
    return b"".join(co.compress(zeros) for _ in range(inflated // MiB)) + co.flush()


BOMB = zlib_bomb()


def answer_bomb(sock, req):
    sock.sendall(raw_frame(0x01, BOMB))


def answer_cut_off(sock, req):
    sock.sendall(raw_frame(0x00, bytes(3_900_000), length=4_000_000))  # announces more than it sends
    return False  # and closes


def call_repeatedly(kind, path, calls, method="get_article", **fields):
    """Makes `calls` calls on one client; the kinds of the FrameErrors they raised."""
    kinds = []
    if kind == "sync":
        with Client(path, timeout=10) as client:
            for _ in range(calls):
                try:
                    getattr(client, method)(**fields)
                except FrameError as err:
                    kinds.append(err.kind)
    else:
        async def run():
            async with AsyncClient(path, timeout=10) as client:
                for _ in range(calls):
                    try:
                        await getattr(client, method)(**fields)
                    except FrameError as err:
                        kinds.append(err.kind)
        asyncio.run(run())
    return kinds


def traced_growth(work):
    """Bytes still allocated after `work()` with the cyclic GC off: what only a GC run would free."""
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        work()
        time.sleep(0.2)  # the last connection's reader thread ends
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
        gc.enable()


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("answer,error_kind", [(answer_bomb, "inflated_too_large"), (answer_cut_off, "truncated")],
                         ids=["zlib-bomb", "cut-off-frame"])
def test_a_frame_error_frees_the_bad_frame_at_once(kind, answer, error_kind):
    # Before, each FrameError kept the bad frame's buffers (16 MiB inflated, or the 3.9 MB received)
    # in a reference cycle through its traceback, until the cyclic GC happened to run.
    calls = 6
    with FakeFoliod(answer) as fake:
        kinds = []
        growth = traced_growth(lambda: kinds.extend(call_repeatedly(kind, fake.socket, calls, article_id="x-01")))
    assert kinds == [error_kind] * calls
    assert growth < 8 * MiB, "%.1f MB still held after %d FrameErrors" % (growth / MiB, calls)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_connection_level_reply_with_status_ok_is_a_protocol_error(kind):
    # Before: FolioError with code OK, a failed call that reads as a success.
    def answer(sock, req):
        sock.sendall(response_frame(0, code=StatusCode.OK, message="fine"))
        return False

    with FakeFoliod(answer) as fake:
        if kind == "sync":
            with Client(fake.socket, timeout=10) as client, pytest.raises(FrameError) as info:
                client.health()
        else:
            async def run():
                async with AsyncClient(fake.socket, timeout=10) as client:
                    await client.health()
            with pytest.raises(FrameError) as info:
                asyncio.run(run())
    err = info.value
    assert err.kind == "bad_envelope" and err.code == StatusCode.INTERNAL
    assert "status OK" in err.message and "fine" in err.message


def test_read_ahead_counts_what_each_held_answer_costs():
    # A held answer costs its Python objects too (~130 bytes): counting only body bytes let 6-byte
    # answers hold some 20 times the bound.
    limit = MiB
    read_ahead, call = ReadAhead(limit), PendingCall(None, False)
    held = 0
    while not read_ahead.must_wait([call]):
        read_ahead.add(call, 6)
        held += 1
    assert held * 150 <= 2 * limit, "%d answers of 6 bytes held for a bound of %d bytes" % (held, limit)
    for _ in range(held):
        read_ahead.take(call, 6)
    assert read_ahead.held == 0 and call.held == 0 and not read_ahead.must_wait([call])


def answer_endless_tiny_hits(sock, req):
    hit = b"\x0a\x04x-01"  # SearchHit{article_id: "x-01"}
    frames = response_frame(req.id, hit) * 1000
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        sock.sendall(frames)
    return False


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_stalled_stream_of_tiny_answers_holds_about_stream_read_ahead(kind):
    limit = MiB
    with FakeFoliod(answer_endless_tiny_hits) as fake:
        def stall():
            if kind == "sync":
                with Client(fake.socket, timeout=0, stream_read_ahead=limit) as client:
                    hits = client.search_stream(query="x")
                    next(hits)
                    time.sleep(1.5)  # the loop stalls: what the client read meanwhile is what it holds
                    growth.append(tracemalloc.get_traced_memory()[0] - before)
                    hits.close()
            else:
                async def run():
                    async with AsyncClient(fake.socket, timeout=0, stream_read_ahead=limit) as client:
                        hits = client.search_stream(query="x")
                        await hits.__anext__()
                        await asyncio.sleep(1.5)
                        growth.append(tracemalloc.get_traced_memory()[0] - before)
                        await hits.aclose()
                asyncio.run(run())

        growth = []
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            stall()
        finally:
            tracemalloc.stop()
    assert growth[0] < 2 * limit, "%.1f MB held for stream_read_ahead = 1 MiB" % (growth[0] / MiB)
