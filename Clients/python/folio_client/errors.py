"""Typed errors: every failure of a call is a FolioError carrying a gRPC status code."""
from enum import IntEnum


class StatusCode(IntEnum):
    """gRPC status codes, the numbers of folio.v1.StatusCode."""
    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16


class FolioError(Exception):
    """A call failed: `code` (StatusCode) and `message` (the server's or the client's words)."""
    code = StatusCode.UNKNOWN

    def __init__(self, message, code=None):
        super().__init__(message)
        if code is not None:
            self.code = StatusCode(code)
        self.message = message

    def __str__(self):
        return "%s: %s" % (self.code.name, self.message)


class Cancelled(FolioError): code = StatusCode.CANCELLED
class InvalidArgument(FolioError): code = StatusCode.INVALID_ARGUMENT
class DeadlineExceeded(FolioError): code = StatusCode.DEADLINE_EXCEEDED
class NotFound(FolioError): code = StatusCode.NOT_FOUND
class AlreadyExists(FolioError): code = StatusCode.ALREADY_EXISTS
class PermissionDenied(FolioError): code = StatusCode.PERMISSION_DENIED
class ResourceExhausted(FolioError): code = StatusCode.RESOURCE_EXHAUSTED
class FailedPrecondition(FolioError): code = StatusCode.FAILED_PRECONDITION
class Unimplemented(FolioError): code = StatusCode.UNIMPLEMENTED
class Internal(FolioError): code = StatusCode.INTERNAL
class Unavailable(FolioError): code = StatusCode.UNAVAILABLE


class WriteOutcomeUnknown(DeadlineExceeded):
    """A write foliod received (Ingest, DeletePage, Reload) was not answered by its deadline nor in
    the grace waited after it (`write_answer_grace`): foliod answers a write it started with its
    outcome however late, so only a hung foliod or stalled storage gets here, and the change may have
    been made or not. A DeadlineExceeded, so `except DeadlineExceeded` still catches it."""

    def __init__(self, timeout, grace):
        super().__init__("no answer within %g s, nor in the %g s waited after it for a write foliod had "
                         "received: it may have been stored or not" % (timeout, grace))


class UntrustedSocket(PermissionDenied):
    """The default socket's folder is controlled by someone else: nothing is sent there."""

    def __init__(self, path, reason):
        super().__init__("refusing to connect to foliod at %s: %s (name the socket with path= or FOLIO_SOCKET)"
                         % (path, reason))
        self.path = path


class ConnectError(Unavailable):
    """The socket could not be reached: "cannot connect to foliod at PATH: is it running?"."""

    def __init__(self, path, reason, busy=False):
        if busy:  # it listens, but did not take the connection in time (its queue of new connections is full)
            super().__init__("cannot connect to foliod at %s: it did not accept the connection in time (%s)" % (path, reason))
        else:
            super().__init__("cannot connect to foliod at %s: is it running? (%s)" % (path, reason))
        self.path = path


class FrameError(FolioError):
    """Bytes that break the framing. `kind`: truncated, frame_too_large, inflated_too_large,
    reserved_flags, bad_zlib or bad_envelope (the kinds of Tests/Fixtures/frames)."""

    def __init__(self, kind, message, code):
        super().__init__(message, code)
        self.kind = kind


def detached(err):
    """`err` without its traceback and context, for an error handed on to the calls it fails: their
    frames may hold a bad frame's buffers (up to max_inflated_bytes), and the frame that keeps the
    error makes a reference cycle with them, freed only when the cyclic GC happens to run."""
    err.__traceback__ = None
    err.__context__ = None
    return err


_BY_CODE = {cls.code: cls for cls in (Cancelled, InvalidArgument, DeadlineExceeded, NotFound, AlreadyExists,
                                      PermissionDenied, ResourceExhausted, FailedPrecondition, Unimplemented,
                                      Internal, Unavailable)}


def error_for_status(code, message):
    """The FolioError subclass for a status code (FolioError itself for codes without one)."""
    try:
        code = StatusCode(code)
    except ValueError:
        return FolioError(message or "unknown status code %d" % code, StatusCode.UNKNOWN)
    cls = _BY_CODE.get(code)
    return cls(message or code.name) if cls else FolioError(message or code.name, code)
