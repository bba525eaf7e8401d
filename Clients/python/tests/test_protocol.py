"""Socket path rule, status → exception mapping, request building (no daemon needed)."""
import os

import pytest

from folio_client import (FolioError, NotFound, PermissionDenied, StatusCode, Unavailable, default_socket_path,
                          service_pb2, wire_pb2)
from folio_client.errors import error_for_status
from folio_client.protocol import METHODS, make_request, request_message


def test_socket_path_rule(monkeypatch):
    monkeypatch.delenv("FOLIO_SOCKET", raising=False)
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    assert default_socket_path("/x/y.sock") == "/x/y.sock"
    uid = os.getuid()
    assert default_socket_path() == ("/run/folio/foliod.sock" if uid == 0 else "/tmp/folio-%d/foliod.sock" % uid)
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/run/user/1000")
    assert default_socket_path() == "/run/user/1000/folio/foliod.sock"
    monkeypatch.setenv("FOLIO_SOCKET", "/srv/folio.sock")
    assert default_socket_path() == "/srv/folio.sock"
    assert default_socket_path("/explicit.sock") == "/explicit.sock"


def test_status_codes_map_to_typed_errors():
    assert isinstance(error_for_status(5, "gone"), NotFound)
    assert isinstance(error_for_status(7, ""), PermissionDenied)
    assert isinstance(error_for_status(14, "down"), Unavailable)
    err = error_for_status(10, "aborted")  # no subclass: the base class with the code
    assert type(err) is FolioError and err.code == StatusCode.ABORTED
    assert error_for_status(99, "").code == StatusCode.UNKNOWN
    assert str(error_for_status(5, "article x not found")) == "NOT_FOUND: article x not found"


def test_every_service_method_is_known():
    rpcs = service_pb2.DESCRIPTOR.services_by_name["Folio"].methods
    assert sorted(m.name for m in rpcs) == sorted(METHODS)
    for m in rpcs:
        req, resp, streaming = METHODS[m.name]
        assert req.DESCRIPTOR.full_name == m.input_type.full_name
        assert resp.DESCRIPTOR.full_name == m.output_type.full_name


def test_request_building():
    env = make_request(7, "Search", b"\x0a\x01x", 0.25, {"client": "t"})
    assert env.method == "/folio.v1.Folio/Search" and env.timeout_ms == 250
    assert list(env.accept_encodings) == [wire_pb2.ENCODING_ZLIB] and dict(env.metadata) == {"client": "t"}
    assert request_message("Search", None, {"query": "q"}).query == "q"
    with pytest.raises(TypeError):
        request_message("Search", service_pb2.HealthRequest(), {})
    with pytest.raises(TypeError):
        request_message("Search", service_pb2.SearchRequest(), {"query": "q"})


def _proto_rpcs():
    """The rpc lines of service.proto, read by scripts/gen-methods.py (the generator of the Swift and C tables)."""
    import importlib.util
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location("gen_methods", os.path.join(here, "..", "..", "..", "scripts", "gen-methods.py"))
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen.methods()[2]


def test_method_table_is_service_proto():
    from folio_client.methods import AsyncMethods, SyncMethods
    rpcs = _proto_rpcs()
    assert [name for name, *_ in rpcs] == list(METHODS)
    for name, request, response, streaming, _ in rpcs:
        req, resp, is_stream = METHODS[name]
        assert (req.DESCRIPTOR.full_name, resp.DESCRIPTOR.full_name, is_stream) == (request, response, streaming)
        snake = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
        assert callable(getattr(SyncMethods, snake)) and callable(getattr(AsyncMethods, snake))


def _silent_listener(tmp_path):
    """A socket that accepts and never answers: a daemon stopped (SIGSTOP) or wedged."""
    import socket
    path = str(tmp_path / "silent.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(4)
    return server, path


def test_a_unary_call_without_a_timeout_gives_up_on_a_silent_daemon(tmp_path, monkeypatch):
    import time
    from folio_client import Client, DeadlineExceeded, protocol
    monkeypatch.setattr(protocol, "DEFAULT_UNARY_TIMEOUT", 0.3)
    server, path = _silent_listener(tmp_path)
    with server, Client(path) as client:
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded):
            client.health()
        assert time.monotonic() - started < 5


def test_the_async_client_gives_up_on_a_silent_daemon_too(tmp_path, monkeypatch):
    import asyncio
    from folio_client import AsyncClient, DeadlineExceeded, protocol
    monkeypatch.setattr(protocol, "DEFAULT_UNARY_TIMEOUT", 0.3)
    server, path = _silent_listener(tmp_path)

    async def call():
        async with AsyncClient(path) as client:
            with pytest.raises(DeadlineExceeded):
                await asyncio.wait_for(client.health(), 5)

    with server:
        asyncio.run(call())


def test_call_deadlines():
    from folio_client.protocol import call_timeout, unary_timeout
    assert unary_timeout(None, None) == 30.0
    assert unary_timeout(None, 5) == 5 and unary_timeout(2, 5) == 2
    assert call_timeout(unary_timeout(0, 5), None) is None   # 0: no deadline
    assert call_timeout(None, None) is None                  # streams: none by default


def test_requests_foliod_would_close_the_connection_over_are_refused_here():
    """A payload over the inflated limit was sent compressed (foliod then closes the connection as over a
    zlib bomb, every call on it lost); metadata over 16 KiB was sent with every call, each losing it."""
    from folio_client import FrameError, encode_frame
    with pytest.raises(FrameError) as err:
        encode_frame(b"x" * 5000, True, max_inflated_bytes=4096)
    assert err.value.kind == "inflated_too_large"
    assert len(encode_frame(b"x" * 4096, True, max_inflated_bytes=4096)) < 100
    with pytest.raises(ValueError, match="metadata"):
        make_request(1, "Health", b"", None, {"trace": "v" * 20000})


def test_a_nul_in_a_field_foliod_cuts_at_is_refused():
    """Defect 03: foliod looks an entity or a conversion up as a C string: "江泽民\\0XYZ" answered for 江泽民,
    convert lost the text after the NUL. Refused here; fields foliod takes whole still pass."""
    from folio_client import InvalidArgument
    from folio_client.protocol import request_message
    for method, fields in [("Convert", {"text": "锦州港\0大连港", "script": 2}), ("GetEntity", {"text": "江泽民\0XYZ"}),
                           ("ListArticles", {"entity": "江泽民\0XYZ"}), ("ListEntities", {"prefix": "\0美"}),
                           ("ExportArticles", {"filter": {"entity": "\0江泽民"}})]:
        with pytest.raises(InvalidArgument, match="NUL"):
            request_message(method, None, fields)
    assert request_message("Convert", None, {"text": "锦州港\0大连港"}).text == "锦州港\0大连港"  # ORIGINAL: whole
    assert request_message("ListArticles", None, {"section": "要闻\0x"}).section == "要闻\0x"
    assert request_message("Ingest", None, {"text": "a\0b"}).text == "a\0b"
