"""Turns People's Daily articles (../shared/corpus/pfr1998) into stories ready to lay out.

A story keeps only what can be told apart in the source with certainty: the headline (and a
`——` subtitle or a second title line), a byline whose names are gold PER spans, a dateline,
body paragraphs and subheadings, and photo captions. Source paragraphs that fit none of these
(a speaker line, a date in brackets, a list of picture titles) are left out of the page, so
that everything printed has a known place in the gold.
"""
import json
import re
from dataclasses import dataclass, field
from typing import Optional

PHOTO_MARK = re.compile(r'（(附)?图片(([１-９0-9一二三四五六七八九十]+)张)?）$')
DASHES = re.compile(r'—{2,}')
SENTENCE_PUNCT = re.compile(r'[。，！？；：,.!?;:]')
ROLE = re.compile(r'^(本报(驻[^记]{1,8})?(特约)?(记者|通讯员)|新华社(驻[^记]{1,8})?记者|特约记者|通讯员|记者)')
CAPTION_CREDIT = re.compile(r'（([^（）]{0,30})摄）$')
DATELINE = re.compile(
    r'^(?P<agency>本报|据新华社|新华社|中新社)(?P<place>[^０-９0-9讯电，。：（]{0,12}?)'
    r'(?P<date>[０-９0-9]{1,2}月[０-９0-9]{1,2}日)?(?P<kind>讯|电)')
REPORTERS_PAREN = re.compile(r'^（[^）]{0,40}）')
REPORTERS_SAID = re.compile(r'^([^，。：]{0,40}?)(报道|電|讯)?[：:]')


@dataclass
class Byline:
    role: str
    names: list


@dataclass
class Dateline:
    agency: str
    place: str
    date: str
    reporters: list
    length: int  # characters of the paragraph the dateline takes


@dataclass
class Block:
    kind: str  # 'paragraph' or 'subheading'
    text: str


@dataclass
class Story:
    id: str
    date: str
    page: int
    headline: str
    subtitle: Optional[str] = None  # without the dashes
    deck: Optional[str] = None  # a second title line: printed as kicker or subtitle
    byline: Optional[Byline] = None
    dateline: Optional[Dateline] = None
    blocks: list = field(default_factory=list)
    captions: list = field(default_factory=list)  # (text, credit or '')
    photos: int = 0
    picture_only: bool = False
    entities: dict = field(default_factory=dict)  # person/place/organization -> [text]

    def chars(self):
        return sum(len(b.text) for b in self.blocks)


def _short_title(p):
    return len(p) <= 30 and not SENTENCE_PUNCT.search(p) and not p.startswith('（')


def _per_spans(entities, para):
    return sorted((e['start'], e['end'], e['text']) for e in entities
                  if e['type'] == 'PER' and e['para'] == para)


def _byline(text, spans):
    """A byline paragraph is a role word followed by PER spans and nothing else."""
    if len(text) > 40 or SENTENCE_PUNCT.search(text) or not spans:
        return None
    m = ROLE.match(text)
    pos = m.end() if m else 0
    names = []
    for s, e, name in spans:
        if s < pos:
            return None
        gap = text[pos:s].strip(' 、　')
        if gap and not ROLE.fullmatch(gap):
            return None
        names.append(name)
        pos = e
    if text[pos:].strip(' 、　'):
        return None
    return Byline(m.group(0) if m else '', names)


def _dateline(text, spans):
    m = DATELINE.match(text)
    if not m:
        return None
    end = m.end()
    rest = text[end:]
    p = REPORTERS_PAREN.match(rest) or REPORTERS_SAID.match(rest)
    if p and ('记者' in p.group(0) or '通讯员' in p.group(0)):
        end += p.end()
    reporters = [name for s, e, name in spans if s >= m.end() and e <= end]
    agency = {'本报': '本报讯', '据新华社': '新华社', '新华社': '新华社', '中新社': '中新社'}[m.group('agency')]
    return Dateline(agency, m.group('place') or '', m.group('date') or '', reporters, end)


