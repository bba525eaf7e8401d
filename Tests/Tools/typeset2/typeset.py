#!/usr/bin/env python3
"""typeset2: an independent newspaper typesetter for Folio test pages.

    python3 typeset.py --out DIR --split tune|held --pages N --seed S

Lays out real People's Daily articles (days 1-10 for `tune`, 11-20 for `held`) on
newspaper-like PDF pages with fpdf2, placing every line itself, and writes for each page
pNN.pdf, pNN.gold.json (score_parse.py's gold format) and the three pdftotext dumps
(pNN.default.txt, pNN.raw.txt, pNN.layout.txt). Deterministic for a given seed.
"""
import argparse
import datetime
import json
import os
import random
import re
import subprocess
import sys

from fpdf import FPDF

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402

NOTO = '/usr/share/fonts/opentype/noto/'
UKAI = '/usr/share/fonts/truetype/arphic/ukai.ttc'

NO_START = set('，。、；：！？）》」』”’…—·％%,.;:!?)]』〉】')
NO_END = set('（《「『“‘([〈【')

RUBRICS = [
    ('国内要闻', 'GUONEI YAOWEN'), ('经济新闻', 'JINGJI XINWEN'), ('国际新闻', 'GUOJI XINWEN'),
    ('社会观察', 'SHEHUI GUANCHA'), ('科教文卫', 'KEJIAO WENWEI'), ('体育新闻', 'TIYU XINWEN'),
    ('新闻速览', 'XINWEN SULAN'), ('地方传真', 'DIFANG CHUANZHEN'), ('今日谈', 'JINRITAN'),
    ('环球走笔', 'HUANQIU ZOUBI'), ('时事述评', 'SHISHI SHUPING'), ('经济广角', 'JINGJI GUANGJIAO'),
    ('农村天地', 'NONGCUN TIANDI'), ('文化生活', 'WENHUA SHENGHUO'), ('法制园地', 'FAZHI YUANDI'),
]
PICTURE_RUBRICS = [('图片新闻', 'TUPIAN XINWEN'), ('新闻图片', None), ('图说', 'TUSHUO')]
PAGE_SECTIONS = ['要闻', '经济', '国际', '综合新闻', '社会', '科教文卫', '体育', '地方新闻',
                 '理论', '文艺副刊']
CN_NUM = '〇一二三四五六七八九十'
WEEK = '一二三四五六日'


