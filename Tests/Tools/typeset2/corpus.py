"""Reading People's Daily articles (articles-01-20.jsonl) into typesettable stories.

A story keeps only what the corpus record says; nothing is invented. The record's
paragraphs are classified into: subtitle (a leading ——line), top bylines (a short line made
of person names and roles), dateline (the front of the first body paragraph), body
paragraphs, subheadings (short unpunctuated lines inside long articles), captions (a
paragraph ending in a photo credit), a trailing credit split off the last paragraph
((names) or (本报某地某日电)). Records whose shape is unclear (tables, verse, untagged pen
names, lists) are rejected rather than guessed.
"""
import json
import os
import re

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..', 'shared', 'corpus', 'pfr1998', 'articles-01-20.jsonl')

SENT_PUNCT = re.compile('[，。；！？：,;!?]')
CREDIT_TAIL = re.compile(r'((?:（[^（）]{1,40}）)+)$')
DIGITS = re.compile('[０-９0-9．.％%－\\-]')

DL_RE = re.compile(
    r'^(据)?(新华社|本报|中新社)'
    r'(?P<place>[^，。：；、（）\s记者电讯０-９0-9]{0,10}?)'
    r'(?P<date>(?:[０-９0-9一二三四五六七八九十〇○]{1,3}月)?[０-９0-9一二三四五六七八九十〇○]{1,3}日)?'
    r'(?P<kind>专电|电|讯)')
DL_TAIL = [
    re.compile(r'^（[^（）]{0,30}）'),
    re.compile(r'^(本报)?(特约)?(记者|通讯员)[^，。：；]{1,30}?报道：?'),
]


def is_photo_credit(inner):
    return ('摄' in inner or inner.endswith('照片') or '传真照片' in inner
            or inner.endswith('图片') or '供图' in inner)


def split_credit(p):
    """'caption（新华社记者某某摄）' -> (caption, credit) when the tail is a photo credit."""
    m = CREDIT_TAIL.search(p)
    if not m:
        return None
    tail = m.group(1)
    inners = re.findall(r'（([^（）]*)）', tail)
    if not any(is_photo_credit(x) for x in inners):
        return None
    # keep only the trailing run of credit parentheticals
    return p[:m.start()], tail


def per_spans(rec, pidx):
    return sorted([(e['start'], e['end'], e['text']) for e in rec['entities']
                   if e['para'] == pidx and e['type'] == 'PER'])


def names_line(text, spans, offset=0):
    """A line made only of roles and person names -> [(role, name)] or None."""
    if not spans or len(text) > 40 or SENT_PUNCT.search(text) or '“' in text:
        return None
    spans = [(s - offset, e - offset, t) for s, e, t in spans if s >= offset and e <= offset + len(text)]
    if not spans or spans[-1][1] != len(text):
        return None
    out, pos, last_role = [], 0, ''
    for s, e, t in spans:
        role = text[pos:s].strip(' 　、和')
        if len(role) > 30:
            return None
        if role == '' and out:
            role = last_role
        out.append((role, t))
        last_role = role
        pos = e
    return out


def parse_dateline(p, spans):
    m = DL_RE.match(p)
    if not m:
        return None
    end = m.end()
    for rx in DL_TAIL:
        mm = rx.match(p[end:])
        if mm:
            end += mm.end()
            break
    head = p[:end]
    agency = '中新社' if '中新社' in m.group(0) else ('新华社' if '新华社' in m.group(0) else '本报')
    place, date, kind = m.group('place') or '', m.group('date') or '', m.group('kind')
    if agency == '本报' and not place and not date:
        agency = '本报' + kind
    reporters = [t for s, e, t in spans if e <= end]
    return {'agency': agency, 'place': place, 'date': date, 'reporters': reporters,
            'text': head}


