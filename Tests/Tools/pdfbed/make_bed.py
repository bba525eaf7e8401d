#!/usr/bin/env python3
"""Builds the PDF test bed: pages typeset with WeasyPrint from PFR days 1-20, their gold, and
their text as poppler's pdftotext extracts it (default, -raw, -layout).

    Tests/Tools/pdfbed/make_bed.py [--out Tests/Fixtures/pdfbed] [--seed 11] [--pages 40]

dev pages come from days 1-15, held-out pages from days 16-20. Same seed, same texts.
"""
import argparse
import glob
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import compose  # noqa: E402
import fonts  # noqa: E402
import gold  # noqa: E402
import source  # noqa: E402
from layout import Page, PUBLICATIONS, RUBRICS  # noqa: E402

CORPUS = os.path.join(HERE, '../../../../shared/corpus/pfr1998/articles-01-20.jsonl')
SPLITS = {'dev': range(1, 16), 'heldout': range(16, 21)}
MODES = {'default': [], 'raw': ['-raw'], 'layout': ['-layout']}
MAX_PDF_BYTES = 150_000


def page_spec(rng, index):
    size = rng.choice([(297, 420), (320, 460), (350, 500)])
    script = 'simplified'
    if index % 3 == 2:  # a third of the pages are Traditional
        script = rng.choice(['s2t', 's2tw'])
    return {'size': size, 'margin': rng.choice([10, 12, 14]), 'ncols': rng.choice([4, 5, 5, 6]),
            'gutter': rng.choice([3.5, 4, 5]), 'body_pt': rng.choice([8.5, 9, 9, 9.5]),
            'head_pt': rng.choice([20, 22, 24, 26]), 'script': script,
            # leading of 1.5 em or more makes pdftotext split every visual line into its own block
            'leading': rng.choice([1.3, 1.35, 1.4, 1.45])}


def story_strings(stories):
    out = []
    for s in stories:
        out += [s.headline, s.subtitle, s.deck] + [b.text for b in s.blocks]
        out += [t for c in s.captions for t in c] + list(s.byline.names if s.byline else [])
        out += s.dateline.reporters if s.dateline else []
        out += [s.dateline.place] if s.dateline and s.dateline.place else []
        out += [e for es in s.entities.values() for e in es]
    return [t for t in out if t]


def complete(page, markup):
    """True when every character of the markup was laid out on the page. WeasyPrint neither
    breaks nor reports a band that runs past the sheet: columns inside a float that do not fit
    are dropped silently, so the page count alone does not tell."""
    from weasyprint.formatting_structure import boxes
    body = markup[markup.index('<body>'):]
    want = len(re.sub(r'\s+', '', html.unescape(re.sub(r'<[^>]*>', '', body))))
    laid = sum(len(re.sub(r'\s+', '', b.text)) for b in page._page_box.descendants()
               if isinstance(b, boxes.TextBox))
    return laid == want


def build_page(rng, index, stories_by_day, used, font_urls):
    from weasyprint import HTML
    fresh = {d: [s for s in ss if s.id not in used] for d, ss in stories_by_day.items()}
    days = sorted(d for d, ss in fresh.items() if len(ss) >= 15) or sorted(d for d, ss in fresh.items() if ss)
    pool = fresh[rng.choice(days)]
    start_page = rng.choice(sorted({s.page for s in pool}))
    queue = [s for s in pool if s.page == start_page]
    rest = [s for s in pool if s.page != start_page]
    rng.shuffle(queue)
    rng.shuffle(rest)
    queue += rest
    # photos are scarce in the source: bring stories with pictures forward
    pics = [s for s in queue if s.captions][:rng.randint(2, 5)]
    # and so are subheadings: a story that has some, early enough not to be cut before them
    subs = [s for s in queue if s not in pics and any(b.kind == 'subheading' for b in s.blocks[:6])]
    subs = subs[:rng.randint(1, 2)]
    queue = pics + subs + [s for s in queue if s not in pics and s not in subs]
    page = Page(rng, page_spec(rng, index))
    page.conv.prime(story_strings(queue) + [n for n, _ in RUBRICS])
    page.page_credit = '' if rng.random() < 0.3 else None
    compose.fill(page, queue)
    header, info = compose.masthead(page, queue[0].date if queue else pool[0].date, start_page,
                                    rng.choice(PUBLICATIONS))
    if page.page_credit:
        page.page_credit_line = page.conv.text('本版图片由%s摄' % page.page_credit)
        page.page_credit_name = page.page_credit.split('记者')[-1]
    for _ in range(12):
        markup, credit_printed = compose.to_html(page, header, font_urls)
        doc = HTML(string=markup).render()
        if len(doc.pages) == 1 and complete(doc.pages[0], markup):
            break
        compose.drop_last_story(page)
    else:
        raise RuntimeError('page %d does not fit on one sheet' % index)
    for band in page.bands:
        for mod in band:
            for st in mod['stories']:
                used.add(st['src'].id)
    return page, doc, info, credit_printed, markup