def cn_num(n):
    if n <= 10:
        return CN_NUM[n]
    if n < 20:
        return '十' + CN_NUM[n - 10]
    return CN_NUM[n // 10] + '十' + (CN_NUM[n % 10] if n % 10 else '')


def fw(s):
    """ASCII digits -> full-width."""
    return ''.join(chr(ord(c) + 0xFEE0) if '0' <= c <= '9' else c for c in s)


# ----------------------------------------------------------------------------------------
# script conversion (OpenCC s2t), batched


class Converter:
    def __init__(self):
        self.memo = {}

    def prime(self, strings):
        todo = sorted({s for s in strings if s and s not in self.memo and '\n' not in s})
        if not todo:
            return
        out = subprocess.run(['opencc', '-c', 's2t.json'], input='\n'.join(todo), text=True,
                             capture_output=True, check=True).stdout.split('\n')
        for a, b in zip(todo, out):
            self.memo[a] = b

    def __call__(self, s):
        if s is None or s == '':
            return s
        if s not in self.memo:
            self.prime([s])
        return self.memo[s]


def story_strings(st):
    acc = [st['headline']] + st['paras']
    for b in st['blocks']:
        acc.append(b['text'])
    for c in st['captions']:
        acc += [c['text'], c['credit']]
    if st['subtitle']:
        acc.append(st['subtitle']['text'])
    for b in st['bylines']:
        acc += [x for pair in b['names'] for x in pair] + [b['text']]
    if st['dateline']:
        acc += [v for v in st['dateline'].values() if isinstance(v, str)] + st['dateline']['reporters']
    if st['trail']:
        acc.append(st['trail']['text'])
        acc += [x for pair in st['trail'].get('names', []) for x in pair]
    acc += [e['text'] for e in st['entities']]
    return acc


# ----------------------------------------------------------------------------------------
# fonts and measuring


class Typo:
    """The PDF, its fonts and cached glyph widths."""

    def __init__(self, page_w, page_h, trad):
        self.pdf = FPDF(unit='pt', format=(page_w, page_h))
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margin(0)
        idx = 3 if trad else 2  # TC or SC face of the Noto collections
        pdf = self.pdf
        pdf.add_font('serif', '', NOTO + 'NotoSerifCJK-Regular.ttc', collection_font_number=idx)
        pdf.add_font('serifb', '', NOTO + 'NotoSerifCJK-Bold.ttc', collection_font_number=idx)
        pdf.add_font('sans', '', NOTO + 'NotoSansCJK-Regular.ttc', collection_font_number=idx)
        pdf.add_font('sansb', '', NOTO + 'NotoSansCJK-Bold.ttc', collection_font_number=idx)
        pdf.add_font('kai', '', UKAI, collection_font_number=2 if trad else 0)
        pdf.set_creator('typeset2')
        pdf.set_creation_date(datetime.datetime(1998, 1, 1, tzinfo=datetime.timezone.utc))
        pdf.set_producer('typeset2 (fpdf2)')
        pdf.add_page()
        self.cache = {}
        self.ops = []

    def cw(self, font, ch):
        key = (font, ch)
        w = self.cache.get(key)
        if w is None:
            self.pdf.set_font(font, size=1000)
            w = self.pdf.get_string_width(ch) / 1000.0
            self.cache[key] = w
        return w

    def width(self, font, size, s):
        return sum(self.cw(font, c) for c in s) * size


def break_lines(ty, text, font, size, width, indent=0.0, first_width=None):
    """Greedy CJK line breaking with hanging punctuation. Returns [(text, natural_width)]."""
    out = []
    i, n = 0, len(text)
    first = True
    while i < n:
        avail = (first_width if (first and first_width is not None) else width) - (indent if first else 0)
        w = 0.0
        j = i
        while j < n:
            c = ty.cw(font, text[j]) * size
            if w + c > avail + 0.01 and j > i:
                break
            w += c
            j += 1
        if j < n:
            hung = 0
            while j < n and text[j] in NO_START and hung < 2:
                w += ty.cw(font, text[j]) * size
                j += 1
                hung += 1
            if j < n and text[j - 1] in NO_END and hung == 0 and j - 1 > i:
                w += ty.cw(font, text[j]) * size
                j += 1
            # do not split a run of half-width letters/digits when it can be avoided
            if j < n and text[j].isascii() and text[j].isalnum() and text[j - 1].isascii() and text[j - 1].isalnum():
                k = j
                while k > i + 1 and text[k - 1].isascii() and text[k - 1].isalnum():
                    k -= 1
                if k > i + 1:
                    w -= sum(ty.cw(font, c) * size for c in text[k:j])
                    j = k
        out.append((text[i:j], w))
        i = j
        first = False
    return out


# ----------------------------------------------------------------------------------------
# drawing operations (recorded relative to a block origin, replayed in placement order)


class Ops:
    def __init__(self):
        self.ops = []

    def text(self, x, y, font, size, s, spacing=0.0, color=0, tag=None):
        self.ops.append(('t', x, y, font, size, s, spacing, color, tag))

    def rect(self, x, y, w, h, fill=None, stroke=True, lw=0.5, tag=None):
        self.ops.append(('r', x, y, w, h, fill, stroke, lw, tag))

    def line(self, x1, y1, x2, y2, lw=0.5, tag=None):
        self.ops.append(('l', x1, y1, x2, y2, lw, tag))

    def extend(self, other, dx=0.0, dy=0.0):
        for op in other.ops:
            self.ops.append(shift(op, dx, dy))


def shift(op, dx, dy):
    if op[0] == 't':
        return ('t', op[1] + dx, op[2] + dy) + op[3:]
    if op[0] == 'r':
        return ('r', op[1] + dx, op[2] + dy) + op[3:]
    return ('l', op[1] + dx, op[2] + dy, op[3] + dx, op[4] + dy, op[5], op[6])


def render(ty, ops):
    pdf = ty.pdf
    for op in ops:
        if op[0] == 't':
            _, x, y, font, size, s, sp, color, _tag = op
            pdf.set_font(font, size=size)
            pdf.set_char_spacing(sp)
            pdf.set_text_color(color)
            # y is the top of the line box; baseline at 0.88 em
            pdf.text(x, y + size * 0.88, s)
        elif op[0] == 'r':
            _, x, y, w, h, fill, stroke, lw, _tag = op
            pdf.set_line_width(lw)
            style = ''
            if fill is not None:
                pdf.set_fill_color(fill)
                style += 'F'
            if stroke:
                pdf.set_draw_color(0)
                style += 'D'
            pdf.rect(x, y, w, h, style=style or 'D')
        else:
            _, x1, y1, x2, y2, lw, _tag = op
            pdf.set_line_width(lw)
            pdf.set_draw_color(0)
            pdf.line(x1, y1, x2, y2)
    pdf.set_char_spacing(0)
    pdf.set_text_color(0)


def draw_line(ops, ty, x, y, width, font, size, s, natural, justify, align='left', color=0, tag=None):
    if justify and len(s) > 1:
        sp = (width - natural) / (len(s) - 1)
        if sp > size * 0.12:
            sp = 0.0
        ops.text(x, y, font, size, s, sp, color, tag)
        return
    if align == 'center':
        x += (width - natural) / 2
    elif align == 'right':
        x += width - natural
    if natural > width + 0.01 and len(s) > 1:
        ops.text(x, y, font, size, s, (width - natural) / (len(s) - 1), color, tag)
    else:
        ops.text(x, y, font, size, s, 0.0, color, tag)


# ----------------------------------------------------------------------------------------
# page grid


class Grid:
    def __init__(self, rng, ncols):
        self.n = ncols
        if ncols == 4 and rng.random() < 0.6:
            self.W, self.H = 680.0, 970.0
        else:
            self.W, self.H = 842.0, 1191.0
        self.margin = rng.choice([28.0, 32.0, 36.0])
        self.s = rng.choice([9.0, 9.5, 10.0]) if ncols >= 6 else rng.choice([9.5, 10.0, 10.5])
        avail = self.W - 2 * self.margin
        g0 = self.s * rng.choice([1.1, 1.3, 1.6])
        self.cpl = int((avail - (ncols - 1) * g0) / ncols / self.s)
        self.cw = self.cpl * self.s
        self.g = (avail - ncols * self.cw) / (ncols - 1)
        self.lh = round(self.s * rng.choice([1.45, 1.5, 1.6]), 2)
        self.x0 = self.margin
        self.bottom = self.H - self.margin

    def colx(self, c):
        return self.x0 + c * (self.cw + self.g)

    def spanw(self, k):
        return k * self.cw + (k - 1) * self.g


# ----------------------------------------------------------------------------------------
# composing one article into a block


class Ctx:
    """Per-page choices that the compose step reads."""

    def __init__(self, rng, grid, ty, conv, trad, page_no):
        self.rng, self.grid, self.ty, self.conv, self.trad = rng, grid, ty, conv, trad
        self.page_no = page_no
        self.head_font = rng.choice(['sansb', 'serifb'])
        self.body_font = 'serif'
        # AR PL UKai lacks some Traditional forms (爲): Traditional pages use Noto only
        self.cap_font = rng.choice(['kai', 'sans']) if not trad else rng.choice(['sans', 'serif'])
        self.byline_font = rng.choice(['kai', 'sans']) if not trad else 'sans'
        self.dateline_font = rng.choice(['sansb', 'serifb'])
        self.head_align = rng.choice(['center', 'center', 'left'])

    def t(self, s):
        return self.conv(s) if self.trad else s


def plan_story(ctx, st, k, lead=False):
    """Random presentation choices for a story in k columns (deterministic under ctx.rng)."""
    rng = ctx.rng
    p = {'k': k}
    head = st['headline']
    p['kicker'] = None
    p['headline'] = head
    p['subtitle'] = st['subtitle']['text'] if st['subtitle'] else None
    parts = re.split(r'—{2,}', head, maxsplit=1)
    if len(parts) == 2 and parts[0] and parts[1] and not p['subtitle']:
        a, b = parts
        if len(a) <= 16 and rng.random() < 0.5:
            p['kicker'], p['headline'] = a + '——', b
        else:
            p['headline'], p['subtitle'] = a, '——' + b
    hs = {1: 14.5, 2: 18, 3: 22, 4: 25}.get(k, 27)
    if lead:
        hs = rng.choice([30, 34, 38])
    p['hsize'] = hs * rng.uniform(0.9, 1.1)
    p['halign'] = ctx.head_align if rng.random() < 0.8 else rng.choice(['center', 'left'])
    p['hcols'] = k
    if k >= 3 and not st['picture'] and rng.random() < 0.22:
        p['hcols'] = rng.randint(max(1, k // 2), k - 1)
    # bylines: under the headline, or at the top of the first column
    p['byline_pos'] = rng.choice(['head', 'head', 'column'])
    p['byline_space'] = rng.random() < 0.35
    # trailing credit of the last paragraph: its own right-aligned line
    # 核心提示 box
    p['lead_box'] = False
    b0 = st['blocks'][0] if st['blocks'] else None
    if (b0 and not st['dateline'] and len(st['blocks']) >= 5 and 30 <= len(b0['text']) <= 260
            and b0['kind'] == 'paragraph' and k >= 2 and rng.random() < 0.45):
        p['lead_box'] = True
    # photo
    p['photo'] = None
    caps = st['captions']
    if not st['picture'] and (caps or '附图片' in head or (lead and rng.random() < 0.5)) and k >= 1:
        j = max(1, min(k, rng.choice([1, 2, 2, 3]) if k > 1 else 1))
        p['photo'] = {'cols': j, 'side': rng.choice(['left', 'left', 'right']),
                      'ratio': rng.uniform(0.55, 0.85)}
    p['boxed'] = (not lead) and k <= 2 and rng.random() < 0.1
    if p['lead_box']:
        p['hcols'] = k
    return p


def make_flow(ctx, st, p):
    """Body flow: list of line items {'h', 'draw'(ops, x, y), 'block', 'chars'}."""
    ty, g = ctx.ty, ctx.grid
    s, lh, W = g.s, g.lh, g.cw
    items = []
    blocks = st['blocks'][1:] if p['lead_box'] else st['blocks']
    if st['bylines'] and p['byline_pos'] == 'column':
        for bl in st['bylines']:
            txt = byline_text(ctx, bl['names'], p['byline_space'])
            for ln, nat in break_lines(ty, txt, ctx.byline_font, s, W):
                items.append({'h': lh, 'kind': 'byline', 'text': ln, 'nat': nat, 'font': ctx.byline_font,
                              'size': s, 'align': 'center'})
        items[-1]['after'] = lh * 0.3
    for bi, b in enumerate(blocks):
        text = ctx.t(b['text'])
        if b['kind'] == 'subheading':
            font, size = ctx.head_font, s * 1.08
            lines = break_lines(ty, text, font, size, W)
            for li, (ln, nat) in enumerate(lines):
                items.append({'h': lh * 1.25, 'kind': 'sub', 'block': bi, 'text': ln, 'nat': nat,
                              'font': font, 'size': size, 'align': 'center',
                              'pre': lh * 0.5 if li == 0 else 0.0, 'keep': True})
            continue
        dl = None
        if bi == 0 and st['dateline'] and st['dateline'].get('text') and text.startswith(ctx.t(st['dateline']['text'])):
            dl = len(ctx.t(st['dateline']['text']))
        lines = break_lines_mixed(ctx, text, dl, W, 2 * s)
        for li, (ln, nat, nbold) in enumerate(lines):
            items.append({'h': lh, 'kind': 'par', 'block': bi, 'text': ln, 'nat': nat,
                          'font': ctx.body_font, 'size': s, 'indent': 2 * s if li == 0 else 0.0,
                          'bold': nbold, 'last': li == len(lines) - 1, 'line': li,
                          'offset': sum(len(x[0]) for x in lines[:li])})
    if st['trail']:
        tr = st['trail']
        if tr['kind'] == 'byline':
            txt = '（' + ('　' if p['byline_space'] else '').join(n for _, n in tr['names']) + '）'
            txt = ctx.t(tr['text']) if any(r for r, _ in tr['names']) else ctx.t(txt)
        else:
            txt = ctx.t(tr['text'])
        for ln, nat in break_lines(ty, txt, ctx.byline_font, s, W):
            items.append({'h': lh, 'kind': 'trail', 'text': ln, 'nat': nat, 'font': ctx.byline_font,
                          'size': s, 'align': 'right'})
    return items, blocks


def balanced_lines(ty, text, font, size, width):
    """Greedy breaking at the narrowest width that keeps the same number of lines."""
    lines = break_lines(ty, text, font, size, width)
    n = len(lines)
    if n <= 1:
        return lines
    lo, hi = width * 0.4, width
    for _ in range(14):
        mid = (lo + hi) / 2
        if len(break_lines(ty, text, font, size, mid)) <= n:
            hi = mid
        else:
            lo = mid
    return break_lines(ty, text, font, size, hi)


def break_lines_mixed(ctx, text, dl, width, indent):
    """Paragraph lines; the first dl characters (a dateline) are set in a bold face."""
    ty, s = ctx.ty, ctx.grid.s
    if not dl:
        return [(a, b, 0) for a, b in break_lines(ty, text, ctx.body_font, s, width, indent)]
    # measure with the bold face for the dateline part: widths of CJK glyphs are equal, so
    # break on the body face and remember how many leading characters are bold
    lines = break_lines(ty, text, ctx.body_font, s, width, indent)
    out, pos = [], 0
    for ln, nat in lines:
        nb = max(0, min(len(ln), dl - pos))
        out.append((ln, nat, nb))
        pos += len(ln)
    return out


def byline_text(ctx, names, space):
    parts = []
    last = None
    for role, name in names:
        nm = name
        if space and len(name) == 2:
            nm = name[0] + '　' + name[1]
        if role and role != last:
            parts.append(role + '　' + nm)
        else:
            parts.append(nm)
        last = role
    return ctx.t('　'.join(parts))


def draw_item(ops, ctx, it, x, y, W):
    ty = ctx.ty
    y += it.get('pre', 0.0)
    if it['kind'] == 'par':
        ind = it['indent']
        ln, nb = it['text'], it['bold']
        just = not it['last']
        if nb:
            bold, rest = ln[:nb], ln[nb:]
            wb = ty.width(ctx.dateline_font, it['size'], bold)
            wr = ty.width(it['font'], it['size'], rest)
            nat = wb + wr
            n = len(ln)
            sp = (W - ind - nat) / (n - 1) if (just and n > 1) else 0.0
            if sp > it['size'] * 0.12:
                sp = 0.0
            ops.text(x + ind, y, ctx.dateline_font, it['size'], bold, sp)
            if rest:
                ops.text(x + ind + wb + sp * len(bold), y, it['font'], it['size'], rest, sp)
        else:
            draw_line(ops, ty, x + ind, y, W - ind, it['font'], it['size'], ln, it['nat'], just)
    else:
        draw_line(ops, ty, x, y, W, it['font'], it['size'], it['text'], it['nat'], False,
                  align=it.get('align', 'left'))


def flow_columns(items, k, starts, H):
    """Place items into k columns (column i usable from starts[i] to H). Returns list of
    (item, col, y) or None when it does not fit."""
    out = []
    col = 0
    y = starts[0]
    i = 0
    n = len(items)
    while i < n:
        it = items[i]
        h = it['h'] + it.get('pre', 0.0) + it.get('after', 0.0)
        pre = it.get('pre', 0.0)
        if y == starts[col] and pre:
            h -= pre  # no space above a subheading at the top of a column
        need = h
        if it.get('keep') and i + 1 < n:  # keep a subheading with the next line
            need += items[i + 1]['h']
        if y + need > H + 0.01:
            col += 1
            if col >= k:
                return None
            y = starts[col]
            continue
        top = y - (pre if (y == starts[col] and pre) else 0.0)
        out.append((it, col, top))
        y += h
        i += 1
    return out


def balanced(items, k, starts, hmin):
    """Smallest column height that holds the flow, with the result."""
    total = sum(it['h'] + it.get('pre', 0) + it.get('after', 0) for it in items)
    lo = max(hmin, max(starts) + 1)
    lo = max(lo, min(starts) + total / k)
    step = items[0]['h'] / 2 if items else 4
    H = lo
    for _ in range(4000):
        res = flow_columns(items, k, starts, H)
        if res is not None:
            return H, res
        H += step
    return None, None


def compose(ctx, st, p, hmax, allow_jump=False):
    """Lay out a story in p['k'] columns. Returns a block dict (ops, height, gold) or None."""
    g, ty, rng = ctx.grid, ctx.ty, ctx.rng
    k = p['k']
    Wk = g.spanw(k)
    Wh = g.spanw(p['hcols'])
    s, lh = g.s, g.lh
    ops = Ops()
    y = 0.0
    pad = 0.0
    if p['boxed']:
        pad = s * 0.6
        y = pad
    x0 = 0.0
    gold = {'section': None}
    if p.get('kicker'):
        ks = max(s * 1.05, p['hsize'] * 0.45)
        kt = ctx.t(p['kicker'])
        for ln, nat in break_lines(ty, kt, 'serif' if ctx.head_font == 'sansb' else 'sans', ks, Wh):
            draw_line(ops, ty, x0, y, Wh, 'serif' if ctx.head_font == 'sansb' else 'sans', ks, ln, nat,
                      False, align=p['halign'])
            y += ks * 1.35
        y += ks * 0.15
        gold['kicker'] = kt
    # headline
    ht = ctx.t(p['headline'])
    hsize = p['hsize']
    maxl = 3 if p['hcols'] == 1 else 2
    while True:
        total = ty.width(ctx.head_font, hsize, ht)
        nlines = int(total / Wh - 1e-6) + 1
        if nlines <= maxl or hsize <= 11:
            break
        hsize *= 0.9
    hl = balanced_lines(ty, ht, ctx.head_font, hsize, Wh)
    for ln, nat in hl:
        draw_line(ops, ty, x0, y, Wh, ctx.head_font, hsize, ln, nat, False, align=p['halign'])
        y += hsize * 1.22
    gold['headline'] = ht
    if p.get('subtitle'):
        ss = max(s * 1.1, hsize * 0.5)
        sf = 'serif' if ctx.head_font == 'sansb' else 'sans'
        stt = ctx.t(p['subtitle'])
        y += ss * 0.15
        for ln, nat in break_lines(ty, stt, sf, ss, Wh):
            draw_line(ops, ty, x0, y, Wh, sf, ss, ln, nat, False, align=p['halign'])
            y += ss * 1.35
        gold['subtitle'] = stt
    bylines = []
    for bl in st['bylines']:
        for role, name in bl['names']:
            bylines.append({'name': ctx.t(name), 'role': ctx.t(role)})
    if st['bylines'] and p['byline_pos'] == 'head':
        y += s * 0.3
        for bl in st['bylines']:
            txt = byline_text(ctx, bl['names'], p['byline_space'])
            for ln, nat in break_lines(ty, txt, ctx.byline_font, s, Wh):
                draw_line(ops, ty, x0, y, Wh, ctx.byline_font, s, ln, nat, False,
                          align=p['halign'] if rng.random() < 0.7 else 'right')
                y += lh
    head_bottom = y + s * 0.6
    y = head_bottom
    # 核心提示
    lead_blocks = []
    if p['lead_box']:
        b0 = st['blocks'][0]
        txt = ctx.t(b0['text'])
        inner = Wk - 2 * s
        lab = ctx.t('核心提示')
        lines = break_lines(ty, txt, ctx.cap_font, s, inner, 2 * s)
        bh = s * 1.6 + len(lines) * lh + s
        top = y if p['hcols'] == k else 0.0
        if p['hcols'] != k:
            head_bottom = max(head_bottom, 0)
        ops.rect(x0, top, Wk, bh, fill=235, stroke=True, lw=0.6)
        ops.rect(x0, top, ty.width('sansb', s, lab) + s, s * 1.5, fill=40, stroke=False)
        ops.text(x0 + s * 0.5, top + s * 0.25, 'sansb', s, lab, 0.0, 255)
        yy = top + s * 1.6 + s * 0.3
        for li, (ln, nat) in enumerate(lines):
            ind = 2 * s if li == 0 else 0.0
            draw_line(ops, ty, x0 + s + ind, yy, inner - ind, ctx.cap_font, s, ln, nat, li < len(lines) - 1)
            yy += lh
        lead_blocks = [{'kind': 'paragraph', 'text': txt}]
        if p['hcols'] == k:
            y = top + bh + s * 0.8
            head_bottom = y
        else:
            # the box sits at the top and the headline beside it would collide: keep it simple
            y = max(y, top + bh + s * 0.8)
            head_bottom = y
    # body columns: obstacles from the headline (when it spans fewer columns) and the photo
    starts = [head_bottom if (c < p['hcols'] or p['lead_box']) else 0.0 for c in range(k)]
    if p['boxed']:
        starts = [max(v, pad) for v in starts]
    photo_gold = []
    ph = p.get('photo')
    if ph:
        j = ph['cols']
        c0 = 0 if ph['side'] == 'left' else k - j
        if p['hcols'] < k and ph['side'] == 'right':
            c0 = k - j
        py = max(starts[c0:c0 + j])
        pw = g.spanw(j)
        phh = max(3 * lh, pw * ph['ratio'])
        px = x0 + c0 * (g.cw + g.g)
        ops.rect(px, py, pw, phh, fill=rng.choice([170, 185, 200]), stroke=False, tag='photo')
        ops.line(px + pw * 0.1, py + phh * 0.8, px + pw * 0.45, py + phh * 0.45, lw=0.4, tag='photo')
        ops.line(px + pw * 0.45, py + phh * 0.45, px + pw * 0.9, py + phh * 0.75, lw=0.4, tag='photo')
        cy = py + phh + s * 0.4
        for c in st['captions']:
            ctext = ctx.t(c['text'])
            credit = ctx.t(c['credit'])
            full = ctext + credit
            for ln, nat in break_lines(ty, full, ctx.cap_font, s * 0.92, pw):
                draw_line(ops, ty, px, cy, pw, ctx.cap_font, s * 0.92, ln, nat, False, tag='photo')
                cy += s * 0.92 * 1.4
            photo_gold.append({'text': ctext, 'credit': credit})
        cy += s * 0.6
        for c in range(c0, c0 + j):
            starts[c] = cy
    items, blocks = make_flow(ctx, st, p)
    hmin = max(starts) if ph else 0.0
    H, placed = balanced(items, k, starts, hmin)
    jump = None
    if H is None or H > hmax - pad * 2:
        if not allow_jump:
            return None
        # fill the columns up to hmax, reserve a line for the jump line
        Hj = hmax - pad * 2
        if not any(it['kind'] == 'par' for it in items[:3]):
            return None
        jt = ctx.t('（下转第%s版）' % (cn_num(ctx.page_no + ctx.rng.randint(1, 3))
                                       if rng.random() < 0.6 else fw(str(ctx.page_no + 1))))
        cut_mid = rng.random() < 0.5
        best = None
        for m in range(len(items) - 1, 0, -1):
            if not cut_mid and items[m - 1]['kind'] == 'par' and not items[m - 1]['last']:
                continue
            if items[m - 1]['kind'] not in ('par',):
                continue
            nat = ty.width(ctx.byline_font, s, jt)
            sub = items[:m] + [{'h': lh, 'kind': 'jump', 'text': jt, 'nat': nat,
                                'font': ctx.byline_font, 'size': s, 'align': 'right'}]
            res = flow_columns(sub, k, starts, Hj)
            if res is not None:
                best = (m, res)
                break
        if best is None:
            return None
        m, placed = best
        H = Hj
        jump = jt
        items = items[:m]
    # draw the body in flow order
    bottoms = [0.0] * k
    for it, col, yy in placed:
        x = x0 + col * (g.cw + g.g)
        draw_item(ops, ctx, it, x, yy, g.cw)
        bottoms[col] = max(bottoms[col], yy + it['h'] + it.get('pre', 0))
    height = max(max(bottoms), max(starts), head_bottom) + pad
    if p['boxed']:
        ops.ops.insert(0, ('r', -pad * 0.8, 0, g.spanw(k) + 1.6 * pad, height, None, True, 0.8, None))
    # gold body from the printed items
    printed = {}
    for it in items:
        if 'block' in it:
            printed.setdefault(it['block'], []).append(it['text'])
    body = []
    for bi, b in enumerate(blocks):
        if bi not in printed:
            continue
        txt = ''.join(printed[bi])
        full = ctx.t(b['text'])
        blk = {'kind': b['kind'], 'text': txt}
        if txt != full:
            assert full.startswith(txt), (txt, full)
            blk['truncated'] = True
        body.append(blk)
    gold.update({'bylines': bylines, 'lead': lead_blocks, 'body': body, 'captions': photo_gold})
    if st['trail'] and st['trail']['kind'] == 'byline' and not jump:
        for role, name in st['trail']['names']:
            gold['bylines'].append({'name': ctx.t(name), 'role': ctx.t(role)})
    if jump is None and st['trail'] is None:
        pass
    if st['trail'] and jump:
        pass  # the trailing credit was not printed
    dl = None
    if st['dateline'] and (not (st['trail'] and st['trail']['kind'] == 'dateline') or not jump
                           or st['dateline'].get('text')):
        d = st['dateline']
        dl = {'agency': ctx.t(d['agency']), 'place': ctx.t(d['place']), 'date': ctx.t(d['date']),
              'reporters': [ctx.t(r) for r in d['reporters']]}
        if not d.get('text') and jump:
            dl = None  # its only source was the trailing line, not printed
    gold['dateline'] = dl
    if jump:
        gold['jump'] = jump
    gold['source_id'] = st['id']
    return {'ops': ops, 'h': height, 'gold': gold, 'story': st, 'printed_blocks': printed, 'lead': lead_blocks,
            'body_ops_from': None}


def compose_picture(ctx, st, k, hmax):
    """A picture-only item: photo, headline, caption."""
    g, ty, rng = ctx.grid, ctx.ty, ctx.rng
    s = g.s
    W = g.spanw(k)
    ops = Ops()
    y = 0.0
    ht = ctx.t(st['headline'])
    hsize = min(16, 12 + k)
    head_first = rng.random() < 0.5
    align = rng.choice(['center', 'left'])

    def head(y):
        for ln, nat in break_lines(ty, ht, ctx.head_font, hsize, W):
            draw_line(ops, ty, 0, y, W, ctx.head_font, hsize, ln, nat, False, align=align)
            y += hsize * 1.25
        return y + s * 0.3
    if head_first:
        y = head(y)
    phh = W * rng.uniform(0.5, 0.75)
    ops.rect(0, y, W, phh, fill=rng.choice([165, 180, 195]), stroke=False)
    ops.line(W * 0.1, y + phh * 0.85, W * 0.5, y + phh * 0.4, lw=0.4)
    ops.line(W * 0.5, y + phh * 0.4, W * 0.9, y + phh * 0.8, lw=0.4)
    y += phh + s * 0.4
    if not head_first:
        y = head(y)
    caps = []
    for c in st['captions']:
        ctext, credit = ctx.t(c['text']), ctx.t(c['credit'])
        lines = break_lines(ty, ctext + credit, ctx.cap_font, s, W, 2 * s)
        for li, (ln, nat) in enumerate(lines):
            ind = 2 * s if li == 0 else 0.0
            draw_line(ops, ty, ind, y, W - ind, ctx.cap_font, s, ln, nat, li < len(lines) - 1)
            y += g.lh
        caps.append({'text': ctext, 'credit': credit})
    h = y + s * 0.3
    if h > hmax:
        return None
    gold = {'section': None, 'headline': ht, 'bylines': [], 'dateline': None, 'lead': [], 'body': [],
            'captions': caps, 'source_id': st['id']}
    return {'ops': ops, 'h': h, 'gold': gold, 'story': st}


# ----------------------------------------------------------------------------------------
# page


def rubric_bar(ctx, name, latin, W):
    ty, s = ctx.ty, ctx.grid.s
    ops = Ops()
    style = ctx.rubric_style
    nm = ctx.t(name)
    size = s * 1.25
    label = nm
    # the pinyin line only when it fits beside the name
    if latin and ty.width('sansb', size, label) + size * 2.5 + ty.width('sans', size * 0.6, latin) > W:
        latin = None
    while ty.width('sansb', size, '■ ' + label) + size * 1.2 > W and size > s * 0.9:
        size *= 0.92
    if style == 'box':
        text = '■ ' + label
        ops.rect(0, 0, W, size * 1.8, fill=None, stroke=True, lw=0.8)
        ops.text(size * 0.5, size * 0.4, 'sansb', size, text)
        x = size * 0.5 + ty.width('sansb', size, text) + size * 0.6
        if latin:
            ops.text(x, size * 0.62, 'sans', size * 0.6, latin)
        h = size * 1.8
    elif style == 'reverse':
        ops.rect(0, 0, W, size * 1.7, fill=30, stroke=False)
        ops.text(size * 0.6, size * 0.35, 'sansb', size, label, 0.0, 255)
        if latin:
            ops.text(size * 1.2 + ty.width('sansb', size, label), size * 0.58, 'sans', size * 0.6, latin, 0.0, 255)
        h = size * 1.7
    else:  # tab: a short black tab with the name and a rule across
        tw = ty.width('sansb', size, label) + size * 1.2
        ops.rect(0, 0, tw, size * 1.6, fill=20, stroke=False)
        ops.text(size * 0.6, size * 0.3, 'sansb', size, label, 0.0, 255)
        ops.line(0, size * 1.6, W, size * 1.6, lw=1.6)
        if latin:
            ops.text(tw + size * 0.5, size * 0.55, 'sans', size * 0.6, latin)
        h = size * 1.6
    return ops, h + s * 0.7, latin


def masthead(ctx, date, page_no, section, front):
    g, ty = ctx.grid, ctx.ty
    ops = Ops()
    d = datetime.date.fromisoformat(date)
    fullw = ctx.rng.random() < 0.4
    ds = '%d年%d月%d日' % (d.year, d.month, d.day)
    if fullw:
        ds = fw(ds)
    wk = '星期' + WEEK[d.weekday()]
    label_style = ctx.rng.choice(['cn', 'fw', 'ascii'])
    if label_style == 'cn':
        plabel = '第%s版' % cn_num(page_no)
    elif label_style == 'fw':
        plabel = '第%s版' % fw(str(page_no))
    else:
        plabel = '第%d版' % page_no
    W = g.W - 2 * g.margin
    info = {'publication': ctx.t('人民日报'), 'date': date, 'page': ctx.t(plabel),
            'section': ctx.t(section) if section else None}
    if front:
        size = 54
        name = ctx.t('人民日报')
        nw = ty.width('sansb', size, name)
        x = (W - nw) / 2 if ctx.rng.random() < 0.5 else 0
        ops.text(x, 0, 'sansb', size, name, 8)
        ops.text(x, size * 1.15, 'sans', 8, 'RENMIN RIBAO', 1)
        y = size * 1.15 + 16
        ops.line(0, y, W, y, lw=2.0)
        ops.line(0, y + 3, W, y + 3, lw=0.5)
        line = '　'.join([ctx.t(ds), ctx.t(wk), ctx.t(plabel)])
        ops.text(0, y + 7, 'sans', 9, line)
        y += 7 + 9 * 1.4
        ops.line(0, y, W, y, lw=0.5)
        return ops, y + 10, info
    size = 10
    parts = [ctx.t('人民日报'), ctx.t(ds + '　' + wk), ctx.t(plabel + ('　' + section if section else ''))]
    if page_no % 2 == 0:
        left, mid, right = parts[2], parts[1], parts[0]
    else:
        left, mid, right = parts[0], parts[1], parts[2]
    ops.text(0, 0, 'sansb', size, left)
    ops.text((W - ty.width('sans', size, mid)) / 2, 0, 'sans', size, mid)
    ops.text(W - ty.width('sansb', size, right), 0, 'sansb', size, right)
    y = size * 1.5
    ops.line(0, y, W, y, lw=1.5)
    ops.line(0, y + 2.5, W, y + 2.5, lw=0.4)
    return ops, y + 12, info


def fits_score(h, hmax, target):
    return abs(h - target)


def build_page(out_dir, name, pool, used, rng, conv, seed_tag):
    ncols = rng.choice([4, 5, 5, 6, 6, 6, 7, 7])
    grid = Grid(rng, ncols)
    trad = rng.random() < 0.17
    front = rng.random() < 0.15
    page_no = 1 if front else rng.randint(2, 12)
    # one date per page, from the split's days with unused stories left
    dates = sorted({st['date'] for st in pool if st['id'] not in used})
    date = rng.choice(dates)
    cands = [st for st in pool if st['date'] == date and st['id'] not in used]
    if len(cands) < 12:
        cands += [st for st in pool if st['date'] != date and st['id'] not in used]
    rng.shuffle(cands)
    fallback = [st for st in pool if st['id'] not in used]
    rng.shuffle(fallback)
    fallback = fallback[:150]
    ty = Typo(grid.W, grid.H, trad)
    if trad:
        strings = []
        for st in {id(x): x for x in cands + fallback}.values():
            strings += story_strings(st)
        strings += [r for r, _ in RUBRICS] + [r for r, _ in PICTURE_RUBRICS] + PAGE_SECTIONS
        strings += ['人民日报', '核心提示'] + ['星期' + c for c in WEEK]
        conv.prime(strings)
    ctx = Ctx(rng, grid, ty, conv, trad, page_no)
    ctx.rubric_style = rng.choice(['box', 'reverse', 'tab'])
    section = None if front else rng.choice(PAGE_SECTIONS)
    mh_ops, mh_h, info = masthead(ctx, date, page_no, section, front)
    page_ops = Ops()
    page_ops.extend(mh_ops, grid.margin, grid.margin)
    top = grid.margin + mh_h
    sky = [top] * ncols
    placed = []
    rubrics_used = []
    rule_vert = rng.random() < 0.5
    late_photos = rng.random() < 0.2  # some pages draw pictures after the text
    n_articles = 0
    first = True
    force_k = None
    guard = 0
    while guard < 60:
        guard += 1
        m = min(sky)
        if m > grid.bottom - 5 * grid.lh:
            break
        c0 = sky.index(m)
        tol = 3 * grid.lh
        c1 = c0
        while c1 + 1 < ncols and sky[c1 + 1] <= m + tol:
            c1 += 1
        run = c1 - c0 + 1
        if force_k:
            k = force_k
        elif first:
            k = rng.choice([ncols, ncols, ncols - 1, max(2, (2 * ncols + 2) // 3)])
            if rng.random() < 0.5 and k < ncols:
                c0 = ncols - k if rng.random() < 0.3 else 0
        else:
            opts = list(range(1, min(run, 4) + 1))
            weights = [3 if x == 1 else 4 if x == 2 else 3 if x == 3 else 1 for x in opts]
            k = rng.choices(opts, weights)[0]
            if run <= 3 and rng.random() < 0.4:
                k = run
        y0 = max(sky[c0:c0 + k])
        hmax = grid.bottom - y0
        # a section group (rubric bar) over this slot?
        section_name, latin = None, None
        group_n = 1
        ops = Ops()
        yoff = 0.0
        if not first and rng.random() < 0.3 and hmax > 12 * grid.lh:
            section_name, latin = rng.choice(RUBRICS)
            if rng.random() < 0.4:
                latin = None
            group_n = rng.choice([1, 2, 2, 3])
        pic_group = False
        if not first and section_name is None and rng.random() < 0.12:
            section_name, latin = rng.choice(PICTURE_RUBRICS)
            pic_group = True
            group_n = 1
        if section_name:
            rb_ops, rb_h, latin = rubric_bar(ctx, section_name, latin, grid.spanw(k))
            ops.extend(rb_ops)
            yoff = rb_h
        blocks = []
        for gi in range(group_n):
            avail = hmax - yoff
            if avail < 5 * grid.lh:
                break
            blk = choose_story(ctx, cands, used, k, avail, first, pic_group)
            if blk is None and gi == 0 and not first:
                # the day's stories are running out or none fits: any unused story of the split
                blk = choose_story(ctx, fallback, used, k, avail, False, pic_group)
            if blk is None:
                break
            if gi > 0:
                ops.line(0, yoff - grid.s * 0.6, grid.spanw(k), yoff - grid.s * 0.6, lw=0.4)
            blk['y'] = yoff
            blocks.append(blk)
            yoff += blk['h'] + grid.s * 1.2
            used.add(blk['story']['id'])
        if not blocks:
            if first:
                first = False
                continue
            if k > 1 and force_k is None:
                force_k = 1  # try a single column before leaving the space white
                continue
            force_k = None
            for c in range(c0, c0 + k):
                sky[c] = grid.bottom + 1
            continue
        force_k = None
        first = False
        if section_name:
            sec = ctx.t(section_name)
            rubrics_used.append({'rubric': sec, 'latin': latin, 'line': None})
            for b in blocks:
                b['gold']['section'] = sec
        x = grid.colx(c0)
        if y0 > top + 1:
            page_ops.line(x, y0 - grid.s * 0.7, x + grid.spanw(k), y0 - grid.s * 0.7, lw=0.5)
        # article ops: when late_photos, photo rectangles go to the end of the stream
        page_ops.extend(ops, x, y0)
        for b in blocks:
            page_ops.extend(b['ops'], x, y0 + b['y'])
            placed.append(b)
            n_articles += 1
        bottom = y0 + yoff
        if rule_vert and c0 + k < ncols:
            xr = x + grid.spanw(k) + grid.g / 2
            page_ops.line(xr, y0 - grid.s * 0.3, xr, bottom - grid.s * 0.8, lw=0.3)
        for c in range(c0, c0 + k):
            sky[c] = bottom + grid.s * 0.6
    if late_photos:
        page_ops.ops = ([op for op in page_ops.ops if op[-1] != 'photo']
                        + [op for op in page_ops.ops if op[-1] == 'photo'])
    render(ty, page_ops.ops)
    pdf_path = os.path.join(out_dir, name + '.pdf')
    ty.pdf.set_title('%s %s' % (info['publication'], info['page']))
    ty.pdf.output(pdf_path)
    # gold
    arts = [b['gold'] for b in placed]
    sections = []
    seen = set()
    for a in arts:
        key = a['section']
        if key in seen:
            continue
        seen.add(key)
        if key is None:
            sections.append({'rubric': None, 'latin': None, 'line': None})
        else:
            r = next(x for x in rubrics_used if x['rubric'] == key)
            sections.append(r)
    ents = page_entities(ctx, placed)
    gold = {'source': name + '.pdf', 'generator': 'typeset2', 'seed': seed_tag,
            'info': info, 'script': 'traditional' if trad else 'simplified',
            'layout': {'columns': ncols, 'page_size': [grid.W, grid.H], 'front_page': front,
                       'body_size': grid.s, 'chars_per_line': grid.cpl},
            'sections': sections, 'photo_credit': None, 'articles': arts, 'entities': ents}
    with open(os.path.join(out_dir, name + '.gold.json'), 'w', encoding='utf-8') as f:
        json.dump(gold, f, ensure_ascii=False, indent=1)
    for mode, args in (('default', []), ('raw', ['-raw']), ('layout', ['-layout'])):
        subprocess.run(['pdftotext'] + args + ['-enc', 'UTF-8', pdf_path,
                                                os.path.join(out_dir, '%s.%s.txt' % (name, mode))], check=True)
    return gold


def page_entities(ctx, placed):
    """Gold PER/ORG/LOC from the corpus tags of the text actually printed."""
    out = {'person': [], 'organization': [], 'place': []}
    tmap = {'PER': 'person', 'ORG': 'organization', 'LOC': 'place'}
    for b in placed:
        st = b['story']
        g = b['gold']
        printed_text = g['headline'] + (g.get('kicker') or '') + (g.get('subtitle') or '')
        printed_text += ''.join(x['text'] for x in g['lead'] + g['body'])
        printed_text += ''.join(c['text'] + c['credit'] for c in g['captions'])
        printed_text += ''.join(x['name'] for x in g['bylines'])
        for e in st['entities']:
            t = ctx.t(e['text'])
            if t and t in printed_text:
                lst = out[tmap[e['type']]]
                if t not in lst:
                    lst.append(t)
    return out


def choose_story(ctx, cands, used, k, hmax, lead, pic_only):
    rng = ctx.rng
    pool = [st for st in cands if st['id'] not in used and st['picture']]
    if not pic_only:
        pool = [st for st in cands if st['id'] not in used and not st['picture']]
        # picture items may also stand without a rubric
        if rng.random() < 0.15:
            pool = [st for st in cands if st['id'] not in used and st['picture']] or pool
    if not pool:
        return None
    g = ctx.grid
    cap = (hmax / g.lh) * g.cpl * k  # characters the slot could hold
    if lead:
        sample = sorted(pool, key=lambda st: -corpus.story_chars(st))[:6]
        st = rng.choice(sample)
        if st['picture']:
            return compose_picture(ctx, st, k, hmax)
        p = plan_story(ctx, st, k, lead=True)
        # the lead takes at most ~2/3 of the page; a longer one continues on another page
        # (jump line), and some are cut shorter on purpose
        cap_h = hmax * (rng.uniform(0.35, 0.6) if rng.random() < 0.35 else 0.68)
        return compose(ctx, st, p, cap_h, allow_jump=True)
    target = rng.uniform(0.25, 1.0) * hmax
    best = None
    tries = 0
    for st in pool:
        if tries >= 14:
            break
        n = corpus.story_chars(st)
        if n > cap * 1.05:
            continue
        tries += 1
        if st['picture']:
            blk = compose_picture(ctx, st, k, hmax)
        else:
            p = plan_story(ctx, st, k)
            blk = compose(ctx, st, p, hmax)
        if blk is None:
            continue
        sc = fits_score(blk['h'], hmax, target)
        if best is None or sc < best[0]:
            best = (sc, blk)
    if best is None and hmax > 20 * g.lh and rng.random() < 0.6:
        # a long story continued on another page
        longs = [st for st in pool if not st['picture'] and corpus.story_chars(st) > cap]
        if longs:
            st = rng.choice(longs[:5])
            p = plan_story(ctx, st, k)
            p['photo'] = None
            return compose(ctx, st, p, hmax, allow_jump=True)
    return best[1] if best else None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', required=True)
    ap.add_argument('--split', choices=['tune', 'held'], required=True)
    ap.add_argument('--pages', type=int, default=30)
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args(argv)
    days = set(range(1, 11)) if args.split == 'tune' else set(range(11, 21))
    pool = corpus.load(days)
    os.makedirs(args.out, exist_ok=True)
    conv = Converter()
    used = set()
    summary = []
    for i in range(1, args.pages + 1):
        rng = random.Random('typeset2:%s:%d:%d' % (args.split, args.seed, i))
        name = 'p%02d' % i
        gold = build_page(args.out, name, pool, used, rng, conv, '%s/%d/%d' % (args.split, args.seed, i))
        summary.append('%s %s cols=%d articles=%d %s' % (name, gold['info']['date'], gold['layout']['columns'],
                                                       len(gold['articles']), gold['script']))
        print(summary[-1], flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
