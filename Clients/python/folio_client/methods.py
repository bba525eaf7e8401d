"""Typed methods of every call in service.proto, for the blocking and the asyncio client.

Each takes either a request message or its fields as keywords, plus `timeout` (seconds) and
`metadata`, and returns the response message (SearchStream: an iterator of SearchHit).
`client.search(query="錦州", limit=5)` is `client.search(SearchRequest(query="錦州", limit=5))`.
"""
import asyncio
import re

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


def cancelled_by(interrupt):
    """For a KeyboardInterrupt that landed in an asyncio call's code (Ctrl-C in a loop driven by
    run_until_complete, as in a notebook): raises it out of the loop once, and returns the
    CancelledError that ends the call's task, as asyncio.run() does. Left to asyncio, the interrupt
    would become the task's outcome and be raised again out of a later run_until_complete, through a
    gather() that awaited the task. (try/except, not a `with`: its __exit__ would run after the body,
    outside it, where an interrupt often lands, right after a long call such as parse_body.)"""
    asyncio.get_running_loop().call_soon(_reraise, interrupt)
    return asyncio.CancelledError()


def _reraise(exc):
    raise exc


def _async(method):
    resp_cls = METHODS[method][1]

    async def call(self, request=None, *, timeout=None, metadata=None, **fields):
        try:
            body = request_message(method, request, fields).SerializeToString()
            return parse_body(resp_cls, await self.call(method, body, timeout, metadata))
        except KeyboardInterrupt as exc:
            raise cancelled_by(exc) from None

    call.__doc__ = "Calls /folio.v1.Folio/%s; returns a %s." % (method, resp_cls.DESCRIPTOR.full_name)
    return call


def _async_stream(method):
    resp_cls = METHODS[method][1]

    async def call(self, request=None, *, timeout=None, metadata=None, **fields):
        try:
            body = request_message(method, request, fields).SerializeToString()
            async for chunk in self.stream(method, body, timeout, metadata):
                yield parse_body(resp_cls, chunk)
        except KeyboardInterrupt as exc:
            raise cancelled_by(exc) from None

    call.__doc__ = "Calls /folio.v1.Folio/%s; an async iterator of %s." % (method, resp_cls.DESCRIPTOR.full_name)
    return call


class SyncMethods:
    """One method per method of service.proto (see `_attach`), plus the export helpers."""

    def to_dataframe(self, kind="articles", timeout=None, **filters):
        """ExportArticles as a pandas DataFrame: one row per article, or per entity mention
        (kind="mentions"); `filters` are ListArticlesRequest fields (section, date_from, …)."""
        return export.to_dataframe(self, kind, timeout, **filters)

    def export_parquet(self, path, kind="articles", timeout=None, **filters):
        """ExportArticles written to a Parquet file through pyarrow; returns the rows written."""
        return export.export_parquet(self, path, kind, timeout=timeout, **filters)


class AsyncMethods:
    """One coroutine per method of service.proto (see `_attach`)."""


def _snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _attach():
    """Adds a typed method for every method of the service (search_stream, export_articles, …)."""
    for method, (_, _, streaming) in METHODS.items():
        setattr(SyncMethods, _snake(method), (_sync_stream if streaming else _sync)(method))
        setattr(AsyncMethods, _snake(method), (_async_stream if streaming else _async)(method))


_attach()
