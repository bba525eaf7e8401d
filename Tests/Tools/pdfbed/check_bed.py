#!/usr/bin/env python3
"""Checks that the committed PDF test bed is whole and that its gold matches its texts.

    Tests/Tools/pdfbed/check_bed.py [--bed Tests/Fixtures/pdfbed]

For every page of every split: a gold file and the three extractions exist, and every gold
string (headline, kicker, subtitle, paragraph, caption, byline name, page credit) occurs
contiguously in the `-raw` text once white space is removed (`-raw` keeps content-stream
order, which is the order WeasyPrint set the text in). A miss means a page lost text when it
was typeset or the gold holds text that was never printed. Exit status 1 on any problem.
"""
import argparse
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MODES = ('default', 'raw', 'layout')


def gold_strings(gold):
    out = []
    for a in gold['articles']:
        out += [a['headline'], a.get('kicker') or '', (a.get('subtitle') or '').lstrip('—')]
        out += [b['text'] for b in a['lead'] + a['body']]
        out += [c['text'] for c in a['captions']] + [b['name'] for b in a['bylines']]
    if gold.get('photo_credit'):
        out.append(gold['photo_credit']['text'])
    return [re.sub(r'\s+', '', s) for s in out if s and s.strip()]


def check_split(bed, split):
    problems, strings = [], 0
    golds = sorted(glob.glob(os.path.join(bed, split, 'gold', '*.gold.json')))
    if not golds:
        problems.append('%s: no gold files' % split)
    for path in golds:
        name = os.path.basename(path)[:-len('.gold.json')]
        for mode in MODES:
            if not os.path.exists(os.path.join(bed, split, mode, name + '.txt')):
                problems.append('%s: no %s text' % (name, mode))
        raw_path = os.path.join(bed, split, 'raw', name + '.txt')
        if not os.path.exists(raw_path):
            continue
        raw = re.sub(r'\s+', '', open(raw_path, encoding='utf-8').read())
        gold = json.load(open(path, encoding='utf-8'))
        if not gold['articles']:
            problems.append('%s: no articles in gold' % name)
        for s in gold_strings(gold):
            strings += 1
            if s not in raw:
                problems.append('%s: gold text not on the page: %s' % (name, s[:40]))
    return len(golds), strings, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--bed', default=os.path.join(HERE, '../../Fixtures/pdfbed'))
    args = ap.parse_args()
    failed = False
    for split in ('dev', 'dev2', 'heldout'):
        pages, strings, problems = check_split(args.bed, split)
        print('%s: %d pages, %d gold strings, %d problems' % (split, pages, strings, len(problems)))
        for p in problems[:20]:
            print('  ' + p)
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
