"""A write that reached foliod is answered with its outcome however late (docs/protocol.md): the
clients wait `write_answer_grace` past its deadline for that answer, then raise WriteOutcomeUnknown,
never a plain DeadlineExceeded that a script would take for "nothing was stored" (a fake foliod)."""
import asyncio
import threading
import time

import pytest

from fake_foliod import FakeFoliod, response_frame
from folio_client import AsyncClient, Client, DeadlineExceeded, WriteOutcomeUnknown, service_pb2


def answer_after(seconds):
    """Answers every call OK after `seconds`, from another thread (the fake reads on meanwhile)."""
    def answer(sock, req):
        body = service_pb2.IngestResponse(page_id="late").SerializeToString() if req.method.endswith("/Ingest") else b""
        def send():
            try:
                sock.sendall(response_frame(req.id, body, code=0))
            except OSError:
                pass  # the client had given up and gone
        threading.Timer(seconds, send).start()
    return answer


def never(sock, req):
    pass


def call(kind, path, method, grace, timeout=0.2):
    if kind == "sync":
        with Client(path, write_answer_grace=grace) as client:
            return getattr(client, method)(timeout=timeout)

    async def run():
        async with AsyncClient(path, write_answer_grace=grace) as client:
            return await getattr(client, method)(timeout=timeout)
    return asyncio.run(run())


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_write_answered_after_its_deadline_gives_its_outcome(kind):
    with FakeFoliod(answer_after(0.6)) as fake:
        assert call(kind, fake.socket, "ingest", grace=5).page_id == "late"


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_write_never_answered_is_an_unknown_outcome_after_the_grace(kind):
    with FakeFoliod(never) as fake:
        start = time.monotonic()
        with pytest.raises(WriteOutcomeUnknown) as raised:
            call(kind, fake.socket, "delete_page", grace=0.5)
        assert time.monotonic() - start >= 0.7  # the deadline, then the grace
        assert "may have been stored or not" in str(raised.value) and "0.5 s" in str(raised.value)
        assert isinstance(raised.value, DeadlineExceeded)  # existing `except DeadlineExceeded` still holds


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_read_past_its_deadline_is_not_waited_for(kind):
    with FakeFoliod(answer_after(0.6)) as fake:
        with pytest.raises(DeadlineExceeded) as raised:
            call(kind, fake.socket, "health", grace=5)
        assert not isinstance(raised.value, WriteOutcomeUnknown)
