"""asyncio client: one connection, concurrent calls from any number of tasks, out-of-order answers.

`client = await AsyncClient.connect(path)`; typed methods are coroutines (`await client.health()`),
`client.search_stream(...)` is an async iterator. Cancelling the awaiting task sends a cancel frame.

The connection is the blocking Client's (client.Multiplexer): read, decoded and written by threads of
its own, never by the event loop. A KeyboardInterrupt, which in a loop driven by run_until_complete (a
notebook) is raised wherever the loop is, therefore cannot cut the connection's bytes: it fails at most
the calls it lands in. Answers reach their call's loop through call_soon_threadsafe; the loop never
blocks (connecting is done on a thread too, and the client's lock is only ever held for moments).
"""
import asyncio
import collections
import socket
import threading
import time

from .client import _FINAL, LOCAL_DEADLINE_SLACK, Multiplexer
from .errors import DeadlineExceeded, Unavailable, WriteOutcomeUnknown
from .methods import AsyncMethods, cancelled_by
from .protocol import PendingCall, call_timeout, check_unary, is_write, slot_wait_message, unary_timeout

# A wake-up sent from another thread is a callback on the loop, which a KeyboardInterrupt may cut: a
# waiting call looks again by itself after this long, so a lost wake-up delays it, never hangs it.
RECHECK = 1.0


class AsyncClient(AsyncMethods, Multiplexer):
    """As Client (see its documentation), the calls coroutines and async iterators; connects on first
    use. Its calls may come from any event loop (each call's answers go to the loop that made it)."""

    def _reset_state(self):
        super()._reset_state()
        self._slots = _Waiters()  # calls wait for a slot on their event loop, not on a threading.Condition
        self._connecting = None   # the socket being connected on a thread

    @classmethod
    async def connect(cls, path=None, **options):
        """Creates a client and opens its connection (ConnectError when nobody listens)."""
        client = cls(path, **options)
        await client._connected()
        return client

    async def call(self, method, body=b"", timeout=None, metadata=None):
        try:
            check_unary(method)
            result = b""
            async for chunk in self._run(method, body, unary_timeout(timeout, self.timeout), metadata, unary=True):
                result = chunk
            return result
        except KeyboardInterrupt as exc:
            raise cancelled_by(exc) from None

    def stream(self, method, body=b"", timeout=None, metadata=None):
        """Async iterator over the serialized bodies of a call, ending at its status. The connection
        reads at most `stream_read_ahead` bytes (16 MiB) of answers ahead of the iterating code, each
        answer counted as its body plus 256 bytes for the Python objects that hold it; more while a caller
        waits for a call that has nothing read yet (its answers may be behind)."""
        return self._run(method, body, timeout, metadata)

    async def close(self):
        self._close()

    async def __aenter__(self):
        await self._connected()
        return self

    async def __aexit__(self, *exc):
        await self.close()

    # -- internals (as Client's, awaited) --------------------------------------------------
    async def _run(self, method, body, timeout, metadata, unary=False):
        call = PendingCall(_Answers(asyncio.get_running_loop()), unary)
        call_id, done = None, False
        try:
            timeout = call_timeout(timeout, self.timeout)
            deadline = None if timeout is None else time.monotonic() + timeout + LOCAL_DEADLINE_SLACK
            call_id, frame = self._request(method, body, timeout, metadata)
            await self._connected(deadline, (call_id, frame, call))
            outcome_unknown = None
            if deadline is not None and is_write(method):
                # A write that reached foliod is answered with its outcome however late: waited for longer.
                grace = self.write_answer_grace
                deadline += grace
                outcome_unknown = lambda: WriteOutcomeUnknown(timeout, grace)  # noqa: E731
            while True:
                try:
                    item, err = await self._next_answer(call, deadline)
                except asyncio.TimeoutError:
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
        except KeyboardInterrupt as exc:  # in this call's code (see cancelled_by)
            raise cancelled_by(exc) from None
        finally:
            if not done:  # deadline, task cancelled, interrupt, or the caller stopped iterating
                self._cancel(call_id, call)

    async def _next_answer(self, call, deadline):
        if call.queue.empty():
            with self._lock:  # nothing read for it yet: the reader reads on past the read-ahead bound
                call.waiting = True
                self._room.notify_all()
        try:
            return await call.queue.get(deadline)
        finally:
            call.waiting = False

    async def _connected(self, deadline=None, call=None):
        """Opens the connection if need be; given a call (id, frame, PendingCall), queues it once the
        connection takes one more call in flight (foliod refuses calls beyond its --max-calls)."""
        loop = asyncio.get_running_loop()
        while True:
            with self._lock:
                if self._closed:
                    raise Unavailable("client closed")
                if self._sock is None and self._connecting is None:
                    # On a thread: a busy foliod is waited for up to connect_timeout. Started before it is
                    # recorded, so that an interrupt in between leaves a second attempt, never a lost one.
                    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    threading.Thread(target=self._connect_on_thread, args=(sock,), name="folio-connect",
                                     daemon=True).start()
                    self._connecting = sock
                if self._sock is not None and (call is None or self._takes_a_call_locked()):
                    if call is not None:
                        self._queue_call_locked(*call)
                    return
                seen = self._connecting if self._sock is None else self._sock
                if deadline is not None and time.monotonic() >= deadline:
                    raise DeadlineExceeded("no answer within the deadline (connecting to foliod)" if self._sock is None
                                           else slot_wait_message(self._max_calls))
                woken = loop.create_future()
                self._slots.add(woken)
            try:
                await _woken(woken, deadline)
            finally:
                with self._lock:
                    self._slots.discard(woken)
            if seen is not None and self._refused[0] is seen:
                raise self._refused[1]  # nobody listens, or foliod refused the connection: nothing was sent

    def _connect_on_thread(self, sock):
        try:
            self._connect_socket(sock)
            error = None
        except Exception as exc:  # ConnectError, UntrustedSocket
            error = exc
        with self._lock:
            try:
                if self._connecting is sock:
                    self._connecting = None
                if error is not None:
                    self._refused = (sock, error)  # the calls waiting for this connection fail with it
                elif self._closed or self._sock is not None:
                    sock.close()
                else:
                    self._start_connection_locked(sock)
            finally:
                self._slots.notify_all()


