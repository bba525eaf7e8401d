"""Search, SearchStream, ListEntities, GetEntity against a real foliod (its own daemon, so a failure here
cannot take the other live tests down). Until the index is wired into foliod these answer
UNIMPLEMENTED, which the clients must surface as a typed error; both outcomes are accepted."""
import asyncio

import pytest

from daemon import Foliod, seed_page
from folio_client import AsyncClient, Client, NotFound, StatusCode, Unimplemented


@pytest.fixture(scope="module")
def daemon():
    d = Foliod()
    with Client(d.socket, timeout=30) as c:
        c.ingest(text=seed_page(), source="jinzhou-2022-10-14-03.txt")
    yield d
    d.stop()


@pytest.fixture
def client(daemon):
    with Client(daemon.socket, timeout=30) as c:
        yield c


def test_search(client):
    try:
        res = client.search(query="錦州", limit=5)
    except Unimplemented as exc:
        assert exc.code == StatusCode.UNIMPLEMENTED
        return
    assert res.total >= len(res.hits) > 0
    assert all(h.article_id and h.headline is not None for h in res.hits)
    scores = [h.score for h in res.hits]
    assert scores == sorted(scores, reverse=True)


def test_search_stream(client):
    try:
        hits = list(client.search_stream(query="錦州", limit=5))
    except Unimplemented:
        return
    assert 0 < len(hits) <= 5


def test_search_stream_async(daemon):
    async def scenario():
        async with AsyncClient(daemon.socket, timeout=30) as c:
            try:
                return [h async for h in c.search_stream(query="錦州", limit=3)]
            except Unimplemented:
                return None
    hits = asyncio.run(scenario())
    assert hits is None or 0 < len(hits) <= 3


def test_entities(client):
    try:
        listed = client.list_entities(page_size=10)
    except Unimplemented:
        return
    assert listed.total >= len(listed.entities)
    if listed.entities:
        first = listed.entities[0]
        got = client.get_entity(type=first.type, text=first.text)
        assert got.entity.text == first.text and len(got.mentions) > 0
    with pytest.raises(NotFound):
        client.get_entity(text="不存在的實體名稱")


def test_entities_in_the_script_asked_for(client):
    """ListEntities and GetEntity take `script` as Search and GetArticle do: entity texts, forms,
    mentions' texts and headlines come converted (mention offsets stay those of the stored text)."""
    from folio_client import InvalidArgument, service_pb2
    listed = client.list_entities(prefix="锦州", script=service_pb2.OUTPUT_SCRIPT_TRADITIONAL)
    assert listed.entities and all(e.text.startswith("錦州") for e in listed.entities), listed
    assert all("锦" not in form for e in listed.entities for form in e.forms), listed
    first = listed.entities[0]
    simplified = client.get_entity(text=first.text, type=first.type, script=service_pb2.OUTPUT_SCRIPT_SIMPLIFIED)
    stored = client.get_entity(text=first.text, type=first.type)
    assert simplified.entity.text.startswith("锦州") and simplified.mentions
    assert all("錦" not in m.text and "錦" not in m.headline for m in simplified.mentions), simplified
    assert [m.mention for m in simplified.mentions] == [m.mention for m in stored.mentions]
    for call in (lambda: client.list_entities(script=9), lambda: client.get_entity(text=first.text, script=9)):
        with pytest.raises(InvalidArgument, match="unknown output script 9"):
            call()


def test_leaving_a_stream_early_cancels_it(client):
    try:
        stream = client.search_stream(query="錦州", limit=50)
        next(stream)
        stream.close()  # sends a cancel frame for the call
    except (Unimplemented, StopIteration):
        pass
    assert client.health().pages >= 1
