"""Blocking client: one Unix-socket connection that multiplexes the calls of any number of threads.

A reader thread routes response frames to the waiting calls by id, so calls complete out of order;
a writer thread writes the requests, so that no caller is ever left holding a frame half-written (a
deadline or a KeyboardInterrupt ends the call, never the connection). Every call has an optional
deadline, sent as timeout_ms and also enforced here (a late call is cancelled on the server and raises
DeadlineExceeded). Calls beyond foliod's limit per connection wait for a slot. A dropped connection is
re-opened by the next call, and so is one inherited through fork(). The AsyncClient (aio.py) shares
this machinery (Multiplexer); only its calls wait differently.
"""
import collections
import itertools
import os
import queue
import select
import socket
import threading
import time
import weakref

from . import frames
from .errors import (ConnectError, DeadlineExceeded, FrameError, StatusCode, Unavailable, WriteOutcomeUnknown, detached,
                     error_for_status)
from .methods import SyncMethods
from .protocol import (ABANDONED, DEFAULT_STREAM_READ_AHEAD, WRITE_ANSWER_GRACE, PendingCall, ReadAhead, check_runtime_directory,
                       check_unary, is_write, connection_error, default_socket_path, runtime_directory, make_cancel,
                       make_opening_call, make_request, call_timeout, opening_answer, parse_response, slot_wait_message,
                       unary_timeout)

LOCAL_DEADLINE_SLACK = 0.05  # let the server's DEADLINE_EXCEEDED arrive before giving up locally
_FINAL = object()


