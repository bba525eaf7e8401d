#!/usr/bin/env python3
"""Writes the committed seed corpora of the byte-level fuzz targets from the golden frame vectors
and the test pages (Fuzz/corpus/<target>/). The router and store seeds come from the fuzz binaries
themselves (FOLIO_FUZZ_WRITE_SEEDS, see Fuzz/run.sh --seeds), which know the message types."""
import pathlib
import zlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
FRAMES = ROOT / "Tests/Fixtures/frames"
PAGES = ROOT / "Tests/Fixtures/pages"
CORPUS = ROOT / "Fuzz/corpus"
SKIP = {"invalid-zlib-bomb"}  # 16 KB; the unit tests keep it, seeds stay small


def save(target, name, data):
    path = CORPUS / target / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def frames_of(stream):
    """Payloads (inflated) of the whole frames at the start of a byte stream."""
    at = 0
    while at + 5 <= len(stream):
        flags, length = stream[at], int.from_bytes(stream[at + 1:at + 5], "big")
        payload = stream[at + 5:at + 5 + length]
        if len(payload) < length or flags & 0xFE:
            return
        try:
            yield zlib.decompress(payload) if flags & 1 else payload
        except zlib.error:  # the bad-zlib vector
            return
        at += 5 + length


def varint(data, at):
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def field(message, number):
    """The bytes of the first length-delimited field `number` of a protobuf message, or None."""
    at = 0
    while at < len(message):
        key, at = varint(message, at)
        wire = key & 7
        if wire == 0:
            _, at = varint(message, at)
        elif wire == 2:
            length, at = varint(message, at)
            if key >> 3 == number:
                return message[at:at + length]
            at += length
        elif wire == 1:
            at += 8
        elif wire == 5:
            at += 4
        else:
            return None
    return None


for vector in sorted(FRAMES.glob("*.bin")):
    if vector.stem in SKIP:
        continue
    stream = vector.read_bytes()
    save("frame", vector.stem, bytes([0x0F]) + stream)           # reads of 16 bytes
    if vector.stem.startswith("response"):
        save("c-reader", vector.stem, bytes([0x3F]) + stream)    # calls 1-3 in flight
        save("c-reader", vector.stem + "-wait-last", bytes([0xBF]) + stream)
    for number, payload in enumerate(frames_of(stream)):
        save("envelope", f"{vector.stem}-{number}", payload)
        body = field(payload, 2) if vector.stem.startswith("response-get-article") else None
        if body:
            save("envelope", f"{vector.stem}-{number}-article", body)

# Pages: the smallest test pages whole, and the seed page's opening with a source path (dates, labels).
for page in sorted(PAGES.glob("*.txt"), key=lambda p: p.stat().st_size)[:6]:
    save("parser", page.stem, bytes([0]) + page.read_bytes())
seed_page = (ROOT.parent / "shared/corpus/seed-page.txt").read_bytes()
save("parser", "seed-page-head", b"\x01" + b"1998/01/19980101-01.txt\n" + seed_page[:3000].decode("utf-8", "ignore").encode())
save("parser", "dateline-numerals",
     b"\x02" + b"1998-01-01\n" + "本报北京１２月３１日讯 记者张三报道：全年增长百分之八点五，达到三千二百亿元，一九九八年一月一日起施行。\n".encode())

# PDFs: small ones written byte by byte, whole, cut and damaged.
import pdf_seeds  # noqa: E402 (next to this script)
pdf_seeds.write(CORPUS / "pdf")
