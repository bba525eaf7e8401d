#!/usr/bin/env python3
"""Scores `folio parse --json` on the PDF test bed: every split x pdftotext mode.

    Tests/Tools/pdfbed/score_bed.py [--folio PATH] [--bed DIR] [--verbose] [--split S] [--mode M]

PATH defaults to $FOLIO or .build/release/folio; DIR to Tests/Fixtures/pdfbed. Each page's
text is parsed, scored against its gold with ../shared/eval/score_parse.py, and a table of
mean scores (overall and per metric) is printed, one row per split and mode. The held-out
split is for measuring only: never tune on it.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '../../..'))
SCORER = os.path.normpath(os.path.join(ROOT, '../shared/eval/score_parse.py'))
METRICS = ['articles.f1', 'sections.acc', 'subtitles.acc', 'paragraphs.f1', 'subheadings.f1',
           'captions.f1', 'credits.f1', 'datelines.recall']
SHORT = {'articles.f1': 'articles', 'sections.acc': 'sections', 'subtitles.acc': 'subtitles',
         'paragraphs.f1': 'paras', 'subheadings.f1': 'subheads', 'captions.f1': 'captions',
         'credits.f1': 'credits', 'datelines.recall': 'datelines'}
METRIC_LINE = re.compile(r'^([a-z0-9.]+): ([0-9.]+)$', re.M)


def score_page(folio, txt, gold, date):
    """The scorer's metrics for one page, or None when the parser failed on it."""
    cmd = [folio, 'parse', '--json', txt]
    if date:
        cmd[3:3] = ['--date', date]
    r = subprocess.run(cmd, capture_output=True)
    if r.returncode != 0 or not r.stdout.strip():
        return None
    with tempfile.NamedTemporaryFile('wb', suffix='.json', delete=False) as f:
        f.write(r.stdout)
    try:
        out = subprocess.run([sys.executable, SCORER, gold, f.name], capture_output=True, text=True).stdout
    finally:
        os.unlink(f.name)
    m = dict((k, float(v)) for k, v in METRIC_LINE.findall(out))
    return m if 'score' in m else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--folio', default=os.environ.get('FOLIO', os.path.join(ROOT, '.build/release/folio')))
    ap.add_argument('--bed', default=os.path.join(ROOT, 'Tests/Fixtures/pdfbed'))
    ap.add_argument('--split', action='append', help='dev, heldout (default both)')
    ap.add_argument('--mode', action='append', help='default, raw, layout (default all)')
    ap.add_argument('--verbose', action='store_true', help='one line per page')
    args = ap.parse_args()
    if not os.access(args.folio, os.X_OK):
        sys.exit('no folio binary at %s (build: nice swift build -c release --product folio)' % args.folio)
    rows = []
    for split in args.split or ['dev', 'heldout']:
        golds = sorted(glob.glob(os.path.join(args.bed, split, 'gold', '*.gold.json')))
        for mode in args.mode or ['default', 'raw', 'layout']:
            pages = []
            for gold in golds:
                name = os.path.basename(gold)[:-len('.gold.json')]
                txt = os.path.join(args.bed, split, mode, name + '.txt')
                date = json.load(open(gold, encoding='utf-8')).get('info', {}).get('date')
                m = score_page(args.folio, txt, gold, date)
                pages.append(m or {'score': 0.0, **{k: 0.0 for k in METRICS}})
                if args.verbose:
                    print('%s %s %s: %s' % (split, mode, name, '%.3f' % m['score'] if m else 'parse failed'))
            rows.append((split, mode, len(pages), pages))
    head = '%-8s %-8s %5s %6s ' % ('split', 'mode', 'pages', 'score') + ' '.join('%9s' % SHORT[k] for k in METRICS)
    print(head)
    print('-' * len(head))
    for split, mode, n, pages in rows:
        mean = lambda k: sum(p.get(k, 0.0) for p in pages) / n if n else 0.0
        print('%-8s %-8s %5d %6.3f ' % (split, mode, n, mean('score')) + ' '.join('%9.3f' % mean(k) for k in METRICS))


if __name__ == '__main__':
    main()
