"""asyncio client: one connection, concurrent calls from any number of tasks, out-of-order answers.

`client = await AsyncClient.connect(path)`; typed methods are coroutines (`await client.health()`),
`client.search_stream(...)` is an async iterator. Cancelling the awaiting task sends a cancel frame.
"""
import asyncio
import socket
import time

from . import frames
from .errors import ConnectError, DeadlineExceeded, FolioError, FrameError, StatusCode, Unavailable, error_for_status
from .methods import AsyncMethods
from .protocol import (DEFAULT_STREAM_READ_AHEAD, PendingCall, ReadAhead, check_runtime_directory, check_unary,
                       default_socket_path, runtime_directory, make_cancel, make_request, call_timeout, parse_response,
                       unary_timeout)

LOCAL_DEADLINE_SLACK = 0.05
_FINAL = object()


class AsyncClient(AsyncMethods):
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
        self._writer = None
        self._reader_task = None
        self._pending = {}
        self._next_id = 1
        self._closed = False
        self._connecting = None
        self._lost = None  # why the last connection ended (foliod's reason when it gave one)
        self._read_ahead = ReadAhead(stream_read_ahead)
        self._room = asyncio.Event()  # set when a paused reader may read again

    @classmethod
    async def connect(cls, path=None, **options):
        """Creates a client and opens its connection (ConnectError when nobody listens)."""
        client = cls(path, **options)
        await client._ensure_connected()
        return client

    async def call(self, method, body=b"", timeout=None, metadata=None):
        check_unary(method)
        result = b""
        async for chunk in self._run(method, body, unary_timeout(timeout, self.timeout), metadata, unary=True):
            result = chunk
        return result

    def stream(self, method, body=b"", timeout=None, metadata=None):
        """Async iterator over the serialized bodies of a call, ending at its status. The connection
        reads at most `stream_read_ahead` bytes (16 MiB) of answers ahead of the iterating code."""
        return self._run(method, body, timeout, metadata)

    async def _run(self, method, body, timeout, metadata, unary=False):
        timeout = call_timeout(timeout, self.timeout)
        deadline = None if timeout is None else time.monotonic() + timeout + LOCAL_DEADLINE_SLACK
        call_id, call = await self._start(method, body, timeout, metadata, unary)
        q = call.queue
        done = False
        try:
            while True:
                wait = None if deadline is None else max(0.0, deadline - time.monotonic())
                try:
                    item, err = await asyncio.wait_for(q.get(), wait)
                except asyncio.TimeoutError:
                    raise DeadlineExceeded("no answer within the deadline") from None
                if item is _FINAL:
                    done = True
                    if err is not None:
                        raise err
                    return
                if self._read_ahead.take(call, len(item)):
                    self._room.set()
                yield item
        finally:
            if not done:  # deadline, task cancelled, or the caller stopped iterating
                self._read_ahead.release(call)  # also when its status came already
                self._room.set()
                self._cancel(call_id)

    async def close(self):
        self._closed = True
        self._drop(Unavailable("client closed"))
        if self._reader_task is not None:
            await asyncio.gather(self._reader_task, return_exceptions=True)

    async def __aenter__(self):
        await self._ensure_connected()
        return self

    async def __aexit__(self, *exc):
        await self.close()

    # -- internals -------------------------------------------------------------------------
    async def _start(self, method, body, timeout, metadata, unary):
        if self._closed:
            raise Unavailable("client closed")
        await self._ensure_connected()
        call_id = self._next_id
        self._next_id += 1
        env = make_request(call_id, method, body, timeout, dict(self.metadata, **(metadata or {})), self.compress)
        frame = frames.encode_frame(env.SerializeToString(), self.compress, self.max_frame_bytes)
        call = PendingCall(asyncio.Queue(), unary)
        self._pending[call_id] = call
        if unary:
            self._room.set()  # its answer may sit behind a stream's that the reader holds back
        self._write(frame)
        return call_id, call

    async def _ensure_connected(self):
        if self._writer is not None:
            return
        if self._connecting is None:
            self._connecting = asyncio.ensure_future(self._open())
        try:
            await asyncio.shield(self._connecting)
        finally:
            if self._connecting is not None and self._connecting.done():
                self._connecting = None

    async def _open(self):
        check_runtime_directory(self._runtime_dir, self.path)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.setblocking(False)
        deadline = None if self.connect_timeout is None else time.monotonic() + self.connect_timeout
        while True:
            try:
                sock.connect(self.path)
                break
            except BlockingIOError as exc:
                # foliod's queue of new connections is full (a Unix socket refuses at once): it is
                # busy, not gone; asyncio's own connect took this for success and failed on the write.
                if deadline is not None and time.monotonic() >= deadline:
                    sock.close()
                    raise ConnectError(self.path, exc.strerror, busy=True) from None
                await asyncio.sleep(0.01)
            except OSError as exc:
                sock.close()
                raise ConnectError(self.path, exc.strerror or str(exc)) from None
        # A second descriptor of the socket: when a write fails because foliod closed, asyncio closes
        # its own at once, and what foliod sent before closing (its reason) is read from this one.
        spare = sock.dup()
        reader, writer = await asyncio.open_unix_connection(sock=sock)
        self._writer = writer
        self._reader_task = asyncio.ensure_future(self._read_loop(reader, writer, spare))

    def _write(self, data):
        if self._writer is None or self._writer.is_closing():
            # The reader saw the connection end between connecting and this write (foliod refused it),
            # or the transport is closing (asyncio would log each write to it instead of failing it).
            err = self._lost or Unavailable("connection to foliod lost")
            self._drop(err)
            raise err
        try:
            self._writer.write(data)
        except (OSError, RuntimeError) as exc:
            err = Unavailable("connection to foliod lost: %s" % exc)
            self._drop(err)
            raise err from None

    def _cancel(self, call_id):
        call = self._pending.pop(call_id, None)
        if call is not None:
            self._read_ahead.release(call)
            self._room.set()
        if call is not None and self._writer is not None:
            try:
                self._writer.write(frames.encode_frame(make_cancel(call_id).SerializeToString(), False))
            except (OSError, RuntimeError, FolioError):
                pass

    def _drop(self, error, writer=None):
        if writer is not None and writer is not self._writer:
            return
        self._lost = error
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        for call in self._pending.values():
            self._read_ahead.release(call)
            call.queue.put_nowait((_FINAL, error))
        self._pending.clear()
        self._room.set()

    async def _read_loop(self, reader, writer, spare):
        frame_reader = frames.FrameReader(self.max_frame_bytes, self.max_inflated_bytes)
        error = None
        try:
            error = await self._read_frames(reader, writer, frame_reader)
        except (BrokenPipeError, ConnectionResetError) as exc:
            error = self._closing_status(spare, frame_reader) or Unavailable("connection to foliod lost: %s" % exc.strerror)
        finally:
            spare.close()
        self._drop(error, writer)

    def _closing_status(self, spare, frame_reader):
        """foliod's connection-level status, when it is still unread on the closed connection."""
        try:
            while True:
                frame = frame_reader.get_frame()
                if frame is None:
                    data = spare.recv(65536)
                    if not data:
                        return None
                    frame_reader.feed(data)
                    continue
                error = self._dispatch(parse_response(frame.payload))
                if error is not None:
                    return error
        except (OSError, FolioError):
            return None

    async def _read_frames(self, reader, writer, frame_reader):
        """Routes response frames until the connection ends; returns why it ended."""
        error = None
        try:
            while error is None:
                while writer is self._writer and self._read_ahead.must_wait(self._pending.values()):
                    self._room.clear()
                    await self._room.wait()
                data = await reader.read(65536)
                if not data:
                    frame_reader.finish()
                    error = Unavailable("connection closed by foliod")
                    break
                frame_reader.feed(data)
                while error is None:
                    frame = frame_reader.get_frame()
                    if frame is None:
                        break
                    error = self._dispatch(parse_response(frame.payload))
        except FrameError as exc:
            error = exc
        except (BrokenPipeError, ConnectionResetError):
            raise
        except OSError as exc:
            error = Unavailable("connection to foliod lost: %s" % (exc.strerror or exc))
        return error

    def _dispatch(self, env):
        status = env.status if env.HasField("status") else None
        if env.id == 0:
            code = status.code if status is not None else StatusCode.INTERNAL
            return error_for_status(code, status.message if status is not None else "connection-level error")
        call = self._pending.get(env.id)
        if call is None:
            return None
        if env.body or status is None:
            self._read_ahead.add(call, len(env.body))
            call.queue.put_nowait((env.body, None))
        if status is not None:
            del self._pending[env.id]
            err = None if status.code == StatusCode.OK else error_for_status(status.code, status.message)
            call.queue.put_nowait((_FINAL, err))
        return None