def analyse(rec):
    """Return a story dict or None when the record's shape is unclear."""
    hg = rec.get('headline_guess')
    ps = rec['paragraphs']
    if not hg or not ps or ps[0] != hg:
        return None
    if len(hg) > 48 or '●' in hg:
        return None
    st = {'id': rec['id'], 'date': rec['date'], 'cpage': rec['page'], 'headline': hg,
          'subtitle': None, 'bylines': [], 'dateline': None, 'blocks': [], 'captions': [],
          'trail': None, 'entities': rec['entities'], 'paras': ps}
    picture = hg.endswith('（图片）')
    st['picture'] = picture
    idx = [i for i in range(1, len(ps)) if not re.match(r'^（附图片.{1,3}张）$', ps[i])]
    # front matter
    if idx and ps[idx[0]].startswith('——') and len(ps[idx[0]]) <= 40:
        st['subtitle'] = {'text': ps[idx[0]], 'pidx': idx[0]}
        idx = idx[1:]
    while idx and not picture:
        p = ps[idx[0]]
        nl = names_line(p, per_spans(rec, idx[0]))
        if nl:
            st['bylines'].append({'pidx': idx[0], 'names': nl, 'text': p})
            idx = idx[1:]
            continue
        break
    # body and captions
    body = []
    for i in idx:
        p = ps[i]
        sc = split_credit(p)
        if sc is not None:
            cap, credit = sc
            if cap.strip():
                st['captions'].append({'text': cap, 'credit': credit, 'pidx': i})
            elif st['captions']:
                st['captions'][-1]['credit'] += credit
            elif body and len(body[-1][1]) < 160:
                j, t = body.pop()
                st['captions'].append({'text': t, 'credit': credit, 'pidx': j})
            else:
                return None
            continue
        if picture:
            if len(p) > 300:
                return None
            st['captions'].append({'text': p, 'credit': '', 'pidx': i})
            continue
        body.append((i, p))
    if picture:
        if not st['captions'] or body:
            return None
        return st
    if not body:
        return None
    long_n = sum(1 for _, p in body if len(p) > 40)
    shorts = [(i, p) for i, p in body if len(p) <= 26 and not SENT_PUNCT.search(p)]
    # trailing credit on the last paragraph
    li, lp = body[-1]
    m = re.search(r'（([^（）]{1,30})）$', lp)
    if m:
        inner = m.group(1)
        off = m.start() + 1
        nl = names_line(inner, per_spans(rec, li), off)
        if nl:
            st['trail'] = {'kind': 'byline', 'names': nl, 'text': m.group(0), 'pidx': li}
        elif re.match(r'^本报.{0,12}电$', inner):
            dm = DL_RE.match(inner)
            if dm:
                st['trail'] = {'kind': 'dateline', 'text': m.group(0), 'pidx': li,
                               'dateline': {'agency': '本报' if dm.group('place') or dm.group('date') else inner,
                                            'place': dm.group('place') or '',
                                            'date': dm.group('date') or '', 'reporters': []}}
        if st['trail']:
            rest = lp[:m.start()]
            if rest.strip():
                body[-1] = (li, rest)
            else:
                body.pop()
                if shorts and shorts[-1][0] == li:
                    shorts.pop()
    if not body:
        return None
    for i, p in shorts:
        if i == body[0][0] and len(body) > 1 and not st['subtitle'] and not st['bylines'] and not p.startswith('（'):
            # an unpunctuated second title line: print it as the subtitle
            continue
        if long_n < 4 or len(p) < 3 or p.startswith('（') or len(DIGITS.findall(p)) > len(p) * 0.3:
            return None
        if len(shorts) > max(1, len(body) // 3):
            return None
    blocks = []
    for n, (i, p) in enumerate(body):
        if (n == 0 and (i, p) in shorts and len(body) > 1 and not st['subtitle'] and not st['bylines']
                and not p.startswith('（')):
            st['subtitle'] = {'text': p, 'pidx': i}
            continue
        if (i, p) in shorts:
            blocks.append({'kind': 'subheading', 'text': p, 'pidx': i})
        else:
            if len(DIGITS.findall(p)) > len(p) * 0.4:
                return None
            blocks.append({'kind': 'paragraph', 'text': p, 'pidx': i})
    if not blocks or blocks[0]['kind'] != 'paragraph' or blocks[-1]['kind'] != 'paragraph':
        return None
    st['blocks'] = blocks
    first = blocks[0]
    st['dateline'] = parse_dateline(first['text'], per_spans(rec, first['pidx']))
    if st['trail'] and st['trail']['kind'] == 'dateline' and st['dateline'] is None:
        st['dateline'] = dict(st['trail']['dateline'])
    return st


def load(days):
    out = []
    with open(CORPUS, encoding='utf-8') as f:
        for line in f:
            rec = json.loads(line)
            d = int(rec['date'][-2:])
            if d not in days:
                continue
            st = analyse(rec)
            if st:
                out.append(st)
    return out


def story_chars(st):
    return sum(len(b['text']) for b in st['blocks']) + sum(len(c['text']) for c in st['captions'])
