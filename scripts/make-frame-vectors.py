#!/usr/bin/env python3
"""Writes the golden frame vectors in Tests/Fixtures/frames/ (see the README there).

Every vector is <name>.bin (bytes on the wire: one or more frames) and <name>.json (what the bytes
hold). Messages come from the code protoc generates from Protos/ (into a temporary folder), zlib is
the system zlib at level 1, so the output is deterministic.

Usage: scripts/make-frame-vectors.py [--check]   (--check: fail when the committed vectors differ)
"""
import base64
import filecmp
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "Tests", "Fixtures", "frames")

MAX_FRAME_BYTES = 4 * 1024 * 1024
MAX_INFLATED_BYTES = 16 * 1024 * 1024
COMPRESS_THRESHOLD = 1024
FLAG_ZLIB = 0x01
METHOD_PREFIX = "/folio.v1.Folio/"


def load_protos(scratch):
    """Generates Python code for Protos/ into `scratch` and imports it."""
    protos = os.path.join(ROOT, "Protos")
    files = sorted(os.path.join(protos, "folio", "v1", f)
                   for f in os.listdir(os.path.join(protos, "folio", "v1")) if f.endswith(".proto"))
    subprocess.run(["protoc", "-I", protos, "--python_out=" + scratch] + files, check=True)
    for pkg in ("folio", os.path.join("folio", "v1")):
        open(os.path.join(scratch, pkg, "__init__.py"), "a").close()
    sys.path.insert(0, scratch)
    from folio.v1 import model_pb2, service_pb2, wire_pb2  # noqa: E402
    from google.protobuf import json_format  # noqa: E402
    return model_pb2, service_pb2, wire_pb2, json_format


def frame(payload, flags):
    return struct.pack(">BI", flags, len(payload)) + payload


