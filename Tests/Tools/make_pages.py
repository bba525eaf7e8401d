#!/usr/bin/env python3
"""Generates newspaper test pages from the PFR corpus, laid out and damaged like the seed page,
with gold files in the scorer's format (../shared/corpus/seed-page.gold.json).

    Tests/Tools/make_pages.py --out DIR [--days 16-20] [--count 120] [--seed 7] [--no-gold]

Deterministic for a given seed. Days 16..20 are the held-out evaluation days: nothing the
parser learns from may come from them (see scripts/README.md: the learners read days 1..15).

Layout and damage, as on the seed page: blocks separated by blank lines; optional rubric lines
(■ name + pinyin); headline, `——` subtitle, top or trailing bylines (spaces inside names);
datelines of PFR's forms, `本报讯` sometimes losing its first glyph (报讯); column breaks
mid-sentence and mid-word; photo captions standing in the text flow after a photo hole
(several blank lines), sometimes between the two halves of a broken paragraph; page photo
credits; a fragment placed above its article's dateline; paragraphs cut off (truncated) and
paragraphs whose start is lost (orphans); a third of the pages converted to Traditional with
OpenCC, leaving some blocks Simplified as a bad conversion does.
"""
import argparse, collections, json, os, random, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, '..', '..', '..', 'shared', 'corpus', 'pfr1998', 'articles-01-20.jsonl')

RUBRICS = [('要闻', 'YAOWEN'), ('国内新闻', ''), ('国际视点', 'GUOJI'), ('经济周刊', 'JINGJI'),
           ('地方传真', ''), ('文化广场', 'WENHUA'), ('体育天地', 'TIYU'), ('图说', 'TUSHUO'),
           ('社会观察', ''), ('科教卫生', 'KEJIAO')]
DATELINE = re.compile(r'^(据)?(本报|新华社|中新社)([^，。：、\s]{0,14}?)(讯|电)')
REPORTED = re.compile(r'^((本报)?(记者|通讯员)[^，,。：:\s]{1,24}?报道[：:]?)')
PAREN = re.compile(r'^[（(][^）)]{0,30}[）)]')
ROLE = re.compile(r'^(本报驻\S{1,8}?记者|本报特约记者|本报记者|本报通讯员|新华社记者|特约记者|记者|通讯员)')
SENT_END = set('。！？…')
CLOSERS = set('”’」』）)》')


def is_title(p):
    return len(p) <= 30 and not any(c in p for c in '。；！？') and p[-1:] not in ('，', '、', '：', '；')


def ends_sentence(t):
    t = t.rstrip()
    while t and t[-1] in CLOSERS:
        t = t[:-1]
    return bool(t) and t[-1] in SENT_END


def safe_cut(text, rng, lo_frac=0.3, hi_frac=0.7, min_side=16):
    """A cut position inside text, never right after a sentence end, both sides >= min_side."""
    n = len(text)
    if n < 2 * min_side + 2:
        return None
    for _ in range(20):
        i = rng.randint(max(min_side, int(n * lo_frac)), min(n - min_side, int(n * hi_frac)))
        if not ends_sentence(text[:i]) and text[i] not in '，、；：。！？”）' and text[i - 1] not in '“（《':
            return i
    return None