class _Waiters(set):
    """Futures of calls waiting, each on its event loop, for a slot or a connection. As a
    threading.Condition's, notify_all() (from any thread, under the client's lock) wakes them all to
    look again."""

    def notify_all(self):
        for fut in self:
            _wake_soon(fut.get_loop(), _set_done, fut)
        self.clear()


class _Answers:
    """A call's answers, put by the reader thread and taken on the loop that made the call."""

    def __init__(self, loop):
        self._loop = loop
        self._items = collections.deque()  # append and popleft are atomic
        self._waiter = None

    def put(self, item):
        self._items.append(item)
        _wake_soon(self._loop, self._wake)  # the waiter is looked at on the loop: no wake-up is missed

    def _wake(self):
        if self._waiter is not None:
            _set_done(self._waiter)

    def empty(self):
        return not self._items

    async def get(self, deadline):
        """The next answer; asyncio.TimeoutError once `deadline` has passed without one."""
        while not self._items:
            if deadline is not None and time.monotonic() >= deadline:
                raise asyncio.TimeoutError
            self._waiter = self._loop.create_future()
            try:
                await _woken(self._waiter, deadline)
            finally:
                self._waiter = None
        return self._items.popleft()


async def _woken(fut, deadline):
    """Awaits `fut`, set by a wake-up, but not past `deadline` nor longer than RECHECK."""
    wait = RECHECK if deadline is None else min(RECHECK, max(0.0, deadline - time.monotonic()))
    timer = fut.get_loop().call_later(wait, _set_done, fut)
    try:
        await fut
    finally:
        timer.cancel()


def _set_done(fut):
    if not fut.done():
        fut.set_result(None)


def _wake_soon(loop, callback, *args):
    """Runs `callback` on `loop`, from any thread; not when that loop is closed (nobody waits on it)."""
    try:
        loop.call_soon_threadsafe(callback, *args)
    except RuntimeError:
        pass
