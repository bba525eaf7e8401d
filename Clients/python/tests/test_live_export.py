"""ExportArticles and the table helpers: every article and every entity mention of the archive
comes back, from the stream, a DataFrame and a Parquet file (pandas and pyarrow are the optional
extra; without them those two tests are skipped)."""
import pytest

from daemon import Foliod, seed_page
from folio_client import Client, export


@pytest.fixture(scope="module")
def daemon():
    d = Foliod()
    with Client(d.socket, timeout=30) as c:
        c.ingest(text=seed_page(), source="seed.txt", page_id="seed-a", info={"date": "2022-10-14"})
        c.ingest(text=seed_page(), source="seed.txt", page_id="seed-b", info={"date": "2022-10-15"})
    yield d
    d.stop()


@pytest.fixture
def client(daemon):
    with Client(daemon.socket, timeout=60) as c:
        yield c


def expected(client):
    """Every article, fetched one call at a time (what the export replaces)."""
    ids = [s.id for s in client.list_articles(page_size=1000).articles]
    return {i: client.get_article(article_id=i) for i in ids}


def test_export_streams_every_article_whole(client):
    want = expected(client)
    got = {a.id: a for a in client.export_articles()}
    assert got == want
    assert len(got) >= 14


def test_export_filters(client):
    got = [a.id for a in client.export_articles(filter={"page_id": "seed-b"})]
    assert got and all(i.startswith("seed-b-") for i in got)
    dated = [a.date for a in client.export_articles(filter={"date_from": "2022-10-15"})]
    assert dated and set(dated) == {"2022-10-15"}


def test_mention_rows_hold_every_mention_with_its_text(client):
    articles = list(client.export_articles())
    rows = list(export.rows(articles, "mentions"))
    assert len(rows) == sum(len(e.mentions) for a in articles for e in a.entities) > 0
    for row in rows:
        assert row["text"], row  # the span of the field it points into is never empty
        assert row["end"] > row["start"]


def test_article_rows_keep_the_captions(client):
    """The articles' CSV rows had no caption column: a caption's text was in no column."""
    want = expected(client)
    rows = {row["id"]: row for row in export.rows(want.values())}
    assert any(a.captions for a in want.values())
    for article_id, article in want.items():
        assert rows[article_id]["captions"] == "\n".join(c.text for c in article.captions)


def test_to_dataframe(client):
    pytest.importorskip("pandas")
    frame = client.to_dataframe()
    want = expected(client)
    assert sorted(frame["id"]) == sorted(want)
    mentions = client.to_dataframe(kind="mentions")
    assert len(mentions) == sum(len(e.mentions) for a in want.values() for e in a.entities)


def test_export_parquet_reads_back(client, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    want = expected(client)
    path = tmp_path / "articles.parquet"
    assert client.export_parquet(str(path)) == len(want)
    table = pq.read_table(path).to_pylist()
    assert {row["id"]: row["headline"] for row in table} == {i: a.headline for i, a in want.items()}
    mentions_path = tmp_path / "mentions.parquet"
    written = client.export_parquet(str(mentions_path), kind="mentions", batch_rows=7)
    read = pq.read_table(mentions_path).to_pylist()
    assert written == len(read) == sum(len(e.mentions) for a in want.values() for e in a.entities)
    by_article = {}
    for row in read:
        by_article[row["article_id"]] = by_article.get(row["article_id"], 0) + 1
    assert by_article == {i: sum(len(e.mentions) for e in a.entities) for i, a in want.items() if a.entities}


def test_dataframe_script_converts_and_paging_is_refused(client, tmp_path):
    """Defect 08: script=2 went into the filter (ListArticlesRequest.script, which ExportArticles ignores):
    the "Traditional" table came out as stored; page_size/page_token were swallowed likewise."""
    pytest.importorskip("pandas")
    pq = pytest.importorskip("pyarrow.parquet")
    want = [a.headline for a in client.export_articles(script=2)]
    assert want != [a.headline for a in client.export_articles()]  # the seed has Simplified text to convert
    assert list(client.to_dataframe(script=2).headline) == want
    client.export_parquet(str(tmp_path / "t.parquet"), script=2)
    assert pq.read_table(str(tmp_path / "t.parquet")).column("headline").to_pylist() == want
    for paging in ({"page_size": 1}, {"page_token": "x"}):
        with pytest.raises(TypeError, match="export"):
            client.to_dataframe(**paging)
