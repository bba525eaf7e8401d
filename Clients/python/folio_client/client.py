"""Blocking client: one Unix-socket connection that multiplexes the calls of any number of threads.

A reader thread routes response frames to the waiting calls by id, so calls complete out of order.
Every call has an optional deadline, sent as timeout_ms and also enforced here (a late call is
cancelled on the server and raises DeadlineExceeded). A dropped connection is re-opened by the next call.
"""
import queue
import select
import socket
import threading
import time

from . import frames
from .errors import ConnectError, DeadlineExceeded, FolioError, FrameError, StatusCode, Unavailable, error_for_status
from .methods import SyncMethods
from .protocol import (DEFAULT_STREAM_READ_AHEAD, PendingCall, ReadAhead, check_runtime_directory, check_unary,
                       default_socket_path, runtime_directory, make_cancel, make_request, call_timeout, parse_response,
                       unary_timeout)

LOCAL_DEADLINE_SLACK = 0.05  # let the server's DEADLINE_EXCEEDED arrive before giving up locally
_FINAL = object()


class Client(SyncMethods):
    """`Client(path=None, timeout=None, ...)`: connects at once (ConnectError when nobody listens).

    path: socket path (None → $FOLIO_SOCKET, then the daemon's default); timeout: default per-call
    deadline in seconds (None: 30 s for unary calls, none for streams); compress: accept zlib
    responses and compress requests ≥ 1024 B; stream_read_ahead: bytes of stream answers read
    ahead of the iterating code before the connection stops reading (16 MiB).
    """

    def __init__(self, path=None, timeout=None, connect_timeout=5.0, compress=True, metadata=None,
                 max_frame_bytes=frames.DEFAULT_MAX_FRAME_BYTES, max_inflated_bytes=frames.DEFAULT_MAX_INFLATED_BYTES,
                 stream_read_ahead=DEFAULT_STREAM_READ_AHEAD):
        self.path = default_socket_path(path)
        self._runtime_dir = runtime_directory(path)
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.compress = compress
        self.metadata = dict(metadata or {})
        self.max_frame_bytes = max_frame_bytes
        self.max_inflated_bytes = max_inflated_bytes
        self._lock = threading.Lock()       # connection state, ids, pending calls
        self._send_lock = threading.Lock()  # one frame at a time on the socket (waited for up to a deadline)
        self._read_ahead = ReadAhead(stream_read_ahead)
        self._room = threading.Condition(self._lock)  # the reader waits here while the callers are behind
        self._sock = None
        self._pending = {}
        self._next_id = 1
        self._closed = False
        with self._lock:
            self._connect_locked()

    # -- public ----------------------------------------------------------------------------
    def call(self, method, body=b"", timeout=None, metadata=None):
        """Unary call with a serialized body; returns the serialized response body."""
        check_unary(method)
        result = None
        for chunk in self._run(method, body, unary_timeout(timeout, self.timeout), metadata, unary=True):
            result = chunk
        return b"" if result is None else result

    def stream(self, method, body=b"", timeout=None, metadata=None):
        """Server-streaming call: an iterator of serialized bodies, ending at the status."""
        return self._run(method, body, timeout, metadata)

    def close(self):
        with self._lock:
            self._closed = True
            self._drop_locked(Unavailable("client closed"))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- calls -----------------------------------------------------------------------------
    def _run(self, method, body, timeout, metadata, unary=False):
        timeout = call_timeout(timeout, self.timeout)
        deadline = None if timeout is None else time.monotonic() + timeout + LOCAL_DEADLINE_SLACK
        meta = dict(self.metadata, **(metadata or {}))
        call = PendingCall(queue.SimpleQueue(), unary)  # items: (body, None) | (_FINAL, error or None)
        with self._lock:
            if self._closed:
                raise Unavailable("client closed")
            if self._sock is None:
                self._connect_locked()
            call_id = self._next_id
            self._next_id += 1
            env = make_request(call_id, method, body, timeout, meta, self.compress)
            frame = frames.encode_frame(env.SerializeToString(), self.compress, self.max_frame_bytes)
            self._pending[call_id] = call
            if unary:
                self._room.notify_all()  # its answer may sit behind a stream's that the reader holds back
            sock = self._sock
        self._send(sock, frame, deadline, call_id)
        return self._results(call_id, call, deadline)

    def _results(self, call_id, call, deadline):
        done = False
        try:
            while True:
                wait = None if deadline is None else deadline - time.monotonic()
                try:
                    if wait is not None and wait <= 0:
                        raise queue.Empty
                    item, err = call.queue.get(timeout=wait)
                except queue.Empty:
                    done = True
                    self._cancel(call_id)
                    raise DeadlineExceeded("no answer within the deadline")
                if item is _FINAL:
                    done = True
                    if err is not None:
                        raise err
                    return
                with self._lock:
                    if self._read_ahead.take(call, len(item)):
                        self._room.notify_all()
                yield item
        finally:
            if not done:  # the caller stopped iterating a stream early
                with self._lock:
                    self._read_ahead.release(call)  # also when its status came already
                    self._room.notify_all()
                self._cancel(call_id)

    def _cancel(self, call_id):
        with self._lock:
            if self._forget_locked(call_id) is None or self._sock is None:
                return
            sock = self._sock
        try:
            self._send(sock, frames.encode_frame(make_cancel(call_id).SerializeToString(), False),
                       time.monotonic() + 1.0, None)
        except FolioError:
            pass

    # -- connection ------------------------------------------------------------------------
    def _connect_locked(self):
        check_runtime_directory(self._runtime_dir, self.path)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.connect_timeout)
        deadline = None if self.connect_timeout is None else time.monotonic() + self.connect_timeout
        while True:
            try:
                sock.connect(self.path)
                break
            except (BlockingIOError, socket.timeout) as exc:
                # A Unix socket whose queue of new connections is full refuses at once (EAGAIN):
                # foliod is busy, not gone, so try again until connect_timeout.
                if deadline is not None and time.monotonic() >= deadline:
                    sock.close()
                    raise ConnectError(self.path, exc.strerror or "timed out", busy=True) from None
                time.sleep(0.01)
            except OSError as exc:
                sock.close()
                raise ConnectError(self.path, exc.strerror or str(exc)) from None
        sock.settimeout(None)
        self._sock = sock
        threading.Thread(target=self._read_loop, args=(sock,), name="folio-reader", daemon=True).start()

    def _send(self, sock, data, deadline, call_id):
        """Writes one frame on `sock` before `deadline` (monotonic seconds, None: none). A daemon that
        stops reading must not hold this call, nor the other threads' calls behind it, past the
        deadline: a half-sent frame leaves the connection unusable, so it is closed."""
        wait = -1 if deadline is None else max(0.0, deadline - time.monotonic())
        if not self._send_lock.acquire(timeout=wait):
            self._give_up(call_id)
            raise DeadlineExceeded("no answer within the deadline (another call was still being sent)")
        try:
            view = memoryview(data)
            poller = select.poll()
            poller.register(sock, select.POLLOUT)
            while view:
                try:
                    view = view[sock.send(view, socket.MSG_DONTWAIT):]
                    continue
                except BlockingIOError:
                    pass
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    with self._lock:
                        self._drop_locked(Unavailable("connection closed: a request could not be sent within its deadline"), sock)
                    raise DeadlineExceeded("foliod did not take the request within the deadline (connection closed)")
                poller.poll(None if left is None else max(1, int(left * 1000)))
        except (BrokenPipeError, ConnectionResetError):
            # foliod closed the connection, usually after saying why (a connection over its limit, an
            # idle timeout): the reader thread reads that and ends the pending calls with it.
            pass
        except (OSError, ValueError) as exc:  # ValueError: the socket is closed
            with self._lock:
                if sock is not self._sock:
                    # The reader thread ended this connection meanwhile and failed the call with the
                    # reason (foliod's, when it gave one): the call's results report it.
                    return
                err = Unavailable("connection to foliod lost: %s" % (getattr(exc, "strerror", None) or exc))
                self._drop_locked(err, sock)
            raise err from None
        finally:
            self._send_lock.release()

    def _give_up(self, call_id):
        if call_id is not None:
            with self._lock:
                self._forget_locked(call_id)

    def _forget_locked(self, call_id):
        """Stops routing answers to a call that ended here; what it held no longer counts."""
        call = self._pending.pop(call_id, None)
        if call is not None:
            self._read_ahead.release(call)
            self._room.notify_all()
        return call

    def _drop_locked(self, error, sock=None):
        """Closes the connection (only `sock` when given) and fails every pending call with `error`."""
        if sock is not None and sock is not self._sock:
            return
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._sock.close()
            self._sock = None
        for call in self._pending.values():
            self._read_ahead.release(call)
            call.queue.put((_FINAL, error))
        self._pending.clear()
        self._room.notify_all()

    def _read_loop(self, sock):
        reader = frames.FrameReader(self.max_frame_bytes, self.max_inflated_bytes)
        error = None
        try:
            while error is None:
                data = sock.recv(65536)
                if not data:
                    reader.finish()
                    error = Unavailable("connection closed by foliod")
                    break
                reader.feed(data)
                while error is None:
                    frame = reader.get_frame()
                    if frame is None:
                        break
                    error = self._dispatch(parse_response(frame.payload))
                with self._lock:
                    while sock is self._sock and self._read_ahead.must_wait(self._pending.values()):
                        self._room.wait()
        except FrameError as exc:
            error = exc
        except OSError as exc:
            error = Unavailable("connection to foliod lost: %s" % (exc.strerror or exc))
        with self._lock:
            self._drop_locked(error, sock)

    def _dispatch(self, env):
        """Routes one Response; returns an error that ends the connection (id 0), else None."""
        status = env.status if env.HasField("status") else None
        if env.id == 0:
            code = status.code if status is not None else StatusCode.INTERNAL
            return error_for_status(code, status.message if status is not None else "connection-level error")
        with self._lock:
            call = self._pending.get(env.id)
            if call is None:
                return None  # a call given up locally (deadline, cancel)
            if env.body or status is None:
                self._read_ahead.add(call, len(env.body))
                call.queue.put((env.body, None))
            if status is not None:
                del self._pending[env.id]
                err = None if status.code == StatusCode.OK else error_for_status(status.code, status.message)
                call.queue.put((_FINAL, err))
        return None
