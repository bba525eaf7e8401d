"""Every golden vector in Tests/Fixtures/frames decodes (whole and byte by byte) and re-encodes to the
same bytes; every invalid one is refused with its documented kind and status."""
import json
import os
import struct
import zlib

import pytest
from google.protobuf import json_format, symbol_database
from google.protobuf.message import DecodeError

from conftest import FRAMES_DIR
from folio_client import FrameError, FrameReader, StatusCode, encode_frame, wire_pb2
from folio_client.protocol import parse_body


def load(name):
    with open(os.path.join(FRAMES_DIR, name + ".json"), encoding="utf-8") as f:
        doc = json.load(f)
    with open(os.path.join(FRAMES_DIR, name + ".bin"), "rb") as f:
        return doc, f.read()


with open(os.path.join(FRAMES_DIR, "index.json")) as _f:
    NAMES = json.load(_f)["vectors"]
VALID = [n for n in NAMES if load(n)[0]["valid"]]
INVALID = [n for n in NAMES if not load(n)[0]["valid"]]
ENVELOPES = {"request": wire_pb2.Request, "response": wire_pb2.Response}


def test_the_vectors_are_there():
    assert len(VALID) >= 10 and len(INVALID) >= 6


def read_all(data, chunk):
    reader, out = FrameReader(), []
    for i in range(0, len(data), chunk):
        reader.feed(data[i:i + chunk])
        while (frame := reader.get_frame()) is not None:
            out.append(frame)
    reader.finish()
    return out


@pytest.mark.parametrize("name", VALID)
@pytest.mark.parametrize("chunk", [1 << 20, 1, 7])
def test_valid_vector_decodes(name, chunk):
    doc, data = load(name)
    frames = read_all(data, chunk)
    assert len(frames) == len(doc["frames"])
    for frame, want in zip(frames, doc["frames"]):
        assert frame.flags == want["flags"]
        assert frame.compressed == want["compressed"]
        assert len(frame.payload) == want["payloadLength"]
        cls = ENVELOPES[doc["direction"]]
        env = cls.FromString(frame.payload)
        assert env == json_format.ParseDict(want["envelope"], cls())
        if "bodyType" in want:
            body_cls = symbol_database.Default().GetSymbol(want["bodyType"])
            assert parse_body(body_cls, env.body) == json_format.ParseDict(want["body"], body_cls())


@pytest.mark.parametrize("name", VALID)
def test_valid_vector_encodes_exactly(name):
    doc, data = load(name)
    for want in doc["frames"]:
        cls = ENVELOPES[doc["direction"]]
        payload = json_format.ParseDict(want["envelope"], cls()).SerializeToString()
        expected = data[want["offset"]:want["offset"] + 5 + want["length"]]
        if want["canonical"]:
            assert encode_frame(payload) == expected
        elif want["compressed"]:
            assert struct.pack(">BI", 1, want["length"]) + zlib.compress(payload, 1) == expected
        else:
            assert encode_frame(payload, compress=False) == expected


@pytest.mark.parametrize("name", INVALID)
@pytest.mark.parametrize("chunk", [1 << 20, 1])
def test_invalid_vector_is_refused(name, chunk):
    doc, data = load(name)
    kind, status = doc["error"]["kind"], doc["error"]["status"]
    with pytest.raises(FrameError) as info:
        for frame in read_all(data, chunk):
            parse_envelope(doc["direction"], frame.payload)
    assert info.value.kind == kind
    if status is not None:
        assert info.value.code == StatusCode[status]


def parse_envelope(direction, payload):
    try:
        ENVELOPES[direction].FromString(payload)
    except DecodeError as exc:
        raise FrameError("bad_envelope", str(exc), StatusCode.INVALID_ARGUMENT)


def test_truncated_stream_waits_then_fails_at_end():
    doc, data = load("invalid-truncated-payload")
    reader = FrameReader()
    reader.feed(data)
    assert reader.get_frame() is None and reader.pending == len(data)
    with pytest.raises(FrameError) as info:
        reader.finish()
    assert info.value.kind == "truncated"


def test_oversized_length_is_refused_from_the_header_alone():
    reader = FrameReader()
    reader.feed(struct.pack(">BI", 0, 4 * 1024 * 1024 + 1))
    with pytest.raises(FrameError) as info:
        reader.get_frame()
    assert info.value.code == StatusCode.RESOURCE_EXHAUSTED
    with pytest.raises(FrameError):  # sticky: the stream cannot be resynchronised
        reader.get_frame()


def test_limits_are_configurable():
    payload = b"\x08\x01" * 600
    reader = FrameReader(max_frame_bytes=2048, max_inflated_bytes=1000)
    reader.feed(encode_frame(payload))
    with pytest.raises(FrameError) as info:
        reader.get_frame()
    assert info.value.kind == "inflated_too_large"


def test_several_frames_in_one_feed():
    a = encode_frame(wire_pb2.Response(id=1).SerializeToString())
    b = encode_frame(wire_pb2.Response(id=2, body=b"x" * 2000).SerializeToString())
    frames = read_all(a + b + a, 1 << 20)
    assert [wire_pb2.Response.FromString(f.payload).id for f in frames] == [1, 2, 1]
    assert [f.compressed for f in frames] == [False, True, False]