def extract(pdf, number, out, name):
    """The page's text in each pdftotext mode, from the split's PDF (one page per bed page)."""
    for mode, flags in MODES.items():
        os.makedirs(os.path.join(out, mode), exist_ok=True)
        subprocess.run(['pdftotext', '-enc', 'UTF-8', '-f', str(number), '-l', str(number), *flags, pdf,
                        os.path.join(out, mode, name + '.txt')], check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default=os.path.join(HERE, '../../Fixtures/pdfbed'))
    ap.add_argument('--seed', default='11')
    ap.add_argument('--pages', type=int, default=40, help='pages per split')
    ap.add_argument('--corpus', default=CORPUS)
    ap.add_argument('--splits', default='dev,heldout')
    args = ap.parse_args()
    font_urls = fonts.subset_fonts(args.corpus)
    for split in args.splits.split(','):
        days = set(SPLITS[split])
        stories = source.load(args.corpus, days)
        by_day = {}
        for s in stories:
            by_day.setdefault(int(s.date[-2:]), []).append(s)
        out = os.path.join(args.out, split)
        if os.path.isdir(out):
            shutil.rmtree(out)
        os.makedirs(os.path.join(out, 'gold'))
        used = set()
        docs, names = [], []
        for i in range(args.pages):
            rng = random.Random('%s/%s/%d' % (args.seed, split, i))
            page, doc, info, credit_printed, _ = build_page(rng, i, by_day, used, font_urls)
            name = '%s-%02d-%s-p%s' % (split, i, info['date'].replace('-', ''), info['page'])
            g = gold.page_gold(page, name + '.txt', info, credit_printed)
            with open(os.path.join(out, 'gold', name + '.gold.json'), 'w', encoding='utf-8') as f:
                json.dump(g, f, ensure_ascii=False, indent=1)
                f.write('\n')
            docs.append(doc)
            names.append(name)
            print('%s: %d articles, %d columns, %s' % (name, len(g['articles']), page.ncols, page.spec['script']),
                  flush=True)
        # One PDF per split: WeasyPrint subsets the fonts once, not once per page.
        pdf = os.path.join(out, split + '.pdf')
        docs[0].copy([p for d in docs for p in d.pages]).write_pdf(pdf)
        for i, name in enumerate(names):
            extract(pdf, i + 1, out, name)
        with open(os.path.join(out, 'pages.txt'), 'w') as f:
            f.write(''.join('%d %s\n' % (i + 1, n) for i, n in enumerate(names)))
        if split == 'dev':
            for old in glob.glob(os.path.join(args.out, 'scanned-*.pdf')):
                os.remove(old)
            scanned(pdf, os.path.join(args.out, 'scanned-' + names[0] + '.pdf'))


def scanned(pdf, target):
    """The first page as an image-only PDF (no text layer), for the PDF-ingest refusal test."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(['pdftoppm', '-r', '60', '-gray', '-jpeg', '-jpegopt', 'quality=40', '-f', '1', '-l', '1',
                        '-singlefile', pdf, os.path.join(tmp, 'page')], check=True)
        subprocess.run(['img2pdf', '--output', target, os.path.join(tmp, 'page.jpg')], check=True)


if __name__ == '__main__':
    main()
