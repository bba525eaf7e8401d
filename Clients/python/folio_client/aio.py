"""asyncio client: one connection, concurrent calls from any number of tasks, out-of-order answers.

`client = await AsyncClient.connect(path)`; typed methods are coroutines (`await client.health()`),
`client.search_stream(...)` is an async iterator. Cancelling the awaiting task sends a cancel frame.
Calls beyond foliod's limit per connection wait for a slot; a call written on a connection that foliod
had already closed (the loop did not see it) is written again on a new one.
"""
import asyncio
import collections
import os
import socket
import time
import weakref

from . import frames
from .errors import (ConnectError, DeadlineExceeded, FolioError, FrameError, StatusCode, Unavailable, WriteOutcomeUnknown,
                     detached, error_for_status)
from .methods import AsyncMethods
from .protocol import (ABANDONED, DEFAULT_STREAM_READ_AHEAD, WRITE_ANSWER_GRACE, PendingCall, ReadAhead,
                       check_runtime_directory, check_unary, connection_error, is_write, default_socket_path, runtime_directory, make_cancel,
                       make_opening_call, make_request, call_timeout, opening_answer, parse_response, slot_wait_message,
                       unary_timeout)

LOCAL_DEADLINE_SLACK = 0.05
_FINAL = object()


class AsyncClient(AsyncMethods):
    def __init__(self, path=None, timeout=None, connect_timeout=5.0, compress=True, metadata=None,
                 max_frame_bytes=frames.DEFAULT_MAX_FRAME_BYTES, max_inflated_bytes=frames.DEFAULT_MAX_INFLATED_BYTES,
                 stream_read_ahead=DEFAULT_STREAM_READ_AHEAD, write_answer_grace=WRITE_ANSWER_GRACE):
        """As Client (see its documentation), the calls coroutines and async iterators."""
        self.path = default_socket_path(path)
        self._runtime_dir = runtime_directory(path)
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.compress = compress
        self.metadata = dict(metadata or {})
        self.max_frame_bytes = max_frame_bytes
        self.max_inflated_bytes = max_inflated_bytes
        self.write_answer_grace = write_answer_grace
        self._next_id = 1
        self._closed = False
        self._loop = None  # the event loop the connection belongs to
        self._finalizer = None  # closes the connection when the client is collected
        self._read_ahead = ReadAhead(stream_read_ahead)
        self._reset_state()
        _clients.add(self)

    def _reset_state(self):
        self._writer = None
        self._sockets = ()  # the connection's socket and its spare descriptor
        self._reader_task = None
        self._pending = {}  # call id → PendingCall, or ABANDONED until foliod's last answer
        self._connecting = None
        self._read_ahead = ReadAhead(self._read_ahead.limit)
        self._room = asyncio.Event()  # set when a paused reader may read again
        self._opening_id = None      # the connection's opening call (ServerInfo)
        self._max_calls = None       # foliod's limit of calls in flight, None until it answered that call
        self._refused = (None, None)  # the last connection foliod ended before answering it, and why
        self._slot_waiters = collections.deque()  # futures of calls waiting for a slot, first come first served

    def _after_fork_in_child(self):
        """The child of a fork() has a copy of the parent's connection, registered with the parent's
        event loop, whose epoll instance the child shares: closing the copy, even by letting it be
        garbage collected, would unregister the parent's connection there. So the child keeps it,
        untouched, for good, and the next call opens a connection of the child's own."""
        _inherited_from_parent.append((self._writer, self._reader_task, self._connecting))
        self._reset_state()

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
        reads at most `stream_read_ahead` bytes (16 MiB) of answers ahead of the iterating code, each
        answer counted as its body plus 256 bytes for the Python objects that hold it; more while a caller
        waits for a call that has nothing read yet (its answers may be behind)."""
        return self._run(method, body, timeout, metadata)

    async def _run(self, method, body, timeout, metadata, unary=False):
        timeout = call_timeout(timeout, self.timeout)
        deadline = None if timeout is None else time.monotonic() + timeout + LOCAL_DEADLINE_SLACK
        call_id, call = await self._start(method, body, timeout, metadata, unary, deadline)
        # A write that went out is answered with its outcome however late: waited for `grace` longer.
        grace = self.write_answer_grace if deadline is not None and is_write(method) else None
        if grace is not None:
            deadline += grace
        q = call.queue
        done = False
        try:
            while True:
                wait = None if deadline is None else max(0.0, deadline - time.monotonic())
                if q.empty():  # nothing read for it yet: the reader reads on past the read-ahead bound
                    call.waiting = True
                    self._room.set()
                try:
                    item, err = await asyncio.wait_for(q.get(), wait)
                except asyncio.TimeoutError:
                    if grace is not None:
                        raise WriteOutcomeUnknown(timeout, grace) from None
                    raise DeadlineExceeded("no answer within the deadline") from None
                finally:
                    call.waiting = False
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
                self._cancel(call_id, call)

    async def close(self):
        self._bind_loop()
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
    async def _start(self, method, body, timeout, metadata, unary, deadline):
        call_id = self._next_id
        self._next_id += 1
        env = make_request(call_id, method, body, timeout, dict(self.metadata, **(metadata or {})), self.compress)
        frame = frames.encode_frame(env.SerializeToString(), self.compress, self.max_frame_bytes, self.max_inflated_bytes)
        call = PendingCall(asyncio.Queue(), unary)
        for _ in range(2):  # a second time only on a new connection
            await self._wait_for_slot(deadline)
            self._pending[call_id] = call
            if unary:
                self._room.set()  # its answer may sit behind a stream's that the reader holds back
            if self._write(frame):
                return call_id, call
            # foliod had closed the connection before this call was written (while the loop was busy
            # elsewhere, it had not seen that): none of it went out, so any call may go on a new one.
            del self._pending[call_id]
            lost = Unavailable("connection to foliod lost: foliod had closed it")
            self._drop(lost)
        raise lost

    async def _wait_for_slot(self, deadline):
        """Connects if need be, then waits until the connection takes one more call in flight (foliod
        refuses calls beyond its --max-calls with RESOURCE_EXHAUSTED)."""
        while True:
            if self._closed:
                raise Unavailable("client closed")
            writer = await self._ensure_connected(deadline)
            while writer is self._writer and (self._max_calls is None or len(self._pending) >= self._max_calls):
                slot = asyncio.get_running_loop().create_future()
                self._slot_waiters.append(slot)
                try:
                    await asyncio.wait_for(slot, None if deadline is None else max(0.0, deadline - time.monotonic()))
                except BaseException as exc:
                    if slot.done() and not slot.cancelled():
                        self._wake_slot()  # woken, then cancelled: the slot goes to the next one waiting
                    if isinstance(exc, asyncio.TimeoutError):
                        raise DeadlineExceeded(slot_wait_message(self._max_calls)) from None
                    raise
            if self._refused[0] is writer:
                raise self._refused[1]  # foliod refused the connection (e.g. too many): nothing was sent
            if writer is self._writer:
                return  # no await until the caller registers the call: the slot stays its own

    def _wake_slot(self, every=False):
        while self._slot_waiters:
            slot = self._slot_waiters.popleft()
            if not slot.done():
                slot.set_result(None)
                if not every:
                    return

    def _bind_loop(self):
        """A connection belongs to the event loop that opened it: on a later loop (a second asyncio.run())
        the connection of a closed loop, which nothing reads any more, is let go and a new one opened."""
        loop = asyncio.get_running_loop()
        if self._loop is loop:
            return
        if self._loop is not None and not self._loop.is_closed() and (self._writer or self._connecting or self._pending):
            raise RuntimeError("this AsyncClient is in use on another event loop, which is still open: "
                               "use one client per event loop (or close it on its loop first)")
        for sock in self._sockets:
            sock.close()  # the closed loop's transport can no longer close them
        if self._loop is not None:
            self._reset_state()
        self._loop = loop

    async def _ensure_connected(self, deadline=None):
        """The connection (its StreamWriter), opened if need be."""
        self._bind_loop()
        if self._writer is not None:
            return self._writer
        if self._connecting is None:
            self._connecting = asyncio.ensure_future(self._open())
            self._connecting.add_done_callback(lambda f: f.cancelled() or f.exception())  # retrieved, awaited or not
        try:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            return await asyncio.wait_for(asyncio.shield(self._connecting), wait)
        except asyncio.TimeoutError:
            raise DeadlineExceeded("no answer within the deadline (connecting to foliod)") from None
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
        self._sockets = (sock, spare)
        reader, writer = await asyncio.open_unix_connection(sock=sock)
        # The opening call: its answer says how many calls foliod takes in flight on this connection,
        # and calls wait for it. A refusal (too many connections) fails them with foliod's reason.
        self._max_calls = None
        self._opening_id = self._next_id
        self._next_id += 1
        self._writer = writer
        # The reader holds the client weakly, so that a client dropped without close() is collected; its
        # finalizer closes the connection, and the reader ends (kept in _reading till then, not destroyed pending).
        self._reader_task = asyncio.ensure_future(_read_loop(weakref.ref(self), reader, writer, spare))
        _reading.add(self._reader_task)
        self._reader_task.add_done_callback(_reading.discard)
        if self._finalizer is not None:
            self._finalizer.detach()
        self._finalizer = weakref.finalize(self, _close_quietly, writer)
        opening = make_opening_call(self._opening_id, self.metadata, self.compress)
        writer.write(frames.encode_frame(opening.SerializeToString()))
        return writer

    def _write(self, data):
        """Writes a frame; False when foliod had closed the connection already, so none of it went out."""
        writer = self._writer
        if writer.is_closing():
            return False  # an earlier write failed: the reader task has not ended the connection yet
        nothing_queued = writer.transport.get_write_buffer_size() == 0
        try:
            writer.write(data)
        except (OSError, RuntimeError) as exc:
            err = Unavailable("connection to foliod lost: %s" % exc)
            self._drop(err)
            raise err from None
        # With nothing queued, asyncio sent at once; a failure of that send closes the transport.
        return not (nothing_queued and writer.is_closing())

    def _cancel(self, call_id, call):
        self._read_ahead.release(call)  # what it holds no longer counts, also when its status came already
        self._room.set()
        if self._pending.get(call_id) is not call:
            return  # answered, or its connection is gone
        # foliod ends the call with one last answer; till then it counts against the connection's limit
        self._pending[call_id] = ABANDONED
        try:
            if not self._writer.is_closing():  # else the connection ends, and the call with it
                self._writer.write(frames.encode_frame(make_cancel(call_id).SerializeToString(), False))
        except (OSError, RuntimeError):  # RuntimeError: the event loop is closed
            pass

    def _drop(self, error, writer=None):
        if writer is not None and writer is not self._writer:
            return
        if self._writer is not None:
            if self._max_calls is None:
                self._refused = (self._writer, error)  # the calls waiting for its opening answer fail with this
            self._writer.close()
            self._writer = None
        for call in self._pending.values():
            if call is not ABANDONED:
                self._read_ahead.release(call)
                call.queue.put_nowait((_FINAL, error))
        self._pending.clear()
        self._room.set()
        self._wake_slot(every=True)  # the calls waiting for a slot connect again

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

    def _dispatch(self, env):
        status = env.status if env.HasField("status") else None
        if env.id == 0:
            return connection_error(env)
        if env.id == self._opening_id:
            limit = opening_answer(env)
            if limit is not None:
                self._max_calls = limit
                self._wake_slot(every=True)
            return None
        call = self._pending.get(env.id)
        if call is None or call is ABANDONED:  # a call given up locally (deadline, cancel)
            if call is not None and status is not None:
                del self._pending[env.id]
                self._wake_slot()
            return None
        if env.body or status is None:
            self._read_ahead.add(call, len(env.body))
            call.queue.put_nowait((env.body, None))
        if status is not None:
            del self._pending[env.id]
            self._wake_slot()
            err = None if status.code == StatusCode.OK else error_for_status(status.code, status.message)
            call.queue.put_nowait((_FINAL, err))
        return None


async def _read_loop(ref, reader, writer, spare):
    client = ref()
    frame_reader = frames.FrameReader(client.max_frame_bytes, client.max_inflated_bytes)
    client = None
    error = None
    try:
        error = await _read_frames(ref, reader, writer, frame_reader)
    except (BrokenPipeError, ConnectionResetError) as exc:
        client = ref()
        error = (client and client._closing_status(spare, frame_reader)) or Unavailable(
            "connection to foliod lost: %s" % exc.strerror)
    finally:
        spare.close()
    client = ref()
    if client is not None:
        client._drop(error, writer)


async def _read_frames(ref, reader, writer, frame_reader):
    """Routes response frames until the connection ends; returns why it ended (None: the client was
    collected). The client is not held across an await."""
    while True:
        try:
            while True:
                client = ref()
                if client is None:
                    return None
                while True:  # the frames read already first (also those left by an interrupt)
                    frame = frame_reader.get_frame()
                    if frame is None:
                        break
                    error = client._dispatch(parse_response(frame.payload))
                    if error is not None:
                        return error
                while writer is client._writer and client._read_ahead.must_wait(client._pending.values()):
                    room, client = client._room, None
                    room.clear()
                    await room.wait()
                    client = ref()
                    if client is None:
                        return None
                client = None
                data = await reader.read(65536)
                if not data:
                    frame_reader.finish()
                    return Unavailable("connection closed by foliod")
                frame_reader.feed(data)
        except FrameError as exc:
            return detached(exc)
        except (BrokenPipeError, ConnectionResetError):
            raise
        except OSError as exc:
            return Unavailable("connection to foliod lost: %s" % (exc.strerror or exc))
        except (KeyboardInterrupt, SystemExit) as exc:
            # The user's Ctrl-C landed in this task (it reads while the loop runs their code): it is raised
            # out of the loop as usual, and the connection is read on, else every call on it would hang.
            asyncio.get_running_loop().call_soon(_reraise, exc)


def _close_quietly(writer):
    """The finalizer of a collected AsyncClient: closes its connection (its reader task then ends)."""
    try:
        writer.close()
    except RuntimeError:  # its event loop is closed
        pass


def _reraise(exc):
    raise exc


_reading = set()  # reader tasks, held until they end (a task only the event loop refers to may be collected)


_clients = weakref.WeakSet()  # reset in the child of a fork()
_inherited_from_parent = []    # in the child of a fork(): the parent's connections, never to be closed here


def _after_fork_in_child():
    for client in list(_clients):
        client._after_fork_in_child()


os.register_at_fork(after_in_child=_after_fork_in_child)
