"""Fills a Page with stories (bands of modules) and writes it out as HTML and as gold."""
import datetime
import html

from layout import Page, RUBRICS, PUBLICATIONS, SECTIONS, WEEKDAYS, cn_number, fullwidth
from source import CAPTION_CREDIT

PARTITIONS = {
    4: [[4], [3, 1], [1, 3], [2, 2], [2, 1, 1], [1, 2, 1]],
    5: [[5], [3, 2], [2, 3], [4, 1], [2, 2, 1], [1, 3, 1], [1, 2, 2]],
    6: [[6], [4, 2], [2, 4], [3, 3], [3, 2, 1], [2, 2, 2], [1, 4, 1], [2, 3, 1]],
}
HEADER_MM = 12
BAND_GAP_MM = 4


def esc(s):
    return html.escape(s, quote=False)


# -- filling -------------------------------------------------------------------------------

def make_item(page, s, k):
    if s.picture_only:
        if s.photos >= 2 or (k >= 2 and page.rng.random() < 0.3):
            return page.photo_series(s, k)
        return page.picture(s, k)
    st = page.prepare(s, k)
    if page.page_credit is not None:
        strip_credits(page, st)
    return st


def strip_credits(page, st):
    """On a page with one photo credit line, captions lose their own （…摄）."""
    pairs = [(st, 'top_caption', 'top_credit')] if st.get('top_photo') else []
    for ph in st['photos']:
        pairs.append((ph, 'caption', 'credit'))
    for holder, tk, ck in pairs:
        m = CAPTION_CREDIT.search(holder[tk])
        if m:
            holder[tk] = holder[tk][:m.start()]
            if not page.page_credit:
                page.page_credit = m.group(1)
        holder[ck] = ''


def fill_module(page, queue, k, target, can_jump):
    rng = page.rng
    mod = {'k': k, 'stories': [], 'rubric': None}
    used = 0.0
    if k <= 3 and rng.random() < 0.3:
        name, latin = rng.choice(RUBRICS)
        mod['rubric'] = (page.conv.text(name), latin if rng.random() < 0.7 else None)
        used += 8
    while queue:
        taken = None
        for idx in range(min(10, len(queue))):
            st = make_item(page, queue[idx], k)
            h = page.height(st)
            if used + h <= target:
                taken = (idx, st, h)
                break
        if taken is None:
            if can_jump() and target - used > 40:
                for idx in range(min(4, len(queue))):
                    if queue[idx].picture_only:
                        continue
                    st = make_item(page, queue[idx], k)
                    if page.truncate(st, k, target - used):
                        taken = (idx, st, page.height(st))
                        page.jumps += 1
                        break
            if taken is None:
                break
        idx, st, h = taken
        queue.pop(idx)
        mod['stories'].append(st)
        used += h + 3
        if 'jump' in st:
            break
    mod['height'] = used
    return mod


def fill(page, queue):
    rng = page.rng
    avail = page.h - 2 * page.margin - HEADER_MM
    y = 0.0
    first = True
    while avail - y > 40 and queue:
        parts = rng.choice(PARTITIONS[page.ncols][:1] if first and rng.random() < 0.3 else PARTITIONS[page.ncols])
        target = avail * (rng.uniform(0.35, 0.5) if first else rng.uniform(0.22, 0.4))
        if avail - y - target < 50:
            target = avail - y
        target = min(target, avail - y)
        band = []
        for k in parts:
            mod = fill_module(page, queue, k, target, lambda: page.jumps < 3)
            if mod['stories']:
                band.append(mod)
        if not band:
            break
        page.bands.append(band)
        y += max(m['height'] for m in band) + BAND_GAP_MM
        first = False


def drop_last_story(page):
    """Used when the real render overflowed the page: take the last story off."""
    band = page.bands[-1]
    mod = band[-1]
    mod['stories'].pop()
    if not mod['stories']:
        band.pop()
    if not band:
        page.bands.pop()


# -- HTML ----------------------------------------------------------------------------------

