"""Envelopes, the method table and the socket path rule shared by the blocking and asyncio clients."""
import os

from google.protobuf.message import DecodeError

from ._protos import service_pb2 as svc, model_pb2 as model, wire_pb2 as wire
from .errors import FrameError, StatusCode

METHOD_PREFIX = "/folio.v1.Folio/"

# Method → (request message, response message, server streaming), as in service.proto.
METHODS = {
    "ServerInfo": (svc.ServerInfoRequest, svc.ServerInfoResponse, False),
    "Health": (svc.HealthRequest, svc.HealthResponse, False),
    "ListMethods": (svc.ListMethodsRequest, svc.ListMethodsResponse, False),
    "Parse": (svc.ParseRequest, svc.ParseResponse, False),
    "Ingest": (svc.IngestRequest, svc.IngestResponse, False),
    "DeletePage": (svc.DeletePageRequest, svc.DeletePageResponse, False),
    "GetPage": (svc.GetPageRequest, model.Page, False),
    "ListPages": (svc.ListPagesRequest, svc.ListPagesResponse, False),
    "GetArticle": (svc.GetArticleRequest, model.Article, False),
    "ListArticles": (svc.ListArticlesRequest, svc.ListArticlesResponse, False),
    "Search": (svc.SearchRequest, svc.SearchResponse, False),
    "SearchStream": (svc.SearchRequest, svc.SearchHit, True),
    "ListEntities": (svc.ListEntitiesRequest, svc.ListEntitiesResponse, False),
    "GetEntity": (svc.GetEntityRequest, svc.GetEntityResponse, False),
    "Convert": (svc.ConvertRequest, svc.ConvertResponse, False),
    "Stats": (svc.StatsRequest, svc.StatsResponse, False),
    "Reload": (svc.ReloadRequest, svc.ReloadResponse, False),
    "ExportArticles": (svc.ExportArticlesRequest, model.Article, True),
}


def default_socket_path(explicit=None):
    """`explicit`, else $FOLIO_SOCKET, else $XDG_RUNTIME_DIR/folio/foliod.sock, else
    /run/folio/foliod.sock for root, else /tmp/folio-<uid>/foliod.sock (the daemon's own rule)."""
    if explicit:
        return explicit
    if os.environ.get("FOLIO_SOCKET"):
        return os.environ["FOLIO_SOCKET"]
    if os.environ.get("XDG_RUNTIME_DIR"):
        return os.path.join(os.environ["XDG_RUNTIME_DIR"], "folio", "foliod.sock")
    if os.getuid() == 0:
        return "/run/folio/foliod.sock"
    return "/tmp/folio-%d/foliod.sock" % os.getuid()


def full_method(method):
    return method if method.startswith("/") else METHOD_PREFIX + method


def request_message(method, request, fields):
    """The request message for a typed call: `request` as given, or built from keyword fields."""
    req_cls = METHODS[method][0]
    if request is None:
        return req_cls(**fields)
    if fields:
        raise TypeError("pass either a request message or keyword fields, not both")
    if not isinstance(request, req_cls):
        raise TypeError("%s takes a %s, not %s" % (method, req_cls.DESCRIPTOR.full_name, type(request).__name__))
    return request


def make_request(call_id, method, body, timeout, metadata, accept_zlib=True):
    env = wire.Request(id=call_id, method=full_method(method), body=body)
    if timeout is not None:
        env.timeout_ms = max(1, int(timeout * 1000))
    if metadata:
        env.metadata.update(metadata)
    if accept_zlib:
        env.accept_encodings.append(wire.ENCODING_ZLIB)
    return env


def make_cancel(call_id):
    return wire.Request(id=call_id, cancel=True)


def parse_response(payload):
    env = wire.Response()
    try:
        env.ParseFromString(payload)
    except DecodeError as exc:
        raise FrameError("bad_envelope", "payload is not a folio.v1.Response (%s)" % exc, StatusCode.INTERNAL)
    return env


def parse_body(cls, body):
    msg = cls()
    try:
        msg.ParseFromString(body)
    except DecodeError as exc:
        raise FrameError("bad_envelope", "body is not a %s (%s)" % (cls.DESCRIPTOR.full_name, exc), StatusCode.INTERNAL)
    return msg
