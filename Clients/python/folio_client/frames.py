"""Frames: `flags: u8 | length: u32 big-endian | payload`; flag bit 0 = zlib (RFC 1950).

No sockets here: FrameReader is fed bytes and hands out whole frames, so it is tested on the golden
vectors byte by byte. Limits and errors follow SPEC §3 and Tests/Fixtures/frames/README.md.
"""
import struct
import zlib

from .errors import FrameError, StatusCode

HEADER = struct.Struct(">BI")
FLAG_ZLIB = 0x01
RESERVED_FLAGS = 0xFE
COMPRESS_THRESHOLD = 1024          # Folio compresses payloads of at least this many bytes
ZLIB_LEVEL = 1
DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024
DEFAULT_MAX_INFLATED_BYTES = 16 * 1024 * 1024


def encode_frame(payload, compress=True, max_frame_bytes=DEFAULT_MAX_FRAME_BYTES,
                 max_inflated_bytes=DEFAULT_MAX_INFLATED_BYTES):
    """Frames a serialized envelope by Folio's rule: zlib level 1 when `compress` and the payload
    is at least 1024 bytes, plain otherwise. A payload over `max_inflated_bytes` is refused before
    compressing: foliod would take it for a zlib bomb and close the connection."""
    if len(payload) > max_inflated_bytes:
        raise FrameError("inflated_too_large", "payload of %d bytes exceeds the %d-byte limit"
                         % (len(payload), max_inflated_bytes), StatusCode.RESOURCE_EXHAUSTED)
    flags = 0
    if compress and len(payload) >= COMPRESS_THRESHOLD:
        payload, flags = zlib.compress(payload, ZLIB_LEVEL), FLAG_ZLIB
    if len(payload) > max_frame_bytes:
        raise FrameError("frame_too_large", "frame of %d bytes exceeds the %d-byte limit"
                         % (len(payload), max_frame_bytes), StatusCode.RESOURCE_EXHAUSTED)
    return HEADER.pack(flags, len(payload)) + payload


def inflate(data, limit):
    """Inflates a zlib stream, refusing (without inflating further) output beyond `limit` bytes."""
    d = zlib.decompressobj()
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error as exc:
        raise FrameError("bad_zlib", "payload is not a valid zlib stream (%s)" % exc, StatusCode.INVALID_ARGUMENT)
    if len(out) > limit:
        del out  # a traceback keeps its frames' locals: not the 16 MiB inflated so far
        raise FrameError("inflated_too_large", "compressed payload inflates beyond the %d-byte limit" % limit,
                         StatusCode.RESOURCE_EXHAUSTED)
    if not d.eof or d.unused_data:
        raise FrameError("bad_zlib", "payload is not a complete zlib stream", StatusCode.INVALID_ARGUMENT)
    return out


class Frame:
    __slots__ = ("flags", "payload")

    def __init__(self, flags, payload):
        self.flags = flags
        self.payload = payload  # inflated

    @property
    def compressed(self):
        return bool(self.flags & FLAG_ZLIB)


class FrameReader:
    """Accumulates bytes (`feed`) and returns whole frames (`get_frame`, None until one is complete).

    A framing error is raised by `get_frame` and is sticky: the stream cannot be resynchronised.
    An over-long length is refused from the header alone, before its payload arrives.
    """

    def __init__(self, max_frame_bytes=DEFAULT_MAX_FRAME_BYTES, max_inflated_bytes=DEFAULT_MAX_INFLATED_BYTES):
        self.max_frame_bytes = max_frame_bytes
        self.max_inflated_bytes = max_inflated_bytes
        self._buf = bytearray()
        self._error = None

    def feed(self, data):
        if self._error is None:
            self._buf += data

    @property
    def pending(self):
        """Bytes buffered that do not make a whole frame yet."""
        return len(self._buf)

    def get_frame(self):
        if self._error is None:
            try:
                return self._next()
            except FrameError as err:
                self._fail(err.kind, err.message, err.code)
        raise FrameError(*self._error)

    def finish(self):
        """End of stream: raises FrameError(truncated) when a partial frame is left over."""
        if self._error is None and self._buf:
            self._fail("truncated", "stream ended inside a frame (%d bytes left)" % len(self._buf),
                       StatusCode.UNAVAILABLE)
        if self._error is not None:
            raise FrameError(*self._error)

    def _fail(self, kind, message, code):
        # Only the error's words are kept, and raised anew each time: an exception kept here would
        # hold (through its traceback) the frames that read the bad frame and their buffers, up to
        # max_inflated_bytes, in a reference cycle freed only when the cyclic GC happens to run.
        self._error = (kind, message, code)
        self._buf = bytearray()

    def _next(self):
        if len(self._buf) < HEADER.size:
            return None
        flags, length = HEADER.unpack_from(self._buf)
        if flags & RESERVED_FLAGS:
            raise FrameError("reserved_flags", "reserved frame flag bits set (0x%02x)" % flags,
                             StatusCode.INVALID_ARGUMENT)
        if length > self.max_frame_bytes:
            raise FrameError("frame_too_large", "frame of %d bytes exceeds the %d-byte limit"
                             % (length, self.max_frame_bytes), StatusCode.RESOURCE_EXHAUSTED)
        end = HEADER.size + length
        if len(self._buf) < end:
            return None
        payload = bytes(self._buf[HEADER.size:end])
        if flags & FLAG_ZLIB:
            payload = inflate(payload, self.max_inflated_bytes)
        elif length > self.max_inflated_bytes:
            raise FrameError("inflated_too_large", "payload exceeds the %d-byte limit" % self.max_inflated_bytes,
                             StatusCode.RESOURCE_EXHAUSTED)
        # Taken off the buffer only once inflated: a KeyboardInterrupt inside inflate() leaves it to read again.
        del self._buf[:end]
        return Frame(flags, payload)
