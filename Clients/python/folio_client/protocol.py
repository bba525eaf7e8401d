"""Envelopes, the method table and the socket path rule shared by the blocking and asyncio clients."""
import os
import stat

from google.protobuf.message import DecodeError
from google.protobuf.message_factory import GetMessageClass

from ._protos import service_pb2 as svc, model_pb2 as model, wire_pb2 as wire, write_methods
from .errors import FrameError, InvalidArgument, StatusCode, UntrustedSocket, error_for_status

METHOD_PREFIX = "/folio.v1.Folio/"

# Method → (request message, response message, server streaming): read from the service
# descriptor protoc generated from service.proto, so the table cannot drift from it.
METHODS = {
    m.name: (GetMessageClass(m.input_type), GetMessageClass(m.output_type), m.server_streaming)
    for m in svc.DESCRIPTOR.services_by_name["Folio"].methods
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


def runtime_directory(explicit=None):
    """The folder of the default socket path, which only this user may control; None when the
    path is named (`explicit` or $FOLIO_SOCKET) and trusted as given."""
    if explicit or os.environ.get("FOLIO_SOCKET"):
        return None
    return os.path.dirname(default_socket_path())


def untrusted_reason(directory):
    """Why `directory` may not hold the socket we talk to, or None: it must be a real folder (not a
    symlink) owned by us and writable by nobody else (anyone could have made /tmp/folio-<uid> first)."""
    try:
        info = os.lstat(directory)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return "%s is a symbolic link" % directory
    if not stat.S_ISDIR(info.st_mode):
        return "%s is not a folder" % directory
    uid = os.getuid()
    # Root also trusts another owner under /run (a foliod running as its own user), where only root creates folders.
    if info.st_uid != uid and not (uid == 0 and directory.startswith("/run/")):
        return "%s belongs to uid %d, not %d" % (directory, info.st_uid, uid)
    if info.st_mode & 0o022:
        return "%s is writable by group or others (mode %o)" % (directory, info.st_mode & 0o7777)
    return None


def check_runtime_directory(directory, path):
    """Raises UntrustedSocket when the default socket's folder is controlled by someone else."""
    reason = untrusted_reason(directory) if directory else None
    if reason:
        raise UntrustedSocket(path, reason)


# A write is answered with its outcome however late once foliod has started it (docs/protocol.md):
# the clients wait this long past its deadline before they call its outcome unknown.
WRITE_ANSWER_GRACE = 10.0


def is_write(method):
    return method.rsplit("/", 1)[-1] in write_methods


def full_method(method):
    return method if method.startswith("/") else METHOD_PREFIX + method


def check_unary(method):
    """Refuses a streaming method in a unary call, which would keep only its last message."""
    spec = METHODS.get(method.rsplit("/", 1)[-1])
    if spec is not None and spec[2]:
        raise ValueError("%s is a streaming method: call() would keep only its last message (use stream())" % method)


# Fields foliod cuts at a NUL (it looks them up as C strings: an entity, OpenCC's conversion): the part
# before it would be answered silently, so a NUL there is refused here. Others are taken whole.
NUL_CUT_FIELDS = {"Convert": "text", "GetEntity": "text", "ListArticles": "entity", "ListEntities": "prefix"}


def check_nul(method, request):
    if method == "ExportArticles":
        method, request = "ListArticles", request.filter
    name = NUL_CUT_FIELDS.get(method)
    if name is None or "\0" not in getattr(request, name):
        return
    if method == "Convert" and request.script == 0:
        return  # ORIGINAL: answered whole
    raise InvalidArgument("%s %s contains a NUL character, which foliod would cut the text at" % (method, name))


def request_message(method, request, fields):
    """The request message for a typed call: `request` as given, or built from keyword fields."""
    req_cls = METHODS[method][0]
    if request is None:
        request = req_cls(**fields)
    elif fields:
        raise TypeError("pass either a request message or keyword fields, not both")
    elif not isinstance(request, req_cls):
        raise TypeError("%s takes a %s, not %s" % (method, req_cls.DESCRIPTOR.full_name, type(request).__name__))
    check_nul(method, request)
    return request


DEFAULT_UNARY_TIMEOUT = 30.0  # as `folio`: a silent daemon must not hang a unary call forever


def unary_timeout(per_call, per_client):
    """The deadline of a unary call: the call's, else the client's, else 30 s (0: none)."""
    for timeout in (per_call, per_client):
        if timeout is not None:
            return timeout
    return DEFAULT_UNARY_TIMEOUT


def call_timeout(per_call, per_client):
    """The deadline of a call in seconds, None for none (0 means none, as for `folio --timeout`)."""
    timeout = per_client if per_call is None else per_call
    return None if timeout == 0 else timeout


# foliod closes a connection whose request envelope has more than 64 metadata entries or more than
# 16 KiB outside its body (id, method, deadline, metadata with its framing, encodings): RequestShape.swift.
MAX_METADATA_ENTRIES = 64
MAX_ENVELOPE_FIELD_BYTES = 16 << 10


def make_request(call_id, method, body, timeout, metadata, accept_zlib=True):
    if len(metadata or ()) > MAX_METADATA_ENTRIES:
        raise ValueError("metadata of %d entries: at most %d" % (len(metadata), MAX_METADATA_ENTRIES))
    env = wire.Request(id=call_id, method=full_method(method))
    if timeout is not None:
        env.timeout_ms = max(1, int(timeout * 1000))
    if metadata:
        env.metadata.update(metadata)
    if accept_zlib:
        env.accept_encodings.append(wire.ENCODING_ZLIB)
    outside = env.ByteSize()  # before the body is set: the bytes foliod counts outside it
    if outside > MAX_ENVELOPE_FIELD_BYTES:
        raise ValueError("request envelope of %d bytes outside its body (metadata with its framing, method, ...): "
                         "at most %d" % (outside, MAX_ENVELOPE_FIELD_BYTES))
    env.body = body
    return env


def make_cancel(call_id):
    return wire.Request(id=call_id, cancel=True)


def connection_error(env):
    """The error of a connection-level Response (id 0): foliod ends the connection with it."""
    status = env.status if env.HasField("status") else None
    if status is None:
        return error_for_status(StatusCode.INTERNAL, "connection-level error")
    if status.code == StatusCode.OK:  # it ends the connection, so OK contradicts it: a broken peer
        return FrameError("bad_envelope", "connection-level reply (id 0) with status OK%s"
                          % (": " + status.message if status.message else ""), StatusCode.INTERNAL)
    return error_for_status(status.code, status.message)


DEFAULT_MAX_CALLS = 64  # calls in flight per connection when foliod does not say (FolioClient's default)


def make_opening_call(call_id, metadata, accept_zlib=True):
    """The first call on a new connection: ServerInfo, whose answer says how many calls foliod takes
    in flight on it (`--max-calls`); the clients keep the calls beyond that waiting for a slot."""
    return make_request(call_id, "ServerInfo", b"", None, metadata, accept_zlib)


def opening_answer(env):
    """foliod's limit of calls in flight from its answer to the opening call; None for a frame that
    does not end that call."""
    if not env.HasField("status"):
        return None
    if env.status.code != StatusCode.OK:
        return DEFAULT_MAX_CALLS  # e.g. UNAVAILABLE while draining: the calls will say so themselves
    return parse_body(svc.ServerInfoResponse, env.body).max_calls_in_flight or DEFAULT_MAX_CALLS


def slot_wait_message(limit):
    """DeadlineExceeded's words for a call that was never sent: it waited for a slot (limit: foliod's,
    None while the connection's opening call is unanswered)."""
    if limit is None:
        return "no answer within the deadline (foliod did not answer on a new connection)"
    return "no answer within the deadline (waited for one of the %d calls in flight on the connection to end)" % limit


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


DEFAULT_STREAM_READ_AHEAD = 16 << 20  # as FolioClient's streamReadAhead
_RESUME_MARGIN = 64 << 10  # a steady reader keeps the connection busy instead of pausing it at every message


class PendingCall:
    """A call waiting for its answers: the queue its bodies wait in, how many bytes of them wait, and
    whether its caller is blocked on an empty queue (`waiting`)."""
    __slots__ = ("queue", "unary", "held", "waiting")

    def __init__(self, queue, unary):
        self.queue = queue
        self.unary = unary
        self.held = 0
        self.waiting = False


# Stands in for a call given up here (deadline, cancel, interrupt) after foliod got its request: foliod
# ends every call with one final answer, and until that comes the call still counts against its limit.
ABANDONED = PendingCall(None, False)


# What a body waiting in a call's queue costs beyond its bytes (its bytes object, tuple, queue slot:
# about 130 bytes): counted too, so that tiny stream frames cannot hold many times `limit` in memory.
FRAME_OVERHEAD = 256


class ReadAhead:
    """How far a connection reads ahead of its callers. Stream bodies read and not yet taken count,
    each as its length plus FRAME_OVERHEAD; above `limit` the connection stops reading (foliod then
    waits, up to its write timeout) and goes on 64 KB below it. It keeps reading while a unary call
    waits or a caller waits for a stream with nothing read for it yet: that answer may sit behind the
    answers of another stream, so pausing then would deadlock (a stream read inside an export loop, two
    streams read side by side). The other streams' answers are then read beyond the bound."""

    def __init__(self, limit):
        if limit <= 0:
            raise ValueError("stream_read_ahead must be positive")
        self.limit = limit
        self.held = 0
        self.paused = False

    def add(self, call, size):
        size += FRAME_OVERHEAD
        call.held += size
        self.held += size
        # Something is read for it now: its caller no longer waits on an empty queue, even before it
        # runs again (a slow event loop let the reader run far past the bound meanwhile).
        call.waiting = False

    def take(self, call, size):
        """The caller took a body of `size` bytes of `call`'s answer; True when a paused reader may go on."""
        size = min(size + FRAME_OVERHEAD, call.held)
        call.held -= size
        self.held -= size
        return self.paused and not self._over_bound()

    def release(self, call):
        """`call` ended unread (cancelled, given up, connection lost): its bodies no longer count."""
        self.held -= call.held
        call.held = 0

    def must_wait(self, pending_calls):
        if any(call.unary or call.waiting for call in pending_calls):
            self.paused = False
        else:
            self.paused = self._over_bound()
        return self.paused

    def _over_bound(self):
        return self.held > (max(0, self.limit - _RESUME_MARGIN) if self.paused else self.limit)