def masthead(page, date, label_no, pub):
    rng = page.rng
    d = datetime.date.fromisoformat(date)
    section = SECTIONS.get(label_no, '综合新闻')
    form = rng.randrange(3)
    code = 'A%02d' % label_no
    if form == 0:
        text = '%s　%d年%d月%d日　星期%s　第%d版　%s' % (pub, d.year, d.month, d.day, WEEKDAYS[d.weekday()], label_no, section)
        label = str(label_no)
    elif form == 1:
        text = '%s/%d 年/%d 月/%d 日/第 %s 版%s' % (pub, d.year, d.month, d.day, code, section)
        label = code
    else:
        text = '第%s版　%s年%s月%s日　星期%s　%s　%s' % (cn_number(label_no), fullwidth(str(d.year)), fullwidth(str(d.month)),
                                               fullwidth(str(d.day)), WEEKDAYS[d.weekday()], pub, section)
        label = str(label_no)
    info = {'publication': page.conv.text(pub), 'date': date, 'page': label, 'section': page.conv.text(section)}
    return page.conv.text(text), info


def byline_text(page, by, tail):
    rng = page.rng
    names = [(n[0] + '　' + n[1]) if len(n) == 2 and rng.random() < 0.5 else n for n in by['names']]
    t = by['role'] + ('　' if by['role'] else '') + '　'.join(names)
    return '（%s）' % t if tail and rng.random() < 0.5 else t


def story_html(page, st):
    k = st['k']
    out = []
    align = 'center' if page.rng.random() < 0.5 else 'left'
    hp = page.head_pt(k)
    if st.get('picture'):
        out.append('<div class="pic">')
        if st.get('series'):
            w = (page.module_w(k) - 3 * (len(st['series']) - 1)) / len(st['series']) - 0.5
            out.append('<p class="pictitle">%s</p><div class="series">' % esc(st['headline']))
            for p in st['series']:
                out.append('<div class="sp" style="width:%.1fmm"><div class="photo" style="height:30mm"></div>'
                           '<p class="label">%s</p></div>' % (w, esc(p)))
            out.append('</div>')
        else:
            out.append('<div class="photo" style="height:40mm"></div><p class="pictitle">%s</p>' % esc(st['headline']))
        if st.get('caption'):
            out.append('<p class="cap">%s</p>' % esc(st['caption'] + st.get('credit_inline', '')))
        out.append('</div>')
        return ''.join(out)
    if st.get('top_photo'):
        inline = '' if st['photos'] else st.get('credit_inline', '')
        out.append('<div class="photo" style="height:%.1fmm"></div><p class="cap">%s</p>'
                   % (st['top_photo'], esc(st['top_caption'] + inline)))
    out.append('<div class="cols" style="columns:%d">' % k)
    if st.get('kicker'):
        out.append('<p class="kicker" style="text-align:%s">%s——</p>' % (align, esc(st['kicker'])))
    out.append('<h1 style="font-size:%.1fpt;text-align:%s">%s</h1>' % (hp, align, esc(st['headline'])))
    if st.get('subtitle'):
        out.append('<p class="subtitle" style="text-align:%s">——%s</p>' % (align, esc(st['subtitle'])))
    if st.get('byline_top'):
        out.append('<p class="byline">%s</p>' % esc(byline_text(page, st['byline_top'], False)))
    if st.get('lead'):
        out.append('<div class="lead"><p class="leadtitle">核心提示</p>%s</div>'
                   % ''.join('<p>%s</p>' % esc(b.text) for b in st['lead']))
    photos = {}
    for ph in st['photos']:
        photos.setdefault(ph['after'], []).append(ph)
    for i, b in enumerate(st['blocks']):
        if b.kind == 'subheading':
            out.append('<p class="subhead">%s</p>' % esc(b.text))
        else:
            out.append('<p class="body">%s</p>' % esc(b.text))
        for ph in photos.get(i, []):
            inline = st.get('credit_inline', '') if ph is st['photos'][-1] else ''
            out.append('<div class="photo" style="height:%dmm"></div><p class="cap">%s</p>'
                       % (ph['h'], esc(ph['caption'] + inline)))
    if st.get('byline_tail'):
        out.append('<p class="tail">%s</p>' % esc(byline_text(page, st['byline_tail'], True)))
    if st.get('jump'):
        out.append('<p class="jump">%s</p>' % esc(st['jump']))
    out.append('</div>')
    return ''.join(out)


