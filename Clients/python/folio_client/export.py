"""Whole articles and entity mentions as table rows, from the ExportArticles stream.

`article_rows` / `mention_rows` turn Article messages into plain dicts (the columns of
`folio export --format csv` and `--format mentions`); `to_dataframe` (pandas) and
`export_parquet` (pyarrow, written batch by batch so memory stays bounded) are the optional
extra `folio_client[dataframe]`.
"""
from ._protos import model_pb2 as model

ARTICLE_COLUMNS = ["id", "page_id", "date", "section", "kicker", "headline", "subtitle", "authors",
                   "dateline", "paragraphs", "text", "entities", "mentions", "captions"]
MENTION_COLUMNS = ["article_id", "type", "text", "normalized", "field", "paragraph", "start", "end"]

_TYPES = {model.ENTITY_TYPE_PERSON: "person", model.ENTITY_TYPE_ORGANIZATION: "organization",
          model.ENTITY_TYPE_PLACE: "place", model.ENTITY_TYPE_QUANTITY: "quantity",
          model.ENTITY_TYPE_DATE: "date"}
_FIELDS = {model.TEXT_FIELD_BLOCK: "body", model.TEXT_FIELD_HEADLINE: "headline",
           model.TEXT_FIELD_SUBTITLE: "subtitle", model.TEXT_FIELD_CAPTION: "caption"}


def authors(article):
    """Bylines, then the dateline's reporters, once each (as foliod's summaries and filters)."""
    names = [b.name for b in article.bylines]
    for reporter in article.dateline.reporters:
        if reporter not in names:
            names.append(reporter)
    return names


def article_row(article):
    blocks = list(article.lead) + list(article.body)
    return {
        "id": article.id, "page_id": article.page_id, "date": article.date, "section": article.section,
        "kicker": article.kicker, "headline": article.headline, "subtitle": article.subtitle,
        "authors": ";".join(authors(article)), "dateline": article.dateline.text,
        "paragraphs": len(blocks), "text": "\n".join(b.text for b in blocks),
        "entities": len(article.entities), "mentions": sum(len(e.mentions) for e in article.entities),
        "captions": "\n".join(c.text for c in article.captions),
    }


def _mention_text(article, mention):
    """The mention as printed: its span of the field it points into (offsets are code points)."""
    if mention.field == model.TEXT_FIELD_HEADLINE:
        text = article.headline
    elif mention.field == model.TEXT_FIELD_SUBTITLE:
        text = article.subtitle
    elif mention.field == model.TEXT_FIELD_CAPTION:
        text = article.captions[mention.block].text if mention.block < len(article.captions) else ""
    else:
        blocks = list(article.lead) + list(article.body)
        text = blocks[mention.block].text if mention.block < len(blocks) else ""
    return text[mention.start:mention.end]


def mention_rows(article):
    for entity in article.entities:
        for mention in entity.mentions:
            yield {
                "article_id": article.id, "type": _TYPES.get(entity.type, "unspecified"),
                "text": _mention_text(article, mention), "normalized": entity.normalized,
                "field": _FIELDS.get(mention.field, "body"), "paragraph": mention.block,
                "start": mention.start, "end": mention.end,
            }


def rows(articles, kind="articles"):
    """Rows of `kind` ("articles" or "mentions") for an iterable of Article messages."""
    if kind == "articles":
        return (article_row(a) for a in articles)
    if kind == "mentions":
        return (row for a in articles for row in mention_rows(a))
    raise ValueError("kind must be 'articles' or 'mentions', not %r" % (kind,))


def _columns(kind):
    return ARTICLE_COLUMNS if kind == "articles" else MENTION_COLUMNS


def to_dataframe(client, kind="articles", timeout=None, **filters):
    """The archive (or the articles `filters` select: section, author, date_from, date_to,
    page_id, entity) as a pandas DataFrame, one row per article or per entity mention; `script`
    (OutputScript) converts the text, as `folio export --script`."""
    import pandas
    stream = client.export_articles(_request(filters), timeout=timeout)
    return pandas.DataFrame.from_records(list(rows(stream, kind)), columns=_columns(kind))


def export_parquet(client, path, kind="articles", batch_rows=10000, timeout=None, **filters):
    """Writes the export to a Parquet file through pyarrow, `batch_rows` rows at a time.
    Returns the number of rows written."""
    import pyarrow
    import pyarrow.parquet
    schema = _schema(pyarrow, kind)
    written = 0
    stream = client.export_articles(_request(filters), timeout=timeout)
    with pyarrow.parquet.ParquetWriter(path, schema) as writer:
        batch = []
        for row in rows(stream, kind):
            batch.append(row)
            if len(batch) >= batch_rows:
                writer.write_table(pyarrow.Table.from_pylist(batch, schema=schema))
                written += len(batch)
                batch = []
        if batch or written == 0:
            writer.write_table(pyarrow.Table.from_pylist(batch, schema=schema))
            written += len(batch)
    return written


def _schema(pyarrow, kind):
    string, count = pyarrow.string(), pyarrow.uint32()
    types = {"paragraphs": count, "entities": count, "mentions": count, "paragraph": count,
             "start": count, "end": count}
    return pyarrow.schema([(name, types.get(name, string)) for name in _columns(kind)])


def _request(filters):
    """The ExportArticlesRequest: `script` is the export's (ListArticlesRequest has one too, which
    ExportArticles ignores); the paging fields, which it ignores as well, are refused."""
    from ._protos import service_pb2
    filters = dict(filters)
    script = filters.pop("script", 0)
    for name in ("page_size", "page_token"):
        if name in filters:
            raise TypeError("%s does not apply to an export (it returns every article in one stream)" % name)
    return service_pb2.ExportArticlesRequest(filter=service_pb2.ListArticlesRequest(**filters), script=script)
