#!/usr/bin/env python3
"""Writes the phrase forms a per-character fold cannot join: Traditional and Taiwan phrases whose
Simplified form is another phrase (計畫 -> 计划, 彷彿 -> 仿佛, 義大利 -> 意大利), from OpenCC's own
dictionaries (TSPhrases, TWPhrasesRev) and the training days of PFR.

    python3 scripts/learn-phrase-forms.py [--corpus CORPUS.jsonl] [--out Sources/FolioText/Data/phrase-forms.tsv]
    python3 scripts/learn-phrase-forms.py --check     # rebuilds in memory, compares with the committed file

Needs `opencc_dict` (Debian's `opencc`). A pair is kept when the Simplified form is printed in the
training days (a word a Simplified paper uses) and the other form, folded one character at a time,
is not (else it is a Simplified word of its own: 資訊 folds to 资讯, which mainland papers print
too). Taiwan's phrase forms are kept for names only (the Simplified form tagged as a person, place
or organization in those days: 義大利, 紐西蘭): its vocabulary (類比 for 模拟, 互動 for 交互) folds to
other Simplified words a 1998 paper happens not to print. Rows: the Traditional or Taiwan form, a
tab, the Simplified form. Deterministic output.
"""
import argparse, json, os, subprocess, tempfile

from learnt_common import DEFAULT_CORPUS, LAST_TRAINING_DAY, ROOT, fold, write_or_check

DEFAULT_OUT = os.path.join(ROOT, 'Sources', 'FolioText', 'Data', 'phrase-forms.tsv')
OPENCC = '/usr/share/opencc'


def dictionary(name, folder):
    """OpenCC's dictionary as (key, first value) pairs."""
    out = os.path.join(folder, name + '.txt')
    subprocess.run(['opencc_dict', '-i', os.path.join(OPENCC, name + '.ocd2'), '-o', out, '-f', 'ocd2', '-t', 'text'],
                   check=True, stdout=subprocess.DEVNULL)
    pairs = []
    for line in open(out, encoding='utf-8'):
        key, values = line.rstrip('\n').split('\t')
        pairs.append((key, values.split(' ')[0]))
    return pairs


def table(corpus):
    text, names = [], set()
    for line in open(corpus, encoding='utf-8'):
        a = json.loads(line)
        if a['date'] > LAST_TRAINING_DAY:
            continue  # held-out days
        text.extend(fold(p) for p in a['paragraphs'])
        names.update(fold(e['text']) for e in a['entities'] + a.get('inner_entities', []))
    text = '\n'.join(text)
    with tempfile.TemporaryDirectory() as folder:
        characters = dict(dictionary('TSCharacters', folder))
        per_character = lambda s: ''.join(characters.get(c, c) for c in s)
        phrases = dictionary('TSPhrases', folder)
        taiwan = [(other, simplified) for other, simplified in dictionary('TWPhrasesRev', folder)
                  if per_character(simplified) in names]
    rows = set()
    for other, simplified in phrases + taiwan:
        simplified = per_character(simplified)
        folded = per_character(other)
        if folded == simplified or len(other) < 2 or folded in text or simplified not in text:
            continue
        rows.add((other, simplified))
    lines = ['# Phrase forms a per-character fold cannot join (scripts/learn-phrase-forms.py): form, Simplified.']
    lines += ['%s\t%s' % row for row in sorted(rows)]
    return ('\n'.join(lines) + '\n').encode('utf-8')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--corpus', default=DEFAULT_CORPUS)
    ap.add_argument('--out', default=DEFAULT_OUT)
    ap.add_argument('--check', action='store_true')
    args = ap.parse_args()
    write_or_check(args.out, table(args.corpus), args.check, 'scripts/learn-phrase-forms.py')


if __name__ == '__main__':
    main()