class Writer:
    def __init__(self, out_dir, json_format, wire_pb2):
        self.out_dir = out_dir
        self.json_format = json_format
        self.wire = wire_pb2
        self.names = []

    def to_json(self, message):
        return self.json_format.MessageToDict(message)

    def frame_entry(self, envelope, body_message, compressed, canonical, offset, wire_bytes):
        flags, length = struct.unpack(">BI", wire_bytes[:5])
        entry = {
            "offset": offset,
            "flags": flags,
            "length": length,
            "compressed": compressed,
            "payloadLength": len(envelope.SerializeToString()),
            "canonical": canonical,
            "envelopeType": "folio.v1." + type(envelope).__name__,
            "envelope": self.to_json(envelope),
        }
        if body_message is not None:
            entry["bodyType"] = body_message.DESCRIPTOR.full_name
            entry["body"] = self.to_json(body_message)
        return entry

    def valid(self, name, description, direction, messages, force=None):
        """messages: [(envelope, body message or None)]; force: {index: "zlib"|"plain"} to override the rule."""
        force = force or {}
        data, frames = b"", []
        for i, (envelope, body) in enumerate(messages):
            if body is not None:
                assert envelope.body == body.SerializeToString(), name
            payload = envelope.SerializeToString()
            by_rule = len(payload) >= COMPRESS_THRESHOLD
            mode = force.get(i)
            compressed = by_rule if mode is None else mode == "zlib"
            wire = frame(zlib.compress(payload, 1), FLAG_ZLIB) if compressed else frame(payload, 0)
            frames.append(self.frame_entry(envelope, body, compressed, compressed == by_rule, len(data), wire))
            data += wire
        self.write(name, {"name": name, "description": description, "direction": direction,
                          "valid": True, "frames": frames, "error": None}, data)

    def invalid(self, name, description, direction, data, kind, status, frames=None, header=None):
        doc = {"name": name, "description": description, "direction": direction, "valid": False,
               "frames": frames or [], "error": {"kind": kind, "status": status}}
        if header is not None:
            doc["error"]["header"] = header
        self.write(name, doc, data)

    def write(self, name, doc, data):
        doc["limits"] = {"maxFrameBytes": MAX_FRAME_BYTES, "maxInflatedBytes": MAX_INFLATED_BYTES}
        doc["totalBytes"] = len(data)
        with open(os.path.join(self.out_dir, name + ".bin"), "wb") as f:
            f.write(data)
        with open(os.path.join(self.out_dir, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=2)
            f.write("\n")
        self.names.append(name)


# Synthetic newspaper text (written for these vectors; nothing from the corpus).
PARAGRAPHS = [
    "本报讯 记者王明报道 近日，锦州港新建的集装箱码头正式投入运营，年设计吞吐能力达到一百二十万标准箱。",
    "港口负责人介绍，新码头配备了自动化岸桥和智能理货系统，船舶平均在港时间缩短了百分之十八。",
    "今年前十个月，锦州港累计完成货物吞吐量八千六百万吨，同比增长百分之七点三，外贸航线增加到二十二条。",
    "“我们将继续完善集疏运体系，让东北腹地的货物更快走向海外。”港口集团董事长李华说。",
    "据了解，锦州市还将推进铁路专用线建设，打通港口与产业园区之间的最后一公里，降低企业物流成本。",
]


def build_article(model_pb2, paragraphs, article_id="p2022-10-14-03-01"):
    art = model_pb2.Article(id=article_id, page_id="p2022-10-14-03", section="錦州腳步",
                            headline="锦州港新码头投入运营", subtitle="年设计吞吐能力一百二十万标准箱",
                            date="2022-10-14")
    art.bylines.add(name="王明", role="本报记者", line=5)
    art.dateline.agency = "本报讯"
    art.dateline.reporters.append("王明")
    art.dateline.text = "本报讯 记者王明报道"
    art.dateline.line = 7
    for i, text in enumerate(paragraphs):
        art.body.add(kind=model_pb2.BLOCK_KIND_PARAGRAPH, text=text, lines=[7 + 2 * i])
    place = art.entities.add(type=model_pb2.ENTITY_TYPE_PLACE, text="锦州港", normalized="锦州港")
    place.mentions.add(block=0, start=14, end=17)
    qty = art.entities.add(type=model_pb2.ENTITY_TYPE_QUANTITY, text="八千六百万吨", normalized="86000000 吨")
    qty.quantity.value = 86000000
    qty.quantity.unit = "吨"
    art.lines.first = 1
    art.lines.last = 7 + 2 * len(paragraphs)
    return art


def make_vectors(w, model_pb2, service_pb2, wire_pb2):
    Req, Resp = wire_pb2.Request, wire_pb2.Response
    M = METHOD_PREFIX
    ZLIB = [wire_pb2.ENCODING_ZLIB]

    # --- requests -------------------------------------------------------------------------
    health = service_pb2.HealthRequest()
    w.valid("request-health-empty-body", "Health request: an empty body (HealthRequest has no fields).",
            "request", [(Req(id=1, method=M + "Health", body=health.SerializeToString()), health)])

    get = service_pb2.GetArticleRequest(article_id="p2022-10-14-03-01", script=service_pb2.OUTPUT_SCRIPT_SIMPLIFIED)
    w.valid("request-get-article", "GetArticle with a deadline, one metadata entry and zlib accepted.",
            "request", [(Req(id=2, method=M + "GetArticle", body=get.SerializeToString(), timeout_ms=250,
                             metadata={"client": "golden-vectors"}, accept_encodings=ZLIB), get)])

    search = service_pb2.SearchRequest(query="锦州港 -码头 section:錦州腳步", limit=20, snippet_chars=60)
    w.valid("request-search", "Search request with query operators, accepting zlib.",
            "request", [(Req(id=3, method=M + "Search", body=search.SerializeToString(), accept_encodings=ZLIB), search)])

    w.valid("request-cancel", "Cancel the call with id 3 (method and body empty).",
            "request", [(Req(id=3, cancel=True), None)])

    ingest = service_pb2.IngestRequest(text="\n\n".join(PARAGRAPHS * 3), source="jinzhou-2022-10-14-03.txt",
                                       info=model_pb2.PageInfo(publication="锦州日报", date="2022-10-14", page_label="03"))
    ingest_env = Req(id=4, method=M + "Ingest", body=ingest.SerializeToString(), timeout_ms=5000, accept_encodings=ZLIB)
    w.valid("request-ingest-zlib", "Ingest of a page text: payload >= 1024 B, so zlib level 1 (flags 0x01).",
            "request", [(ingest_env, ingest)])
    w.valid("request-ingest-plain", "The same Ingest sent uncompressed: valid, though Folio's rule would compress it.",
            "request", [(ingest_env, ingest)], force={0: "plain"})

    # --- responses ------------------------------------------------------------------------
    ok = wire_pb2.Status(code=wire_pb2.OK)
    hres = service_pb2.HealthResponse(status=service_pb2.HealthResponse.SERVING_STATUS_SERVING, pages=1, articles=6)
    w.valid("response-health", "Health response: body and status OK on the same (last) frame.",
            "response", [(Resp(id=1, body=hres.SerializeToString(), status=ok), hres)])

    w.valid("response-empty-body-ok", "A call that answers an empty message (DeletePageResponse with defaults) and OK.",
            "response", [(Resp(id=9, status=ok), service_pb2.DeletePageResponse())])

    article = build_article(model_pb2, PARAGRAPHS)
    w.valid("response-get-article-zlib", "GetArticle response, payload >= 1024 B: zlib level 1.",
            "response", [(Resp(id=2, body=article.SerializeToString(), status=ok), article)])
    w.valid("response-get-article-plain", "The same response uncompressed (client did not accept zlib).",
            "response", [(Resp(id=2, body=article.SerializeToString(), status=ok), article)], force={0: "plain"})

    small = service_pb2.ConvertResponse(text="錦州港")
    w.valid("response-small-zlib", "A small payload compressed anyway: decoders must accept it; Folio's rule sends it plain.",
            "response", [(Resp(id=6, body=small.SerializeToString(), status=ok), small)], force={0: "zlib"})

    not_found = wire_pb2.Status(code=wire_pb2.NOT_FOUND, message="article p9999-01 not found")
    w.valid("response-status-not-found", "Error status frame: NOT_FOUND, no body.",
            "response", [(Resp(id=5, status=not_found), None)])

    conn_err = wire_pb2.Status(code=wire_pb2.RESOURCE_EXHAUSTED, message="frame of 4194305 bytes exceeds the 4194304-byte limit")
    w.valid("response-connection-error", "Connection-level error: Response id 0 with a status, sent before closing.",
            "response", [(Resp(id=0, status=conn_err), None)])

    # A SearchStream: three hits (one body per frame, no status), then a frame with only the status.
    stream = []
    for i, (aid, score) in enumerate([("p2022-10-14-03-01", 12.5), ("p2022-10-14-03-04", 7.25), ("p2022-10-15-01-02", 3.0)]):
        hit = service_pb2.SearchHit(article_id=aid, page_id=aid[:-3], score=score, headline="锦州港新码头投入运营",
                                    snippet=PARAGRAPHS[i][:40], section="錦州腳步", date="2022-10-1" + ("5" if i == 2 else "4"))
        hit.highlights.add(start=14 if i == 0 else 0, end=17 if i == 0 else 3)
        stream.append((Resp(id=7, body=hit.SerializeToString()), hit))
    stream.append((Resp(id=7, status=ok), None))
    w.valid("response-search-stream", "SearchStream: three SearchHit frames then the status frame (id 7).",
            "response", stream)

    # Two calls answered out of order, interleaved on one connection.
    s2 = service_pb2.ConvertResponse(text="锦州港")
    w.valid("response-interleaved", "Calls 11 and 10 answered out of order; 10 is NOT_FOUND.",
            "response", [(Resp(id=11, body=s2.SerializeToString(), status=ok), s2),
                         (Resp(id=10, status=wire_pb2.Status(code=wire_pb2.NOT_FOUND, message="page p1 not found")), None)])

    bigsearch = service_pb2.SearchResponse(total=40, next_page_token="20", took_micros=412)
    for i in range(20):
        hit = bigsearch.hits.add(article_id="p2022-10-%02d-01-%02d" % (1 + i % 28, i + 1), page_id="p2022-10-%02d-01" % (1 + i % 28),
                                 score=20.0 - i * 0.5, headline="锦州港新码头投入运营", snippet=PARAGRAPHS[i % 5][:50],
                                 section="錦州腳步", date="2022-10-%02d" % (1 + i % 28))
        hit.highlights.add(start=0, end=3)
    w.valid("response-search-zlib", "Search response with 20 hits: compressed.",
            "response", [(Resp(id=3, body=bigsearch.SerializeToString(), status=ok), bigsearch)])

    # --- invalid --------------------------------------------------------------------------
    hb = Req(id=1, method=M + "Health").SerializeToString()
    whole = frame(hb, 0)
    w.invalid("invalid-truncated-header", "Only 3 of the 5 header bytes: the stream ends inside a frame header.",
              "request", whole[:3], "truncated", None)
    w.invalid("invalid-truncated-payload", "Header announces %d payload bytes, only %d follow." % (len(hb), len(hb) - 7),
              "request", whole[:-7], "truncated", None, header={"flags": 0, "length": len(hb)})
    over = MAX_FRAME_BYTES + 1
    w.invalid("invalid-frame-too-large", "Header announces %d bytes (limit %d): refuse on the header, do not wait for the payload."
              % (over, MAX_FRAME_BYTES), "request", struct.pack(">BI", 0, over) + b"\x08\x01" * 8,
              "frame_too_large", "RESOURCE_EXHAUSTED", header={"flags": 0, "length": over})
    for flags in (0x02, 0x80):
        w.invalid("invalid-reserved-flags-0x%02x" % flags, "Flags 0x%02x: a reserved bit is set (payload is a fine Health request)." % flags,
                  "request", frame(hb, flags), "reserved_flags", "INVALID_ARGUMENT", header={"flags": flags, "length": len(hb)})
    bomb_payload = Req(id=1, method=M + "Ingest", body=b"\0" * (MAX_INFLATED_BYTES + 1)).SerializeToString()
    bomb = zlib.compress(bomb_payload, 9)
    w.invalid("invalid-zlib-bomb", "A %d-byte zlib payload that inflates to %d bytes (> %d): stop inflating at the limit."
              % (len(bomb), len(bomb_payload), MAX_INFLATED_BYTES), "request", frame(bomb, FLAG_ZLIB),
              "inflated_too_large", "RESOURCE_EXHAUSTED", header={"flags": FLAG_ZLIB, "length": len(bomb)})
    garbage = b"this is not a zlib stream"
    w.invalid("invalid-bad-zlib", "Flag 0x01 but the payload is not a zlib stream.", "request", frame(garbage, FLAG_ZLIB),
              "bad_zlib", "INVALID_ARGUMENT", header={"flags": FLAG_ZLIB, "length": len(garbage)})
    bad = b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
    w.invalid("invalid-bad-envelope", "A well-formed frame whose payload is not a protobuf Request.", "request", frame(bad, 0),
              "bad_envelope", "INVALID_ARGUMENT", header={"flags": 0, "length": len(bad)})


def main():
    check = "--check" in sys.argv[1:]
    with tempfile.TemporaryDirectory() as scratch:
        gen = os.path.join(scratch, "gen")
        os.mkdir(gen)
        model_pb2, service_pb2, wire_pb2, json_format = load_protos(gen)
        out = os.path.join(scratch, "out") if check else OUT_DIR
        os.makedirs(out, exist_ok=True)
        w = Writer(out, json_format, wire_pb2)
        make_vectors(w, model_pb2, service_pb2, wire_pb2)
        with open(os.path.join(out, "index.json"), "w") as f:
            json.dump({"vectors": w.names}, f, indent=2)
            f.write("\n")
        if check:
            files = sorted(os.listdir(out))
            _, mismatch, errors = filecmp.cmpfiles(out, OUT_DIR, files, shallow=False)
            stale = sorted(set(os.listdir(OUT_DIR)) - set(files) - {"README.md"})
            if mismatch or errors or stale:
                print("frame vectors out of date: %s; run scripts/make-frame-vectors.py" % (mismatch + errors + stale), file=sys.stderr)
                return 1
            print("frame vectors are up to date (%d vectors)" % len(w.names))
        else:
            print("wrote %d vectors to %s" % (len(w.names), os.path.relpath(OUT_DIR, ROOT)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