def _caption(text):
    m = CAPTION_CREDIT.search(text)
    return (text, m.group(1)) if m else (text, '')


def story_from(a):
    """A Story from one JSONL record, or None when the article has no usable headline/body."""
    paras = a['paragraphs']
    head = a.get('headline_guess')
    if not head or len(paras) < 2 or '图片新闻' in head or any(p.strip() in ('图片：', '图片') for p in paras):
        return None
    s = Story(a['id'], a['date'], a['page'], head)
    m = PHOTO_MARK.search(head)
    if m:
        head = head[:m.start()]
        s.photos = 1
        if m.group(3):
            s.photos = min(4, '１２３４５６７８９'.find(m.group(3)[0]) + 1 or 1)
        s.picture_only = m.group(1) is None
    parts = DASHES.split(head, maxsplit=1)
    if len(parts) == 2 and len(parts[0]) >= 4 and len(parts[1]) >= 4:
        head, s.subtitle = parts[0], parts[1]
    s.headline = head.strip()
    if len(s.headline) < 3 or len(s.headline) > 40:
        return None
    ents = a.get('entities') or []
    if s.picture_only:
        text = ''.join(p for p in paras[1:] if p not in ('（传真照片）',))
        if len(text) < 12 or len(text) > 220 or '（' in text[:-12] and '摄）' not in text[-14:]:
            return None
        s.captions.append(_caption(text))
        _collect(s, ents, {i for i in range(1, len(paras))})
        return s
    body_start = 1
    used = set()
    for i in range(1, min(4, len(paras))):
        p = paras[i]
        by = _byline(p, _per_spans(ents, i))
        if by and not s.byline:
            s.byline, body_start = by, i + 1
            used.add(i)
            continue
        if _short_title(p) and i == body_start and s.deck is None and s.subtitle is None and not s.byline:
            s.deck, body_start = p, i + 1
            used.add(i)
            continue
        if _short_title(p) or re.fullmatch(r'（[^）]*）', p):
            body_start = i + 1  # a title fragment or note we cannot place: not printed
            continue
        break
    for i in range(body_start, len(paras)):
        p = paras[i]
        if CAPTION_CREDIT.search(p) and len(p) < 200 and (s.photos or len(p) > 16):
            if len(p) > 14:
                s.captions.append(_caption(p))
                used.add(i)
            continue
        if p == '（传真照片）' or re.fullmatch(r'（[^）]{0,20}）', p):
            continue
        first = not any(b.kind == 'paragraph' for b in s.blocks)
        last = i == len(paras) - 1
        if 4 <= len(p) <= 20 and not first and not last and not SENTENCE_PUNCT.search(p) \
                and not p.startswith('—') and not re.search(r'[。！？…”』]$', p):
            s.blocks.append(Block('subheading', p))
        else:
            if first:
                s.dateline = _dateline(p, _per_spans(ents, i))
            s.blocks.append(Block('paragraph', p))
        used.add(i)
    while s.blocks and s.blocks[-1].kind == 'subheading':
        s.blocks.pop()
    short = sum(1 for b in s.blocks if len(b.text) < 24)
    if not s.blocks or short * 3 > len(s.blocks) + 1:
        return None  # verse, lists and tables are not laid out as prose
    if s.photos and not s.captions:
        s.photos = 0
    _collect(s, ents, used)
    return s


def _collect(s, ents, paras):
    names = {'PER': 'person', 'LOC': 'place', 'ORG': 'organization'}
    for e in ents:
        if e['para'] in paras and e['type'] in names:
            s.entities.setdefault(names[e['type']], [])
            if e['text'] not in s.entities[names[e['type']]]:
                s.entities[names[e['type']]].append(e['text'])


def load(path, days):
    """Stories of the given days (a set of ints), in corpus order."""
    out = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            a = json.loads(line)
            if int(a['date'][-2:]) in days:
                s = story_from(a)
                if s:
                    out.append(s)
    return out
