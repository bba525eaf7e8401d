#!/usr/bin/env python3
"""How interleaved a split's stories are, in the extracted text and in the parser's output.

    Tests/Tools/pdfbed/story_returns.py [--folio PATH] [--bed DIR] [--split dev] [--verbose]

Text: every visual line is mapped to the gold story whose text holds it (lines found in
several stories take the story of the line before, else none); a *return* is a line of a
story read again after another story's lines. `-raw` (the laid-out order) has almost none;
default mode interleaves; `-layout` sets columns side by side on one line, so its count says
little. A *block return* is one at the start of an extractor block (a run
of lines between blank lines): what regrouping whole blocks could undo.

Output: every body paragraph of `folio parse --json` is mapped to its gold story by its first
ten characters; counted are paragraphs in an article whose other paragraphs are mostly
another story's, and paragraphs in articles with no headline (the scorer matches articles by
headline, so their paragraphs count for nothing). Dev split only by default: held-out is for
measuring, not for looking at.
"""
import argparse
import collections
import glob
import json
import os
import re
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '../../..'))
WS = re.compile(r'\s+')


def norm(s):
    return WS.sub('', s or '')


def story_texts(gold):
    """One string per gold story: its titles, paragraphs and captions, spaces removed."""
    out = []
    for a in gold['articles']:
        parts = [a.get('kicker'), a.get('headline'), a.get('subtitle')]
        for k in ('lead', 'body'):
            parts += [b.get('text') for b in a.get(k) or []]
        parts += [c.get('text') for c in a.get('captions') or []]
        out.append('\n'.join(norm(p) for p in parts if p))
    return out


def label_lines(lines, texts):
    labels, prev = [], None
    for line in lines:
        n = norm(line)
        found = [i for i, t in enumerate(texts) if len(n) >= 2 and n in t]
        lab = found[0] if len(found) == 1 else prev if prev in found else None
        labels.append(lab)
        if lab is not None:
            prev = lab
    return labels


def returns(lines, labels):
    """(returns, returns at the first line of an extractor block)."""
    seen, prev, total, at_block = set(), None, 0, 0
    for i, lab in enumerate(labels):
        if lab is None:
            continue
        if lab != prev and lab in seen:
            total += 1
            if i == 0 or not lines[i - 1].strip():
                at_block += 1
        seen.add(lab)
        prev = lab
    return total, at_block


def output_counts(folio, txt, date, texts):
    cmd = [folio, 'parse', '--json'] + (['--date', date] if date else []) + [txt]
    page = json.loads(subprocess.run(cmd, capture_output=True, text=True).stdout or '{}')
    stray = headless = 0
    for a in page.get('articles', []):
        labs = []
        for b in (a.get('lead') or []) + (a.get('body') or []):
            head = norm(b.get('text'))[:10]
            found = [i for i, t in enumerate(texts) if len(head) >= 6 and head in t]
            if len(found) == 1:
                labs.append(found[0])
        if not a.get('headline'):
            headless += len(labs)
        elif labs:
            top = collections.Counter(labs).most_common(1)[0][0]
            stray += sum(1 for lab in labs if lab != top)
    return stray, headless


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--folio', default=os.environ.get('FOLIO', os.path.join(ROOT, '.build/release/folio')))
    ap.add_argument('--bed', default=os.path.join(ROOT, 'Tests/Fixtures/pdfbed'))
    ap.add_argument('--split', default='dev')
    ap.add_argument('--verbose', action='store_true', help='one line per page')
    args = ap.parse_args()
    print('%-8s %7s %13s %14s %16s' % ('mode', 'returns', 'block returns', 'stray (output)', 'no headline (out)'))
    for mode in ('default', 'raw', 'layout'):
        tot = [0, 0, 0, 0]
        for gold_path in sorted(glob.glob(os.path.join(args.bed, args.split, 'gold', '*.gold.json'))):
            name = os.path.basename(gold_path)[:-len('.gold.json')]
            gold = json.load(open(gold_path, encoding='utf-8'))
            texts = story_texts(gold)
            txt = os.path.join(args.bed, args.split, mode, name + '.txt')
            lines = open(txt, encoding='utf-8').read().split('\n')
            r, rb = returns(lines, label_lines(lines, texts))
            s, h = output_counts(args.folio, txt, (gold.get('info') or {}).get('date'), texts)
            for k, v in enumerate((r, rb, s, h)):
                tot[k] += v
            if args.verbose:
                print('  %s %s: returns %d (%d at blocks), stray %d, no headline %d' % (mode, name, r, rb, s, h))
        print('%-8s %7d %13d %14d %16d' % (mode, *tot))


if __name__ == '__main__':
    main()
