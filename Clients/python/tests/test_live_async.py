"""The asyncio client against a real foliod."""
import asyncio

import pytest

from daemon import Foliod, seed_page
from folio_client import AsyncClient, ConnectError, DeadlineExceeded, NotFound, StatusCode, service_pb2


@pytest.fixture(scope="module")
def daemon():
    d = Foliod()
    yield d
    d.stop()


def run(coro):
    return asyncio.run(coro)


def test_async_calls(daemon):
    async def scenario():
        async with AsyncClient(daemon.socket, timeout=30) as c:
            page = await c.ingest(text=seed_page(), source="async.txt")
            assert page.article_ids
            article = await c.get_article(article_id=page.article_ids[0])
            assert article.page_id == page.page_id
            with pytest.raises(NotFound) as info:
                await c.get_article(article_id="nope-01")
            assert info.value.code == StatusCode.NOT_FOUND
    run(scenario())


def test_async_many_concurrent_calls(daemon):
    async def scenario():
        async with AsyncClient(daemon.socket, timeout=30) as c:
            page = await c.ingest(text=seed_page(), source="async-many.txt")
            ids = list(page.article_ids)
            window = asyncio.Semaphore(48)  # foliod allows 64 calls in flight per connection by default

            async def one(i):
                async with window:
                    return await (c.get_article(article_id=ids[i % len(ids)]) if i % 3 else c.health())
            results = await asyncio.gather(*(one(i) for i in range(300)))
            assert [r.id for i, r in enumerate(results) if i % 3] == [ids[i % len(ids)] for i in range(300) if i % 3]
            assert all(r.status == service_pb2.HealthResponse.SERVING_STATUS_SERVING for i, r in enumerate(results) if not i % 3)
    run(scenario())


def test_async_deadline_and_cancel(daemon):
    async def scenario():
        async with AsyncClient(daemon.socket, timeout=30) as c:
            big = (seed_page() + "\n\n") * 130
            with pytest.raises(DeadlineExceeded):
                await c.parse(text=big, source="big.txt", timeout=0.001)
            task = asyncio.ensure_future(c.parse(text=big, source="big2.txt"))
            await asyncio.sleep(0.01)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert (await c.health()).pages >= 1  # the connection is still good
    run(scenario())


def test_async_connect_error(tmp_path):
    with pytest.raises(ConnectError):
        run(AsyncClient.connect(str(tmp_path / "nobody.sock")))


def test_async_connection_over_the_limit_raises_resource_exhausted():
    """foliod closes a connection over --max-connections at once: the reader could see that before
    the first write, which then failed with AttributeError ('NoneType' object has no attribute 'write')."""
    from folio_client import Client, ResourceExhausted
    d = Foliod("--max-connections", "2", "--reserved-writer-connections", "1")
    held = [Client(d.socket, timeout=10) for _ in range(2)]
    try:
        for c in held:
            c.health()

        async def scenario():
            for _ in range(10):
                with pytest.raises(ResourceExhausted):
                    async with AsyncClient(d.socket, timeout=5) as c:
                        await c.health()
        run(scenario())
    finally:
        for c in held:
            c.close()
        d.stop()


def test_async_call_refuses_a_streaming_method(daemon):
    async def scenario():
        async with AsyncClient(daemon.socket, timeout=30) as c:
            with pytest.raises(ValueError, match="streaming method"):
                await c.call("ExportArticles", b"")
    run(scenario())


def test_async_connect_waits_for_a_busy_daemon_up_to_connect_timeout():
    """asyncio's own connect took a full queue of new connections (EAGAIN) for success: the call then
    failed at once with "connection to foliod lost: Invalid argument"."""
    import time
    from folio_client import ConnectError
    d = Foliod()
    d.pause()
    pending = d.fill_backlog()
    try:
        async def scenario():
            start = time.monotonic()
            with pytest.raises(ConnectError, match="did not accept the connection in time"):
                async with AsyncClient(d.socket, connect_timeout=1) as c:
                    await c.health()
            assert 0.9 <= time.monotonic() - start < 3
        run(scenario())
    finally:
        d.resume()
        for s in pending:
            s.close()
        d.stop()


def test_a_client_reused_on_later_event_loops(daemon):
    # Defect 01: a client kept across asyncio.run() calls; its connection belonged to the first loop,
    # closed since: the next call hung to its deadline (a stream forever) and close() raised.
    c = AsyncClient(daemon.socket, timeout=10)
    assert run(c.health()).status
    assert run(c.health()).status

    async def a_stream():
        return [hit async for hit in c.search_stream(query="x", limit=3)]
    run(a_stream())  # a hang here is ended by timeout=10 as DeadlineExceeded
    run(c.close())


def test_a_client_serves_several_open_event_loops_at_once(daemon):
    # Its connection belonged to the loop that opened it, and a call from another open loop raised
    # RuntimeError. The connection is now the client's threads': each call's answers go to its own loop.
    import threading
    c = AsyncClient(daemon.socket, timeout=10)

    async def healths():
        return [r.status for r in await asyncio.gather(*(c.health() for _ in range(20)))]

    first = asyncio.new_event_loop()
    try:
        assert all(first.run_until_complete(healths()))
        answers = []
        other = threading.Thread(target=lambda: answers.append(run(healths())))  # a loop of its own
        other.start()
        assert all(first.run_until_complete(healths()))
        other.join()
        assert len(answers) == 1 and all(answers[0])
        first.run_until_complete(c.close())
    finally:
        first.close()
