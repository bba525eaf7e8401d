"""folio_client: Python client of foliod (Folio's daemon) over its Unix socket.

    from folio_client import Client
    with Client() as folio:                      # $FOLIO_SOCKET or the daemon's default path
        for hit in folio.search(query="錦州港", limit=5).hits:
            print(hit.score, hit.headline)

`AsyncClient` is the asyncio twin. Errors are FolioError subclasses carrying `.code` (StatusCode).
Messages are the protobuf classes generated from Protos/: `folio_client.service_pb2`, `.model_pb2`, `.wire_pb2`.
"""
from ._protos import model_pb2, service_pb2, wire_pb2
from .aio import AsyncClient
from .client import Client
from .errors import (AlreadyExists, Cancelled, ConnectError, DeadlineExceeded, FailedPrecondition, FolioError,
                     FrameError, Internal, InvalidArgument, NotFound, PermissionDenied, ResourceExhausted,
                     StatusCode, Unavailable, Unimplemented, UntrustedSocket, WriteOutcomeUnknown)
from .frames import FrameReader, encode_frame
from .protocol import METHODS, default_socket_path

__all__ = ["Client", "AsyncClient", "FolioError", "StatusCode", "Cancelled", "InvalidArgument", "DeadlineExceeded",
           "NotFound", "AlreadyExists", "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
           "Unimplemented", "Internal", "Unavailable", "WriteOutcomeUnknown", "ConnectError", "UntrustedSocket", "FrameError", "FrameReader", "encode_frame",
           "METHODS", "default_socket_path", "model_pb2", "service_pb2", "wire_pb2"]
__version__ = "0.1.0"
