"""A fake foliod for tests of what a broken or hostile server may send: it answers each connection's
opening ServerInfo call, and hands every other request to `answer(sock, request)`, which writes
whatever bytes it likes (a zlib bomb, a cut-off frame, endless tiny frames, ...)."""
import os
import socket
import struct
import tempfile
import threading

from folio_client import wire_pb2
from folio_client.frames import FrameReader, encode_frame


def response_frame(call_id, body=b"", code=None, message="", compress=False):
    env = wire_pb2.Response(id=call_id, body=body)
    if code is not None:
        env.status.code = code
        env.status.message = message
    return encode_frame(env.SerializeToString(), compress)


def raw_frame(flags, payload, length=None):
    return struct.pack(">BI", flags, len(payload) if length is None else length) + payload


class FakeFoliod:
    def __init__(self, answer):
        self.answer = answer
        self.dir = tempfile.mkdtemp(prefix="folio-fake-")
        self.socket = os.path.join(self.dir, "s.sock")
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self.socket)
        self._listener.listen(16)
        self._stopped = threading.Event()
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def _accept_loop(self):
        while not self._stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        reader = FrameReader()
        try:
            while not self._stopped.is_set():
                data = conn.recv(65536)
                if not data:
                    return
                reader.feed(data)
                while (frame := reader.get_frame()) is not None:
                    req = wire_pb2.Request.FromString(frame.payload)
                    if req.cancel:
                        continue
                    if req.method.endswith("/ServerInfo"):
                        conn.sendall(response_frame(req.id, code=0))
                    elif self.answer(conn, req) is False:
                        return
        except OSError:
            pass
        finally:
            conn.close()

    def stop(self):
        self._stopped.set()
        self._listener.close()
        os.unlink(self.socket)
        os.rmdir(self.dir)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
