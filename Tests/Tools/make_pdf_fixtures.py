#!/usr/bin/env python3
"""Writes the small PDFs the FolioPDF and CLI tests read (Tests/Fixtures/pdf/).

    Tests/Tools/make_pdf_fixtures.py [--fonts DIR]

two-page.pdf: page 1 a masthead, a headline over two columns, a byline, three indented
paragraphs flowing across the column break, a grey photo box and its caption with a credit;
page 2 a rubric bar, a kicker, a headline, a subtitle and one paragraph. Invented text.
Needs WeasyPrint and the CJK fonts cut by Tests/Tools/pdfbed/make_bed.py (DIR, default
~/.cache/folio-pdfbed). The scanned (no text layer) case is Tests/Fixtures/pdfbed/scanned-*.pdf.

text-then-scan.pdf: image-caption.pdf (Tests/Tools/make_image_caption_pdf.py) then that scanned
page, joined by poppler's pdfunite (written here too when pdfunite is installed).
"""
import argparse
import glob
import os
import shutil
import subprocess

import weasyprint

BODY = [
    '本报北京１月３日电　今年以来，这个城市加快建设新的公路和桥梁，全市的交通状况有了明显的改善，'
    '群众出行更加方便。有关部门表示，明年还将继续加大投入，把更多的道路建设项目列入计划。',
    '记者在现场看到，工人们正在紧张地施工，一辆辆汽车来回运送材料，工地上一片繁忙的景象。'
    '负责工程的同志说，他们一定要保证工程质量，按时完成任务。',
    '据了解，这些工程完成以后，城市的道路总长度将增加三分之一，交通拥挤的问题将得到进一步解决。',
]

HTML = """<html><head><meta charset="utf-8"><style>
@font-face { font-family: S; src: url(%(serif)s); }
@font-face { font-family: H; src: url(%(sans)s); }
@page { size: 160mm 200mm; margin: 10mm; }
body { font-family: S; font-size: 9pt; line-height: 1.35; margin: 0; }
p { margin: 0; }
.masthead { font-family: H; font-size: 10pt; margin-bottom: 4mm; }
.cols { columns: 2; column-gap: 5mm; }
h1 { column-span: all; font-family: H; font-size: 20pt; line-height: 1.3; margin: 0 0 2mm; }
.deck { column-span: all; font-size: 1.15em; }
.byline { font-family: H; font-size: 0.95em; margin-bottom: 1mm; }
.body { text-indent: 2em; text-align: justify; }
.photo { background: #999; height: 20mm; margin: 1mm 0; break-inside: avoid; }
.cap { font-size: 0.88em; }
.rubric { font-family: H; background: #ddd; margin-bottom: 2mm; }
.latin { font-size: 0.8em; }
</style></head><body>
<div class="masthead">人民日报　1998年1月3日　星期六　第2版</div>
<div class="cols"><h1>城市交通状况明显改善</h1>
<p class="byline">本报记者　王　明</p>
%(body)s
<div class="photo"></div><p class="cap">工人们在新建的大桥上施工。（本报记者李华摄）</p></div>
<div style="break-before: page"></div>
<p class="rubric">■ 经济广角 <span class="latin">JINGJI</span></p>
<p class="deck">抓住机遇加快发展——</p>
<h1>农村市场出现新变化</h1>
<p class="deck">——来自山区的调查</p>
<p class="body">新年前后，记者来到山区的几个县，看到农民的生活有了很大的变化，市场上的商品也越来越多。</p>
</body></html>"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--fonts', default=os.environ.get('PDFBED_CACHE', os.path.expanduser('~/.cache/folio-pdfbed')))
    args = ap.parse_args()
    serif = sorted(glob.glob(os.path.join(args.fonts, 'serif-*.otf')))
    sans = sorted(glob.glob(os.path.join(args.fonts, 'sans-*.otf')))
    if not serif or not sans:
        raise SystemExit('no fonts in %s: run Tests/Tools/pdfbed/make_bed.py once' % args.fonts)
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '../..'))
    out = os.path.join(root, 'Tests/Fixtures/pdf/two-page.pdf')
    html = HTML % {'serif': 'file://' + serif[0], 'sans': 'file://' + sans[0],
                   'body': ''.join('<p class="body">%s</p>' % p for p in BODY)}
    weasyprint.HTML(string=html).write_pdf(out)
    print(out, os.path.getsize(out), 'bytes')
    mixed = os.path.join(root, 'Tests/Fixtures/pdf/text-then-scan.pdf')
    scan = sorted(glob.glob(os.path.join(root, 'Tests/Fixtures/pdfbed/scanned-*.pdf')))[0]
    if shutil.which('pdfunite'):
        subprocess.run(['pdfunite', os.path.join(root, 'Tests/Fixtures/pdf/image-caption.pdf'), scan, mixed], check=True)
        print(mixed, os.path.getsize(mixed), 'bytes')


if __name__ == '__main__':
    main()