CSS = """
@font-face { font-family: BedSerif; src: url(%(serif)s); }
@font-face { font-family: BedSans; src: url(%(sans)s); }
@page { size: %(w)smm %(h)smm; margin: %(m)smm; }
body { font-family: BedSerif; font-size: %(pt)spt; line-height: %(lh)s; margin: 0; }
p { margin: 0; }
.masthead { font-family: BedSans; font-size: 10pt; border-bottom: 2pt solid #000; padding-bottom: 1.5mm; margin-bottom: 3mm; }
.band { overflow: hidden; border-bottom: 0.6pt solid #666; margin-bottom: %(gap)smm; padding-bottom: 1mm; }
.mod { float: left; }
.story { margin-bottom: 3mm; }
.cols { column-gap: %(g)smm; column-fill: balance; }
h1 { column-span: all; font-family: BedSans; line-height: 1.3; margin: 0.5mm 0 1.5mm; }
.kicker, .subtitle { column-span: all; font-size: 1.15em; line-height: 1.3; }
.subtitle { margin-bottom: 1.5mm; }
.byline { font-family: BedSans; font-size: 0.95em; margin-bottom: 1mm; }
.body { text-indent: 2em; text-align: justify; }
.subhead { font-family: BedSans; text-align: center; margin: 0.6mm 0; }
.lead { border: 0.8pt solid #000; padding: 1.2mm; margin-bottom: 1.5mm; break-inside: avoid; }
.leadtitle { font-family: BedSans; }
.photo { background: #9a9a9a; margin: 1mm 0 0.8mm; break-inside: avoid; }
.cap { font-size: 0.88em; line-height: 1.4; margin-bottom: 1mm; }
.tail, .jump { text-align: right; }
.rubric { font-family: BedSans; background: #dcdcdc; padding: 0.6mm 1.5mm; margin-bottom: 1.5mm; }
.latin { font-size: 0.8em; letter-spacing: 0.5pt; }
.pictitle { font-family: BedSans; font-size: 1.2em; margin: 0.8mm 0; }
.series .sp { display: inline-block; margin-right: 2.5mm; vertical-align: top; }
.label { text-align: center; font-family: BedSans; font-size: 0.9em; }
"""


def to_html(page, header, fonts):
    s = page.spec
    css = CSS % {'serif': fonts['serif'], 'sans': fonts['sans'], 'w': s['size'][0], 'h': s['size'][1],
                 'm': s['margin'], 'pt': s['body_pt'], 'lh': s['leading'], 'g': page.gutter, 'gap': BAND_GAP_MM}
    out = ['<html><head><meta charset="utf-8"><style>', css, '</style></head><body>',
           '<div class="masthead">%s</div>' % esc(header)]
    credit_done = False
    last_photo_story = None
    for band in page.bands:
        for mod in band:
            for st in mod['stories']:
                st.pop('credit_inline', None)  # left from an earlier render of an overfull page
                if st.get('photos') or st.get('top_photo') or st.get('picture'):
                    last_photo_story = st
    for band in page.bands:
        out.append('<div class="band">')
        for j, mod in enumerate(band):
            style = 'width:%.2fmm;%s' % (page.module_w(mod['k']) - 0.05, 'margin-left:%.2fmm' % page.gutter if j else '')
            out.append('<div class="mod" style="%s">' % style)
            if mod['rubric']:
                name, latin = mod['rubric']
                out.append('<p class="rubric">■ %s%s</p>' % (esc(name), ' <span class="latin">%s</span>' % latin if latin else ''))
            for st in mod['stories']:
                inline = st is last_photo_story and page.page_credit and page.rng.random() < 0.5
                if inline and (st.get('caption') or st.get('photos') or st.get('top_photo')):
                    # the page credit on the same line as the last caption
                    st['credit_inline'] = '　' + page.page_credit_line
                    credit_done = True
                out.append('<div class="story">%s</div>' % story_html(page, st))
                if st is last_photo_story and page.page_credit and not credit_done:
                    out.append('<p class="cap" style="text-align:right">%s</p>' % esc(page.page_credit_line))
                    credit_done = True
            out.append('</div>')
        out.append('</div>')
    return ''.join(out) + '</body></html>', credit_done
