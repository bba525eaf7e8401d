#!/usr/bin/env python3
"""Writes Tests/Fixtures/pdf/image-caption.pdf (about 2 KB): a headline, a paragraph, an image
box, a caption set in the body's own type right under it, and a paragraph going on under the
caption; standard-14 fonts (Courier for equal line widths), written byte by byte with the
writer of Fuzz/pdf_seeds.py. For the FolioPDF test of captions told by image boxes.

    Tests/Tools/make_image_caption_pdf.py
"""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "Fuzz"))
import pdf_seeds  # noqa: E402

FONTS = b"<< /F1 << /Type /Font /Subtype /Type1 /BaseFont /Courier >> " \
        b"/F2 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >> >>"


def line(x, y, s, font=b"F1", size=10):
    return b"BT /%s %d Tf %d %d Td (%s) Tj ET\n" % (font, size, x, y, s)


content = line(40, 760, b"Bridge Opens To Traffic", b"F2", 22)
first = [b"    The new bridge over the river opened", b"to traffic this morning after two years",
         b"of work by more than four hundred people", b"from the city."]
for i, s in enumerate(first):
    content += line(40, 730 - 12 * i, s)
content += b"q 240 0 0 120 40 550 cm /Im1 Do Q\n"
content += line(40, 536, b"Cars cross the bridge at dawn.")
second = [b"    The mayor said the bridge would cut", b"the drive to the airport by half an hour",
          b"for people living on the east bank."]
for i, s in enumerate(second):
    content += line(40, 510 - 12 * i, s)

objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
           b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
           b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
           b"/Resources << /Font %s /XObject << /Im1 5 0 R >> >> >>" % FONTS,
           pdf_seeds.stream(content),
           # 4 x 2 pixels placed 240 x 120: poppler's image box is only right when the aspect matches.
           pdf_seeds.stream(bytes([0x9A] * 8), extra=b" /Type /XObject /Subtype /Image /Width 4 /Height 2 "
                                                     b"/ColorSpace /DeviceGray /BitsPerComponent 8")]
(ROOT / "Tests/Fixtures/pdf/image-caption.pdf").write_bytes(pdf_seeds.pdf(objects))
