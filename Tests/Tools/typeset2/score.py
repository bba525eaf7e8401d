#!/usr/bin/env python3
"""Run Folio as a black box on every page and score it against the gold.

    python3 score.py [--folio PATH] [DIR ...]      (default: tune held)

For each page pNN and each input (pdf: pNN.pdf; default/raw/layout: the pdftotext dumps)
runs `folio parse FILE --json` and ../shared/eval/score_parse.py GOLD PRED, and prints
the mean score and mean metrics per split and input. Nothing here feeds back into the
typesetter.
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
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
SCORER = os.path.join(REPO, '..', 'shared', 'eval', 'score_parse.py')
INPUTS = ['pdf', 'default', 'raw', 'layout']
METRICS = ['articles.f1', 'sections.acc', 'subtitles.acc', 'paragraphs.f1', 'subheadings.f1',
           'captions.f1', 'credits.f1', 'datelines.recall']


def score_one(folio, gold, src, tmp):
    pred = os.path.join(tmp, 'pred.json')
    with open(pred, 'w') as f:
        r = subprocess.run([folio, 'parse', src, '--json'], stdout=f, stderr=subprocess.PIPE, timeout=120)
    if r.returncode != 0 or os.path.getsize(pred) == 0:
        return None
    r = subprocess.run([sys.executable, SCORER, gold, pred], capture_output=True, text=True)
    out = {}
    for line in r.stdout.splitlines():
        m = re.match(r'^([a-z0-9.]+): ([0-9.]+)$', line.strip())
        if m:
            out[m.group(1)] = float(m.group(2))
    return out if 'score' in out else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--folio', default=os.path.join(REPO, '.build', 'release', 'folio'))
    ap.add_argument('--inputs', default=','.join(INPUTS), help='comma-separated: pdf,default,raw,layout')
    ap.add_argument('--pages', action='store_true', help='print every page\'s score')
    ap.add_argument('dirs', nargs='*')
    args = ap.parse_args()
    dirs = args.dirs or [os.path.join(REPO, 'Tests', 'Fixtures', 'typeset2', s) for s in ('tune', 'held')]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for d in dirs:
            for inp in args.inputs.split(','):
                if inp == 'pdf' and not glob.glob(os.path.join(d, 'p[0-9][0-9].pdf')):
                    print('%-5s pdf      (no PDFs here: Tests/Tools/typeset2/README.md makes them)' % os.path.basename(d.rstrip('/')))
                    continue
                res, fails = [], 0
                for gold in sorted(glob.glob(os.path.join(d, 'p[0-9][0-9].gold.json'))):
                    base = gold[:-len('.gold.json')]
                    src = base + '.pdf' if inp == 'pdf' else '%s.%s.txt' % (base, inp)
                    s = score_one(args.folio, gold, src, tmp)
                    if s is None:
                        fails += 1
                        s = {'score': 0.0}
                    res.append(s)
                    if args.pages:
                        print('  %s %s %.3f' % (os.path.basename(base), inp, s['score']), flush=True)
                mean = lambda k: sum(r.get(k, 0.0) for r in res) / max(1, len(res))
                rows.append((os.path.basename(d.rstrip('/')), inp, len(res), fails, mean('score'),
                             {k: mean(k) for k in METRICS}))
                print('%-5s %-8s pages %d failed %d score %.3f  %s' % (
                    rows[-1][0], inp, len(res), fails, rows[-1][4],
                    ' '.join('%s %.2f' % (k.split('.')[0], v) for k, v in rows[-1][5].items())), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
