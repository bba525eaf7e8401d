"""Small PDFs for the `pdf` fuzz target (Fuzz/corpus/pdf/), written byte by byte so that they stay a
few hundred bytes (the test fixtures embed CJK font subsets and are 100 KB): standard-14 fonts, a
header row, a headline, two columns of text, an image box with a caption, a Flate-compressed page,
two pages, and cut or damaged copies. Deterministic; `Fuzz/seeds.py` calls `write`."""
import zlib


def pdf(objects):
    """A PDF from its numbered objects (1-based, bytes without `N 0 obj`), with a correct xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(content, compress=False, extra=b""):
    data = zlib.compress(content) if compress else content
    flate = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Length %d%s%s >>\nstream\n" % (len(data), flate, extra) + data + b"\nendstream"


def text(font, size, x, y, s):
    return b"BT /%s %d Tf %d %d Td (%s) Tj ET\n" % (font, size, x, y, s)


FONTS = b"<< /F1 << /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >> " \
        b"/F2 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >> >>"


def page_content(with_image):
    c = text(b"F1", 8, 40, 760, b"Daily News  1998-01-03  Page 2")
    c += text(b"F2", 22, 40, 720, b"City Traffic Improves")
    for row in range(6):
        c += text(b"F1", 10, 40, 690 - 13 * row, b"Left column line %d of the story." % row)
        c += text(b"F1", 10, 300, 690 - 13 * row, b"Right column line %d goes on." % row)
    if with_image:
        c += b"q 120 0 0 80 40 520 cm /Im1 Do Q\n"
        c += text(b"F1", 8, 40, 508, b"Workers on the new bridge. (Photo by Li Hua)")
    return c


def document(pages, compress=False):
    """Pages (content bytes, has image) as one PDF."""
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(len(pages)))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages))]
    image_number = 3 + 2 * len(pages)
    for i, (content, has_image) in enumerate(pages):
        xobject = b" /XObject << /Im1 %d 0 R >>" % image_number if has_image else b""
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font %s%s >> >>" % (4 + 2 * i, FONTS, xobject))
        objects.append(stream(content, compress))
    grey = bytes([0x9A] * 4)
    objects.append(stream(grey, extra=b" /Type /XObject /Subtype /Image /Width 2 /Height 2 "
                                      b"/ColorSpace /DeviceGray /BitsPerComponent 8"))
    return pdf(objects)


def write(directory):
    directory.mkdir(parents=True, exist_ok=True)
    one = document([(page_content(True), True)])
    seeds = {
        "one-page-image": one,
        "two-pages": document([(page_content(False), False), (page_content(True), True)]),
        "flate": document([(page_content(True), True)], compress=True),
        "no-text": document([(b"q 120 0 0 80 40 520 cm /Im1 Do Q\n", True)]),
        "cut-half": one[:len(one) // 2],
        "cut-before-eof": one[:-20],
        "bad-xref": one.replace(b"xref", b"xrif"),
    }
    for name, data in seeds.items():
        (directory / name).write_bytes(data)
