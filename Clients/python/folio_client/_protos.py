"""The code protoc generated from Protos/ (see gen_protos.py); one import point for the package."""
try:
    from ._gen import model_pb2, service_pb2, wire_pb2  # noqa: F401
    from ._gen.methods import WRITES as write_methods  # noqa: F401
except ImportError as exc:  # pragma: no cover - only when the package was copied without building
    raise ImportError("folio_client._gen is missing: run `make gen` (or `python3 gen_protos.py`) "
                      "in Clients/python first") from exc
