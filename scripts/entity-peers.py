#!/usr/bin/env python3
"""Peers for `folio-bench entities`: THULAC and jieba part-of-speech taggers as entity recognizers.

    python3 scripts/entity-peers.py CORPUS.jsonl FIRST_DAY LAST_DAY > spans.jsonl

For every paragraph of every article dated FIRST_DAY..LAST_DAY (the same paragraphs the bench
scores), prints one JSON line per peer and paragraph:
    {"peer": "thulac", "id": ARTICLE_ID, "para": P, "spans": [[start, end, "PER"], ...]}
Offsets are Unicode scalar offsets into the paragraph as printed. Tags: THULAC np / ns / ni,
jieba nr* / ns / nt -> PER / LOC / ORG; neighbouring person tokens are merged into one person
(PFR's gold merges surname + given name the same way). A peer that is not installed
(`pip install thulac jieba`) prints one line {"peer": NAME, "missing": true}. The last line per
peer gives its wall time: {"peer": NAME, "seconds": S, "characters": N}.
"""
import json
import sys
import time

THULAC_TAGS = {'np': 'PER', 'ns': 'LOC', 'ni': 'ORG'}


def jieba_type(flag):
    if flag.startswith('nr'):
        return 'PER'
    return {'ns': 'LOC', 'nt': 'ORG'}.get(flag)


def spans_from_tokens(text, tokens):
    """tokens: [(word, type or None)] in order; realigns on the text (a peer may drop characters)."""
    out = []
    pos = 0
    for word, t in tokens:
        if not word:
            continue
        at = text.find(word, pos)
        if at < 0:
            continue
        end = at + len(word)
        if t:
            if t == 'PER' and out and out[-1][2] == 'PER' and out[-1][1] == at:
                out[-1][1] = end
            else:
                out.append([at, end, t])
        pos = end
    return out


def main():
    corpus, first, last = sys.argv[1], sys.argv[2], sys.argv[3]
    paragraphs = []
    with open(corpus, encoding='utf-8') as f:
        for line in f:
            a = json.loads(line)
            if first <= a['date'] <= last:
                for p, text in enumerate(a['paragraphs']):
                    paragraphs.append((a['id'], p, text))
    characters = sum(len(t) for _, _, t in paragraphs)
    out = sys.stdout
    try:
        import io
        import contextlib
        with contextlib.redirect_stdout(io.StringIO()):
            import thulac
            tagger = thulac.thulac()
    except Exception:
        tagger = None
    if tagger is None:
        out.write(json.dumps({'peer': 'thulac', 'missing': True}) + '\n')
    else:
        t0 = time.time()
        for aid, p, text in paragraphs:
            tokens = [(w, THULAC_TAGS.get(tag)) for w, tag in tagger.cut(text)] if text.strip() else []
            out.write(json.dumps({'peer': 'thulac', 'id': aid, 'para': p, 'spans': spans_from_tokens(text, tokens)}) + '\n')
        out.write(json.dumps({'peer': 'thulac', 'seconds': time.time() - t0, 'characters': characters}) + '\n')
    try:
        import logging
        import jieba
        jieba.setLogLevel(logging.WARNING)
        import jieba.posseg as posseg
    except Exception:
        posseg = None
    if posseg is None:
        out.write(json.dumps({'peer': 'jieba', 'missing': True}) + '\n')
    else:
        t0 = time.time()
        for aid, p, text in paragraphs:
            tokens = [(w.word, jieba_type(w.flag)) for w in posseg.cut(text)]
            out.write(json.dumps({'peer': 'jieba', 'id': aid, 'para': p, 'spans': spans_from_tokens(text, tokens)}) + '\n')
        out.write(json.dumps({'peer': 'jieba', 'seconds': time.time() - t0, 'characters': characters}) + '\n')
    out.flush()


if __name__ == '__main__':
    main()
