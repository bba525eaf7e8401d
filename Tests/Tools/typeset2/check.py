#!/usr/bin/env python3
"""Sanity checks for typeset2 output.

    python3 check.py [DIR ...]          (default: tune held next to this file)

For every page pNN: the gold parses and has >= 2 articles; every gold paragraph
(lead/body), headline and caption appears in the pdftotext output once white space is
removed. "present": the string is covered by pieces (>= 2 characters) found in the text,
i.e. all of it is there though a column break may have put other text between its
pieces (required for the default mode); "contiguous": it appears in one piece (the -raw
dump keeps content-stream order, which is reading order here, so it should be 100%
there, apart from pages that draw pictures last). pdffonts lists only
embedded fonts, among them CJK ones; the gold scores 1.0 against itself with
score_parse.py (it is in the scorer's format); the page regenerates identically.
"""
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
MODES = ['default', 'raw', 'layout']


def nows(s):
    return re.sub(r'\s+', '', s.replace('\u3000', ''))


def cover(t, text):
    """Split t greedily into the longest pieces found in text; None when some piece of
    two or more characters (or a last single character) cannot be found."""
    i, n = 0, 0
    while i < len(t):
        lo, hi = i + 1, len(t)
        if t[i:i + 1] not in text:
            return None
        while lo < hi:  # longest j with t[i:j] in text
            mid = (lo + hi + 1) // 2
            if t[i:mid] in text:
                lo = mid
            else:
                hi = mid - 1
        if lo - i < 2 and lo < len(t):
            return cover_dp(t, text)
        i = lo
        n += 1
    return n


def cover_dp(t, text):
    """Exact version of cover(): fewest pieces (each >= 2 characters, or a last single one)."""
    n = len(t)
    longest = []
    for i in range(n):
        lo, hi = i, n
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if t[i:mid] in text:
                lo = mid
            else:
                hi = mid - 1
        longest.append(lo)
    INF = 10 ** 9
    best = [INF] * (n + 1)
    best[0] = 0
    for i in range(n):
        if best[i] == INF:
            continue
        for j in range(i + 2, longest[i] + 1):
            best[j] = min(best[j], best[i] + 1)
        if longest[i] == n and n - i == 1:
            best[n] = min(best[n], best[i] + 1)
    return None if best[n] == INF else best[n]


def fonts_ok(pdf):
    out = subprocess.run(['pdffonts', pdf], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    names, bad = [], []
    for r in rows:
        parts = r.split()
        # name type... emb sub uni id gen: emb is the 5th field from the end
        emb = parts[-5]
        names.append(parts[0])
        if emb != 'yes':
            bad.append(parts[0])
    cjk = [n for n in names if 'CJK' in n or 'UKai' in n]
    return (not bad and bool(cjk)), names, bad


def check_dir(d):
    pages = sorted(glob.glob(os.path.join(d, 'p[0-9][0-9].gold.json')))
    tot = {m: [0, 0] for m in MODES}
    missing = {m: 0 for m in MODES}
    npieces = {m: 0 for m in MODES}
    problems = []
    n_art = 0
    n_trad = 0
    self_scores = []
    for gp in pages:
        name = gp[:-len('.gold.json')]
        g = json.load(open(gp, encoding='utf-8'))
        arts = g['articles']
        n_art += len(arts)
        n_trad += g.get('script') == 'traditional'
        if len(arts) < 2:
            problems.append('%s: only %d articles' % (name, len(arts)))
        texts = {m: nows(open('%s.%s.txt' % (name, m), encoding='utf-8').read()) for m in MODES}
        for a in arts:
            items = [('headline', a['headline'])]
            items += [('para', b['text']) for b in a['lead'] + a['body']]
            items += [('caption', c['text']) for c in a['captions']]
            for kind, t in items:
                t = nows(t)
                if not t:
                    continue
                for m in MODES:
                    tot[m][1] += 1
                    if t in texts[m]:
                        tot[m][0] += 1
                    pieces = cover(t, texts[m])
                    if pieces is None:
                        missing[m] += 1
                        if m == 'default':
                            problems.append('%s: %s not in default text: %s' % (os.path.basename(name), kind, t[:40]))
                    else:
                        npieces[m] += pieces
        ok, names, bad = fonts_ok(name + '.pdf')
        if not ok:
            problems.append('%s: fonts not embedded or no CJK font: %s' % (name, bad or names))
        # the gold as a prediction: entities as the proto's list form, enums spelled as in proto JSON
        pred = dict(g)
        pred['entities'] = [{'type': 'ENTITY_TYPE_' + {'person': 'PERSON', 'organization': 'ORGANIZATION',
                                                      'place': 'PLACE'}[k], 'text': t}
                            for k, v in g.get('entities', {}).items() for t in v]
        with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False, encoding='utf-8') as tf:
            json.dump(pred, tf, ensure_ascii=False)
        r = subprocess.run([sys.executable, SCORER, gp, tf.name], capture_output=True, text=True)
        os.unlink(tf.name)
        m = re.search(r'score: ([0-9.]+)', r.stdout)
        self_scores.append(float(m.group(1)) if m else 0.0)
        if not m or float(m.group(1)) < 0.999:
            problems.append('%s: self-score %s' % (name, m.group(1) if m else r.stdout[-200:]))
    return pages, tot, problems, n_art, n_trad, self_scores, missing, npieces


def determinism(d):
    """Regenerate the first page of the split and compare gold and text dumps byte for byte."""
    g = json.load(open(os.path.join(d, 'p01.gold.json'), encoding='utf-8'))
    split, seed, _ = g['seed'].split('/')
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(HERE, 'typeset.py'), '--out', tmp, '--split', split,
                        '--pages', '1', '--seed', seed], check=True, capture_output=True)
        same = True
        for suf in ['gold.json', 'default.txt', 'raw.txt', 'layout.txt', 'pdf']:
            a = open(os.path.join(d, 'p01.' + suf), 'rb').read()
            b = open(os.path.join(tmp, 'p01.' + suf), 'rb').read()
            if a != b:
                same = False
                print('  determinism: p01.%s differs' % suf)
        return same


def main(argv):
    dirs = argv[1:] or [os.path.join(REPO, 'Tests', 'Fixtures', 'typeset2', s) for s in ('tune', 'held')]
    failed = False
    for d in dirs:
        pages, tot, problems, n_art, n_trad, ss, missing, npieces = check_dir(d)
        print('== %s: %d pages, %d articles (%.1f per page, min >= 2: %s), %d Traditional pages' % (
            d, len(pages), n_art, n_art / max(1, len(pages)), 'yes' if not any('only' in p for p in problems) else 'NO',
            n_trad))
        for m in MODES:
            hit, n = tot[m]
            print('  %-7s text: gold strings present %d/%d (%.1f%%); contiguous %d/%d (%.1f%%); '
                  'pieces per string %.2f' % (m, n - missing[m], n, 100.0 * (n - missing[m]) / max(1, n),
                                               hit, n, 100.0 * hit / max(1, n),
                                               npieces[m] / max(1, n - missing[m])))
        print('  pdffonts: all fonts embedded, CJK present: %s' % (
            'yes' if not any('fonts' in p for p in problems) else 'NO'))
        print('  score_parse.py gold-vs-itself: min %.3f mean %.3f' % (min(ss), sum(ss) / len(ss)))
        det = determinism(d)
        print('  regeneration of p01 byte-identical: %s' % ('yes' if det else 'NO'))
        for p in problems:
            print('  PROBLEM', p)
        failed |= bool(problems) or not det
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