class Article:
    def __init__(self, src):
        self.src = src
        self.headline = re.sub(r'（[^（）]*(图片|照片|附图)[^（）]*）$', '', src['headline_guess']).strip()
        self.subtitle = None
        self.byline = None      # (rendered text, [ {name, role} ])
        self.dateline = None    # {agency, reporters}
        self.blocks = []        # dicts: kind, text, truncated, orphan
        self.captions = []      # (text, credit)
        self.per = collections.defaultdict(list)  # paragraph index -> PER spans
        for e in src['entities']:
            if e['type'] == 'PER':
                self.per[e['para']].append(e)

    def build(self, rng):
        paras = self.src['paragraphs']
        i = 1
        if i < len(paras) and self.is_name_line(paras[i], i):
            names = [e['text'] for e in sorted(self.per[i], key=lambda e: e['start'])]
            shown = [' '.join(n) if len(n) == 2 and len(names) == 1 and rng.random() < 0.4 else n for n in names]
            self.byline = (' '.join(shown), [{'name': n, 'role': ''} for n in names])
            i += 1
        elif i < len(paras) and is_title(paras[i]) and not ROLE.match(paras[i]) and not DATELINE.match(paras[i]) \
                and not paras[i].startswith('（'):
            self.subtitle = paras[i].lstrip('—－-')
            i += 1
        while i < len(paras):
            p = paras[i]
            if p.endswith('摄）') or p.endswith('摄)'):
                m = re.search(r'[（(][^（()）]*摄[）)]$', p)
                text = p[:m.start()].strip()
                if text:
                    self.captions.append((text, m.group(0)))
            elif re.fullmatch(r'[（(][^）)]*(照片|图片)[^）)]*[）)]', p) or re.fullmatch(r'[（(][Ａ-Ｚ、，A-Z ]*[）)]', p) \
                    or p in ('图片：', '图片', '附图片'):
                pass  # （传真照片）, （附图片１张）, （Ａ、Ｄ）: layout noise, dropped
            elif self.byline is None and not self.blocks and len(p) <= 30 and ROLE.match(p) and self.per.get(i):
                self.byline = self.render_byline(p, self.per[i], rng)
            elif not self.blocks and DATELINE.match(p):
                self.dateline = self.read_dateline(p, self.per.get(i, []))
                self.blocks.append({'kind': 'paragraph', 'text': p})
            elif is_title(p) and self.blocks and len(p) >= 4 and not p.startswith('（'):
                self.blocks.append({'kind': 'subheading', 'text': p})
            else:
                self.blocks.append({'kind': 'paragraph', 'text': p})
            i += 1
        # A subheading must be followed by text; a trailing one is dropped.
        while self.blocks and self.blocks[-1]['kind'] == 'subheading':
            self.blocks.pop()
        return bool(self.blocks) or bool(self.captions)

    def is_name_line(self, p, i):
        spans = sorted(self.per.get(i, []), key=lambda e: e['start'])
        if not spans or len(spans) > 3:
            return False
        covered = ''.join(e['text'] for e in spans)
        return covered == p.replace(' ', '').replace('、', '') and all(2 <= len(e['text']) <= 4 for e in spans)

    def render_byline(self, p, spans, rng):
        people, parts, pos, role = [], [], 0, ''
        for e in sorted(spans, key=lambda e: e['start']):
            between = p[pos:e['start']].strip('、 ，')
            if between:
                role = between
                parts.append(between)
            name = e['text']
            people.append({'name': name, 'role': role})
            parts.append(' '.join(name) if len(name) == 2 and rng.random() < 0.4 else name)
            pos = e['end']
        return ' '.join(parts), people

    def read_dateline(self, p, spans):
        m = DATELINE.match(p)
        agency = (m.group(1) or '') + m.group(2) + (m.group(4) if not m.group(3) else '')
        end = m.end()
        rest = p[end:]
        r = PAREN.match(rest) or REPORTED.match(rest)
        if r:
            end += r.end()
        else:
            r2 = re.match(r'^[^，。：]{0,30}?报道[：:]?', rest)
            if r2 and '记者' in r2.group(0):
                end += r2.end()
        reporters = [e['text'] for e in spans if e['start'] < end]
        return {'agency': agency, 'reporters': reporters}


def load(days):
    pages = collections.OrderedDict()
    for line in open(CORPUS, encoding='utf-8'):
        a = json.loads(line)
        if int(a['date'][8:10]) in days and a['headline_guess']:
            pages.setdefault((a['date'], a['page']), []).append(a)
    return pages


