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
