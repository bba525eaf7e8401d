"""Defect 02: a Client dropped without close() was never collected (its reader and writer threads held it):
its connection, descriptor and threads leaked, and foliod refused new clients past its limit per uid."""
import asyncio
import gc
import threading
import weakref

import pytest

from daemon import Foliod
from folio_client import AsyncClient, Client


@pytest.fixture
def daemon():
    d = Foliod("--max-connections-per-uid", "4")
    yield d
    d.stop()


def folio_threads():
    return [t for t in threading.enumerate() if t.name.startswith("folio-")]


def test_a_dropped_client_is_collected_with_its_connection_and_threads(daemon):
    before = folio_threads()
    refs = []
    for _ in range(12):  # three times foliod's limit of connections for this uid
        c = Client(daemon.socket, timeout=30)
        assert c.health().pages >= 0
        refs.append(weakref.ref(c))
        c = None
        gc.collect()
    assert all(r() is None for r in refs)
    for t in folio_threads():
        if t not in before:
            t.join(30)  # bounded: each ends once its connection is shut down
    assert [t for t in folio_threads() if t not in before] == []


def test_a_client_in_use_is_not_collected(daemon):
    c = Client(daemon.socket, timeout=30)
    stream = c.export_articles()
    del c
    gc.collect()
    assert list(stream) == []  # the stream holds its client: answered in full


def test_a_dropped_async_client_is_collected_quietly(daemon):
    """Defect 09: each dropped AsyncClient made asyncio log "Task was destroyed but it is pending!" for its
    reader task, which held the client."""
    async def main():
        reports = []
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: reports.append(context["message"]))
        refs = []
        for _ in range(6):  # more than foliod's connections for this uid
            a = AsyncClient(daemon.socket, timeout=30)
            assert (await a.health()).pages >= 0
            refs.append(weakref.ref(a))
            a = None
            gc.collect()
        for _ in range(500):  # bounded: the reader tasks end once their connections are closed
            if asyncio.all_tasks() == {asyncio.current_task()}:
                break
            await asyncio.sleep(0.01)
        gc.collect()
        return refs, reports

    refs, reports = asyncio.run(main())
    assert all(r() is None for r in refs)
    assert reports == []