class Page:
    """Renders articles into lines, keeping gold line numbers."""

    def __init__(self, rng):
        self.rng = rng
        self.lines = ['']
        self.gold = {'sections': [], 'photo_credit': None, 'articles': [], 'entities': {}}

    def emit(self, text, gap=1):
        self.lines.extend([''] * gap)
        self.lines.append(text)
        return len(self.lines)

    def render(self, arts, rubrics):
        rng = self.rng
        pending_captions = []
        self.gold['sections'].append({'rubric': None, 'latin': None, 'line': None})
        section = None
        for n, a in enumerate(arts):
            if n in rubrics:
                name, latin = rubrics[n]
                line = self.emit('■ ' + name + (' ' + latin if latin else ''), gap=1 if n else 0)
                self.gold['sections'].append({'rubric': name, 'latin': latin or None, 'line': line})
                section = name
            g = {'section': section, 'headline': a.headline, 'subtitle': None, 'bylines': [],
                 'dateline': a.dateline, 'lead': [], 'body': [], 'captions': []}
            self.gold['articles'].append(g)
            self.emit(a.headline, gap=1 if len(self.lines) > 1 else 0)
            if a.subtitle:
                self.emit('——' + a.subtitle)
                g['subtitle'] = '——' + a.subtitle
            trailing = a.byline is not None and rng.random() < 0.3
            if a.byline and not trailing:
                self.emit(a.byline[0])
            if a.byline:
                g['bylines'] = a.byline[1]
            blocks = [dict(b) for b in a.blocks]
            # Lost first glyph of 本报讯.
            if a.dateline and blocks and blocks[0]['text'].startswith('本报讯') and rng.random() < 0.5:
                blocks[0]['text'] = blocks[0]['text'][1:]
            lead_box = not a.dateline and len(blocks) >= 4 and blocks[0]['kind'] == 'paragraph' \
                and blocks[1]['kind'] == 'paragraph' and rng.random() < 0.15
            # Damage chosen per article.
            frag = None
            if a.dateline and len(blocks) >= 2 and rng.random() < 0.3:
                cands = [k for k in range(1, len(blocks)) if blocks[k]['kind'] == 'paragraph' and len(blocks[k]['text']) >= 110]
                if cands:
                    frag = rng.choice(cands)
            truncate = orphan = None
            if rng.random() < 0.25:
                cands = [k for k in range(len(blocks)) if blocks[k]['kind'] == 'paragraph' and len(blocks[k]['text']) >= 60
                         and k != frag and (k == len(blocks) - 1 or blocks[k + 1]['kind'] == 'subheading') and (k or not a.dateline)]
                if cands:
                    truncate = rng.choice(cands)
            if rng.random() < 0.2:
                cands = [k for k in range(1, len(blocks)) if blocks[k]['kind'] == 'paragraph' and len(blocks[k]['text']) >= 60
                         and k not in (frag, truncate) and blocks[k - 1]['kind'] == 'paragraph'
                         and ends_sentence(blocks[k - 1]['text'])]
                if cands:
                    orphan = rng.choice(cands)
            captions = list(a.captions)
            pending_captions = captions
            floating = None
            if frag is not None:
                t = blocks[frag]['text']
                c1 = safe_cut(t, rng, 0.25, 0.4)
                c2 = safe_cut(t, rng, 0.5, 0.65)
                c3 = c2 + rng.randint(8, 20) if c2 else None
                if c1 and c2 and c3 and c3 < len(t) - 16 and not ends_sentence(t[:c3]):
                    floating = t[c1:c2]
                    blocks[frag] = {'kind': 'paragraph', 'text': t[:c1], 'tail': t[c1:c2], 'truncated': True}
                    blocks.insert(frag + 1, {'kind': 'paragraph', 'text': t[c3:], 'orphan': True})
                    if truncate is not None and truncate > frag:
                        truncate += 1
                    if orphan is not None and orphan > frag:
                        orphan += 1
            if truncate is not None:
                t = blocks[truncate]['text']
                c = safe_cut(t, rng, 0.5, 0.85)
                if c:
                    blocks[truncate]['text'] = t[:c]
                    blocks[truncate]['truncated'] = True
            if orphan is not None:
                t = blocks[orphan]['text']
                c = safe_cut(t, rng, 0.15, 0.5)
                if c:
                    blocks[orphan]['text'] = t[c:]
                    blocks[orphan]['orphan'] = True
            if lead_box:
                self.emit('核心提示')
            if floating is not None:
                fl = self.emit(floating)
            for k, b in enumerate(blocks):
                gold_block = {'kind': b['kind'], 'lines': [], 'text': b['text'] + b.get('tail', '')}
                if b.get('truncated'):
                    gold_block['truncated'] = True
                if b.get('orphan'):
                    gold_block['orphan'] = True
                (g['lead'] if lead_box and k == 0 else g['body']).append(gold_block)
                text = b['text']
                cut = safe_cut(text, rng, 0.2, 0.8) if b['kind'] == 'paragraph' and len(text) >= 50 and rng.random() < 0.35 else None
                if cut:
                    gold_block['lines'].append(self.emit(text[:cut]))
                    if captions and rng.random() < 0.6:
                        self.emit_caption(captions.pop(0), g)
                    gold_block['lines'].append(self.emit(text[cut:]))
                else:
                    gold_block['lines'].append(self.emit(text))
                if 'tail' in b:
                    gold_block['lines'].append(fl)
                if captions and rng.random() < 0.25:
                    self.emit_caption(captions.pop(0), g)
            while captions:
                self.emit_caption(captions.pop(0), g)
            if trailing:
                self.emit(a.byline[0])
            for e in a.src['entities']:
                key = {'PER': 'person', 'LOC': 'place', 'ORG': 'organization'}[e['type']]
                self.gold['entities'].setdefault(key, set()).add(e['text'])
        if self.gold['sections'][0]['rubric'] is None and 0 in rubrics:
            self.gold['sections'].pop(0)

    def emit_caption(self, cap, g):
        text, credit = cap
        if self.rng.random() < 0.5 and len(text) <= 70 and not any(c in SENT_END for c in text[:-1]):
            # A photo hole, then the caption alone (its credit went to the page credit line).
            self.emit(text, gap=3)
            names = re.findall(r'记者(\S+?)摄', credit)
            if self.gold['photo_credit'] is None and names and self.rng.random() < 0.6:
                line = self.emit('本版图片由新华社记者' + names[0] + '摄')
                self.gold['photo_credit'] = {'line': line, 'text': self.lines[-1], 'photographer': names[0]}
        else:
            self.emit(text + credit, gap=3 if self.rng.random() < 0.5 else 1)
        g['captions'].append(text)


