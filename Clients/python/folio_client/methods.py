"""Typed methods of every call in service.proto, for the blocking and the asyncio client.

Each takes either a request message or its fields as keywords, plus `timeout` (seconds) and
`metadata`, and returns the response message (SearchStream: an iterator of SearchHit).
`client.search(query="錦州", limit=5)` is `client.search(SearchRequest(query="錦州", limit=5))`.
"""
from . import export
from .protocol import METHODS, parse_body, request_message


def _sync(method):
    resp_cls = METHODS[method][1]

    def call(self, request=None, *, timeout=None, metadata=None, **fields):
        body = request_message(method, request, fields).SerializeToString()
        return parse_body(resp_cls, self.call(method, body, timeout, metadata))

    call.__doc__ = "Calls /folio.v1.Folio/%s; returns a %s." % (method, resp_cls.DESCRIPTOR.full_name)
    return call


def _sync_stream(method):
    resp_cls = METHODS[method][1]

    def call(self, request=None, *, timeout=None, metadata=None, **fields):
        body = request_message(method, request, fields).SerializeToString()
        chunks = self.stream(method, body, timeout, metadata)
        return (parse_body(resp_cls, chunk) for chunk in chunks)

    call.__doc__ = "Calls /folio.v1.Folio/%s; an iterator of %s." % (method, resp_cls.DESCRIPTOR.full_name)
    return call


def _async(method):
    resp_cls = METHODS[method][1]

    async def call(self, request=None, *, timeout=None, metadata=None, **fields):
        body = request_message(method, request, fields).SerializeToString()
        return parse_body(resp_cls, await self.call(method, body, timeout, metadata))

    call.__doc__ = "Calls /folio.v1.Folio/%s; returns a %s." % (method, resp_cls.DESCRIPTOR.full_name)
    return call


def _async_stream(method):
    resp_cls = METHODS[method][1]

    async def call(self, request=None, *, timeout=None, metadata=None, **fields):
        body = request_message(method, request, fields).SerializeToString()
        async for chunk in self.stream(method, body, timeout, metadata):
            yield parse_body(resp_cls, chunk)

    call.__doc__ = "Calls /folio.v1.Folio/%s; an async iterator of %s." % (method, resp_cls.DESCRIPTOR.full_name)
    return call


class SyncMethods:
    server_info = _sync("ServerInfo")
    health = _sync("Health")
    list_methods = _sync("ListMethods")
    parse = _sync("Parse")
    ingest = _sync("Ingest")
    delete_page = _sync("DeletePage")
    get_page = _sync("GetPage")
    list_pages = _sync("ListPages")
    get_article = _sync("GetArticle")
    list_articles = _sync("ListArticles")
    search = _sync("Search")
    search_stream = _sync_stream("SearchStream")
    list_entities = _sync("ListEntities")
    get_entity = _sync("GetEntity")
    convert = _sync("Convert")
    stats = _sync("Stats")
    reload = _sync("Reload")
    export_articles = _sync_stream("ExportArticles")

    def to_dataframe(self, kind="articles", timeout=None, **filters):
        """ExportArticles as a pandas DataFrame: one row per article, or per entity mention
        (kind="mentions"); `filters` are ListArticlesRequest fields (section, date_from, …)."""
        return export.to_dataframe(self, kind, timeout, **filters)

    def export_parquet(self, path, kind="articles", timeout=None, **filters):
        """ExportArticles written to a Parquet file through pyarrow; returns the rows written."""
        return export.export_parquet(self, path, kind, timeout=timeout, **filters)


class AsyncMethods:
    server_info = _async("ServerInfo")
    health = _async("Health")
    list_methods = _async("ListMethods")
    parse = _async("Parse")
    ingest = _async("Ingest")
    delete_page = _async("DeletePage")
    get_page = _async("GetPage")
    list_pages = _async("ListPages")
    get_article = _async("GetArticle")
    list_articles = _async("ListArticles")
    search = _async("Search")
    search_stream = _async_stream("SearchStream")
    list_entities = _async("ListEntities")
    get_entity = _async("GetEntity")
    convert = _async("Convert")
    stats = _async("Stats")
    reload = _async("Reload")
    export_articles = _async_stream("ExportArticles")