class Multiplexer:
    """The connection machinery of Client and AsyncClient, which differ only in how a call waits (a
    thread blocks, a coroutine awaits): one connection at a time, whose reader and writer threads
    hold the client weakly; the pending calls, their slots and the read-ahead, under one lock that
    is never held long, so that the event loop may take it too. A KeyboardInterrupt is delivered only
    in the main thread: it can never cut the connection's bytes, only the caller's code."""

    def __init__(self, path=None, timeout=None, connect_timeout=5.0, compress=True, metadata=None,
                 max_frame_bytes=frames.DEFAULT_MAX_FRAME_BYTES, max_inflated_bytes=frames.DEFAULT_MAX_INFLATED_BYTES,
                 stream_read_ahead=DEFAULT_STREAM_READ_AHEAD, write_answer_grace=WRITE_ANSWER_GRACE):
        self.path = default_socket_path(path)
        self._runtime_dir = runtime_directory(path)
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.compress = compress
        self.metadata = dict(metadata or {})
        self.max_frame_bytes = max_frame_bytes
        self.max_inflated_bytes = max_inflated_bytes
        self.write_answer_grace = write_answer_grace
        self._ids = itertools.count(1)  # call ids (next() is atomic)
        self._read_ahead = ReadAhead(stream_read_ahead)
        self._reset_state()
        self._closed = False
        _clients.add(self)

    def _reset_state(self):
        self._lock = threading.RLock()                    # connection state, pending calls, frames to write (RLock: its owner is known, see _wait_locked)
        self._room = threading.Condition(self._lock)      # the reader waits here while the callers are behind
        self._slots = threading.Condition(self._lock)     # calls wait here for a slot among those in flight
        self._writable = threading.Condition(self._lock)  # the writer waits here for frames
        # Conditions are woken with notify_all, also where one waiter would do: a KeyboardInterrupt
        # inside Condition.notify can leave the woken waiter's lock first in line, and the next
        # notify() then wakes that lock instead of the thread waiting (the writer slept on a frame).
        self._read_ahead = ReadAhead(self._read_ahead.limit)
        self._sock = None
        self._out = collections.deque()  # (call id or None, frame) not yet taken by the writer thread
        self._pending = {}               # call id → PendingCall, or ABANDONED until foliod's last answer
        self._opening_id = None          # the connection's opening call (ServerInfo)
        self._max_calls = None           # foliod's limit of calls in flight, None until it answered that call
        self._refused = (None, None)     # the last connection foliod ended before answering it, and why
        self._hung_up = None             # the connection foliod was seen to have closed, read to its end
        self._finalizer = None           # shuts the connection down when the client is collected

    def _after_fork_in_child(self):
        """The child of a fork() has a copy of the parent's connection but not its reader and writer
        threads, and its locks may have been held by them: it starts afresh, and the next call opens
        a connection of its own. Closing the child's descriptor leaves the parent's connection as it is."""
        sock, pending = self._sock, self._pending
        self._reset_state()
        if sock is not None:
            sock.close()
        for call in pending.values():  # a stream begun before the fork: nobody reads its answers here
            if call is not ABANDONED:
                call.queue.put((_FINAL, Unavailable("the call was made before fork(): its answers go to the parent")))

    def _close(self):
        with self._lock:
            self._closed = True
            self._drop_locked(Unavailable("client closed"))

    # -- calls -----------------------------------------------------------------------------
    def _request(self, method, body, timeout, metadata):
        """A new call's id and request frame."""
        call_id = next(self._ids)
        env = make_request(call_id, method, body, timeout, dict(self.metadata, **(metadata or {})), self.compress)
        return call_id, frames.encode_frame(env.SerializeToString(), self.compress, self.max_frame_bytes,
                                            self.max_inflated_bytes)

    def _takes_a_call_locked(self):
        """Whether the open connection takes one more call in flight now (foliod refuses calls beyond
        its --max-calls with RESOURCE_EXHAUSTED)."""
        if self._sock is not self._hung_up and _peer_closed(self._sock):
            # foliod closed it (its write timeout, while a stream was left half-read, paused our reader):
            # the reader reads what foliod sent before and ends it; this call goes on a new one.
            self._hung_up = self._sock
            self._room.notify_all()
        return self._sock is not self._hung_up and self._max_calls is not None and len(self._pending) < self._max_calls

    def _queue_call_locked(self, call_id, frame, call):
        # Queued before it is registered: an interrupt (KeyboardInterrupt) between the two leaves an
        # answer nobody waits for (dropped), never a call waiting for an answer that cannot come.
        self._out.append((call_id, frame))
        self._writable.notify_all()
        self._pending[call_id] = call
        if call.unary:
            self._room.notify_all()  # its answer may sit behind a stream's that the reader holds back

    def _took(self, call, item):
        """The caller took `item` of `call`'s answers: a reader paused for read-ahead room may go on."""
        with self._lock:
            if self._read_ahead.take(call, len(item)):
                self._room.notify_all()

    def _cancel(self, call_id, call):
        """Gives the call up; True when its request was never written (foliod never saw it)."""
        with self._lock:
            self._read_ahead.release(call)  # what it holds no longer counts, also when its status came already
            self._room.notify_all()
            if self._pending.get(call_id) is not call:
                return  # answered, or its connection is gone
            for entry in self._out:
                if entry[0] == call_id:  # not written yet: foliod never sees it
                    # Unregistered first: an interrupt in between leaves an answer nobody waits for.
                    del self._pending[call_id]
                    self._out.remove(entry)
                    self._slots.notify_all()
                    return True
            self._pending[call_id] = ABANDONED
            self._out.append((None, frames.encode_frame(make_cancel(call_id).SerializeToString(), False)))
            self._writable.notify_all()

    # -- connection ------------------------------------------------------------------------
    def _connect_locked(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._connect_socket(sock)
        self._start_connection_locked(sock)

    def _connect_socket(self, sock):
        """Connects `sock` to foliod, or closes it and raises ConnectError (nobody listens, or a busy foliod
        did not take it within connect_timeout). Takes no lock: it may wait that long."""
        try:
            check_runtime_directory(self._runtime_dir, self.path)
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
                        raise ConnectError(self.path, exc.strerror or "timed out", busy=True) from None
                    time.sleep(0.01)
                except OSError as exc:
                    raise ConnectError(self.path, exc.strerror or str(exc)) from None
            sock.settimeout(None)
        except BaseException:  # also KeyboardInterrupt
            sock.close()
            raise

    def _start_connection_locked(self, sock):
        """Makes `sock` the connection: starts its reader and writer threads and queues its opening call,
        whose answer says how many calls foliod takes in flight on it; calls wait for that answer."""
        # The threads start first (they wait for this lock) and self._sock is set last, so that an
        # interrupt in between leaves no connection in use without its threads or its opening call.
        try:
            opening_id = next(self._ids)
            opening = frames.encode_frame(make_opening_call(opening_id, self.metadata, self.compress).SerializeToString())
            # The threads hold the client weakly, so that a client dropped without close() is collected:
            # its finalizer shuts the connection down, and the threads end.
            ref = weakref.ref(self)
            writer = threading.Thread(target=_write_loop, args=(ref, sock, self._lock, self._writable, self._out),
                                      name="folio-writer", daemon=True)
            writer.start()
            threading.Thread(target=_read_loop, args=(ref, sock, writer, self._lock, self._room, self._writable),
                             name="folio-reader", daemon=True).start()
            if self._finalizer is not None:
                self._finalizer.detach()
            self._finalizer = weakref.finalize(self, _shut_down, sock)
            self._out.clear()
            self._out.append((None, opening))
            self._max_calls, self._opening_id = None, opening_id
            self._sock = sock
        except BaseException:
            if self._sock is not sock:
                sock.shutdown(socket.SHUT_RDWR)  # its threads, if started, end at once
            raise

    def _drop_locked(self, error, sock=None):
        """Ends the connection (only `sock` when given) and fails every pending call with `error`. The
        socket is shut down here and closed by its reader thread once its writer is done with it, so
        that no thread writes to a descriptor number a new connection may have taken."""
        if sock is not None and sock is not self._sock:
            return
        if self._sock is not None:
            if self._max_calls is None:
                self._refused = (self._sock, error)  # the calls waiting for its opening answer fail with this
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._sock = None
        for call in self._pending.values():
            if call is not ABANDONED:
                self._read_ahead.release(call)
                call.queue.put((_FINAL, error))
        self._pending.clear()
        self._out.clear()
        self._room.notify_all()
        self._writable.notify_all()
        self._slots.notify_all()  # the calls waiting for a slot connect again

    def _must_pause(self, sock):
        """Whether the reader of `sock` stops reading: its callers are behind (see ReadAhead)."""
        return sock is self._sock is not self._hung_up and self._read_ahead.must_wait(self._pending.values())

    def _dispatch(self, env):
        """Routes one Response; returns an error that ends the connection (id 0), else None."""
        status = env.status if env.HasField("status") else None
        if env.id == 0:
            return connection_error(env)
        with self._lock:
            if env.id == self._opening_id:
                limit = opening_answer(env)
                if limit is not None:
                    self._max_calls = limit
                    self._slots.notify_all()
                return None
            call = self._pending.get(env.id)
            if call is None or call is ABANDONED:  # a call given up locally (deadline, cancel)
                if call is not None and status is not None:
                    del self._pending[env.id]
                    self._slots.notify_all()
                return None
            if env.body or status is None:
                self._read_ahead.add(call, len(env.body))
                call.queue.put((env.body, None))
            if status is not None:
                del self._pending[env.id]
                self._slots.notify_all()
                err = None if status.code == StatusCode.OK else error_for_status(status.code, status.message)
                call.queue.put((_FINAL, err))
        return None


class Client(SyncMethods, Multiplexer):
    """`Client(path=None, timeout=None, ...)`: connects at once (ConnectError when nobody listens).

    path: socket path (None → $FOLIO_SOCKET, then the daemon's default); timeout: default per-call
    deadline in seconds (None: 30 s for unary calls, none for streams); compress: accept zlib
    responses and compress requests ≥ 1024 B; stream_read_ahead: bytes of stream answers read
    ahead of the iterating code before the connection stops reading (16 MiB; each answer counts
    256 bytes more than its body, for the Python objects that hold it); write_answer_grace: how long
    past its deadline a write (Ingest, DeletePage, Reload) that reached foliod is waited for before
    WriteOutcomeUnknown (10 s: foliod answers a write it started with its outcome however late).
    """

    def __init__(self, *args, **options):
        super().__init__(*args, **options)
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
        self._close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- calls -----------------------------------------------------------------------------
    def _run(self, method, body, timeout, metadata, unary=False):
        timeout = call_timeout(timeout, self.timeout)
        deadline = None if timeout is None else time.monotonic() + timeout + LOCAL_DEADLINE_SLACK
        call = PendingCall(queue.SimpleQueue(), unary)  # items: (body, None) | (_FINAL, error or None)
        call_id, frame = self._request(method, body, timeout, metadata)
        with self._lock:
            self._wait_for_slot_locked(deadline)
            self._queue_call_locked(call_id, frame, call)
        if deadline is None or not is_write(method):
            return self._results(call_id, call, deadline)
        grace = self.write_answer_grace
        return self._results(call_id, call, deadline + grace, lambda: WriteOutcomeUnknown(timeout, grace))

    def _wait_for_slot_locked(self, deadline):
        """Connects if need be, then waits until the connection takes one more call in flight."""
        while True:
            if self._closed:
                raise Unavailable("client closed")
            if self._sock is None:
                self._connect_locked()
            if self._takes_a_call_locked():
                return
            sock = self._sock
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                self._slots.notify_all()  # a slot this call may have been woken for goes to the next one waiting
                raise DeadlineExceeded(slot_wait_message(self._max_calls))
            self._wait_locked(self._slots, wait)
            if self._refused[0] is sock:
                raise self._refused[1]  # foliod refused the connection (e.g. too many): nothing was sent

    def _wait_locked(self, condition, timeout):
        """condition.wait(), safe from a KeyboardInterrupt: one landing after wait() let go of the lock and
        before it took it back left the caller's `with self._lock` releasing a lock it no longer held
        (RuntimeError: release unlocked lock). The lock is taken back before the interrupt goes on."""
        try:
            condition.wait(timeout)
        except BaseException:
            if not self._lock._is_owned():
                self._lock.acquire()
            raise

    def _results(self, call_id, call, deadline, outcome_unknown=None):
        """The answers of a call; past `deadline`, DeadlineExceeded, or `outcome_unknown()` for a write
        that reached foliod."""
        done = False
        try:
            while True:
                wait = None if deadline is None else deadline - time.monotonic()
                try:
                    if wait is not None and wait <= 0:
                        raise queue.Empty
                    item, err = self._next_answer(call, wait)
                except queue.Empty:
                    done = True
                    if self._cancel(call_id, call) or outcome_unknown is None:
                        raise DeadlineExceeded("no answer within the deadline") from None
                    raise outcome_unknown() from None
                if item is _FINAL:
                    done = True
                    if err is not None:
                        raise err
                    return
                self._took(call, item)
                yield item
        finally:
            if not done:  # deadline, interrupt, or the caller stopped iterating a stream early
                self._cancel(call_id, call)

    def _next_answer(self, call, wait):
        try:
            return call.queue.get_nowait()
        except queue.Empty:
            pass
        with self._lock:  # nothing read for it yet: the reader reads on past the read-ahead bound
            call.waiting = True
            self._room.notify_all()
        try:
            return call.queue.get(timeout=wait)
        finally:
            call.waiting = False


def _write_loop(ref, sock, lock, writable, out):
    """Writes the queued frames in order. A frame taken here is written whole, whatever happens
    to the call that made it (its deadline, an interrupt): it is cancelled after it."""
    while True:
        with lock:
            while True:
                client = ref()
                if client is None or sock is not client._sock:
                    return
                if out:
                    break
                client = None  # not held while waiting: the client may be collected meanwhile
                writable.wait()
            _, frame = out.popleft()
            client = None
        try:
            sock.sendall(frame)
        except (BrokenPipeError, ConnectionResetError):
            # foliod closed the connection, usually after saying why (a connection over its limit, an
            # idle timeout): the reader thread reads that and ends the pending calls with it.
            return
        except OSError as exc:
            client = ref()
            if client is not None:
                with lock:
                    client._drop_locked(Unavailable("connection to foliod lost: %s" % (exc.strerror or exc)), sock)
            return


def _read_loop(ref, sock, writer, lock, room, writable):
    client = ref()
    reader = frames.FrameReader(client.max_frame_bytes, client.max_inflated_bytes)
    client = None
    error = None
    try:
        while error is None:
            data = sock.recv(65536)
            client = ref()
            if client is None:
                break  # collected (its finalizer shut the socket down): nobody is left to answer
            if not data:
                reader.finish()
                error = Unavailable("connection closed by foliod")
                break
            reader.feed(data)
            while error is None:
                frame = reader.get_frame()
                if frame is None:
                    break
                error = client._dispatch(parse_response(frame.payload))
            while client is not None and error is None:
                with lock:
                    if not client._must_pause(sock):
                        break
                    client = None
                    room.wait(1.0)  # bounded: a client collected while paused is seen within a second
                client = ref()
            client = None
    except FrameError as exc:
        error = detached(exc)
    except OSError as exc:
        error = Unavailable("connection to foliod lost: %s" % (exc.strerror or exc))
    client = ref()
    with lock:
        if client is not None:
            client._drop_locked(error, sock)
        else:
            _shut_down(sock)
        room.notify_all()
        writable.notify_all()  # a writer whose client was collected ends too
    client = None
    writer.join()
    sock.close()


def _shut_down(sock):
    """The finalizer of a collected Client: ends its connection, and with it its threads."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _peer_closed(sock):
    poll = select.poll()
    poll.register(sock, select.POLLHUP | getattr(select, "POLLRDHUP", 0))
    return bool(poll.poll(0))


_clients = weakref.WeakSet()  # reset in the child of a fork()


def _after_fork_in_child():
    for client in list(_clients):
        client._after_fork_in_child()


os.register_at_fork(after_in_child=_after_fork_in_child)