def opencc(strings, config):
    if not strings:
        return {}
    uniq = sorted(set(strings))
    out = subprocess.run(['opencc', '-c', config], input='\n'.join(uniq), text=True,
                         capture_output=True, check=True).stdout.split('\n')
    return dict(zip(uniq, out))


def to_traditional(page, rng):
    """Converts page lines and gold strings with s2t; some lines stay Simplified (bad conversion)."""
    keep = {i for i, l in enumerate(page.lines) if l and rng.random() < 0.08}
    table = opencc([l for i, l in enumerate(page.lines) if l and i not in keep], 's2t.json')
    page.lines = [table.get(l, l) if i not in keep else l for i, l in enumerate(page.lines)]
    strings = []

    def walk(o):
        if isinstance(o, str):
            strings.append(o)
        elif isinstance(o, dict):
            for v in o.values():
                walk(v)
        elif isinstance(o, (list, set)):
            for v in o:
                walk(v)
    walk(page.gold)
    t = opencc(strings, 's2t.json')

    def conv(o):
        if isinstance(o, str):
            return t.get(o, o)
        if isinstance(o, dict):
            return {k: conv(v) for k, v in o.items()}
        if isinstance(o, list):
            return [conv(v) for v in o]
        if isinstance(o, set):
            return {conv(v) for v in o}
        return o
    page.gold = conv(page.gold)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', required=True)
    ap.add_argument('--days', default='16-20')
    ap.add_argument('--count', type=int, default=120)
    ap.add_argument('--seed', type=int, default=7)
    ap.add_argument('--no-gold', action='store_true')
    ap.add_argument('--traditional', type=float, default=0.33, help='share of pages converted to Traditional')
    args = ap.parse_args()
    lo, hi = (int(x) for x in args.days.split('-'))
    pages = load(set(range(lo, hi + 1)))
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    keys = list(pages)
    made = 0
    rnd = 0
    while made < args.count:
        for key in keys:
            if made >= args.count:
                break
            arts = [Article(a) for a in pages[key]]
            arts = [a for a in arts if a.build(rng)]
            if not arts:
                continue
            start = rng.randrange(len(arts))
            chunk = arts[start:start + rng.randint(3, 7)] or arts[:3]
            rubrics = {}
            if rng.random() < 0.6:
                for n in range(len(chunk)):
                    if (n == 0 and rng.random() < 0.5) or (n and rng.random() < 0.25):
                        rubrics[n] = rng.choice(RUBRICS)
            page = Page(rng)
            page.render(chunk, rubrics)
            if rng.random() < args.traditional:
                to_traditional(page, rng)
            name = f'{key[0].replace("-", "")}-{key[1]}-{rnd}{made:03d}'
            with open(os.path.join(args.out, name + '.txt'), 'w', encoding='utf-8') as f:
                f.write('\n'.join(page.lines) + '\n')
            if not args.no_gold:
                gold = dict(page.gold)
                gold['source'] = name + '.txt'
                gold['entities'] = {k: sorted(v) for k, v in gold['entities'].items()}
                with open(os.path.join(args.out, name + '.gold.json'), 'w', encoding='utf-8') as f:
                    json.dump(gold, f, ensure_ascii=False, indent=0)
            made += 1
        rnd += 1
    print(f'{made} pages in {args.out}', file=sys.stderr)


if __name__ == '__main__':
    main()
