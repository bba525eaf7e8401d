"""Lays stories out on one newspaper page (HTML for WeasyPrint) and writes the page's gold.

Every random choice comes from the `random.Random` handed in, so a seed fixes the page.
The page is a masthead line and horizontal bands; a band is a row of modules whose widths
add up to the page's column count; a module holds one or more stories set in its own CSS
columns (headlines span the module). Heights are estimated from the fact that a CJK glyph is
1em wide, so the page is filled without trial renders; make_bed.py checks the real page count.
"""
import math

from source import Block
import script

MM = 2.8346  # points per millimetre
FIT = 1.0  # scale of the height estimates; an overfull page loses its last stories
CN_NUM = '〇一二三四五六七八九十'

RUBRICS = [('国际观察', 'GUOJI GUANCHA'), ('经济广角', 'JINGJI'), ('地方传真', 'DIFANG'), ('简讯', None),
           ('今日谈', None), ('社会纵横', 'SHEHUI'), ('文化周末', 'WENHUA'), ('科教天地', None),
           ('要闻速递', 'YAOWEN'), ('基层来信', None), ('环球博览', 'HUANQIU'), ('百姓生活', 'SHENGHUO')]
PUBLICATIONS = ['人民日报', '人民日报', '滨江日报', '东岭晚报', '北川都市报']
SECTIONS = {1: '要闻', 2: '经济', 3: '国际', 4: '要闻', 5: '经济', 6: '国际', 7: '国际新闻', 8: '体育',
            9: '理论', 10: '社会', 11: '综合新闻', 12: '文艺副刊'}
WEEKDAYS = '一二三四五六日'
SERIES_PLACES = ['广东', '浙江', '江苏', '山东', '四川', '湖南', '河北', '福建', '云南', '辽宁']


def cn_number(n):
    if n <= 10:
        return CN_NUM[n]
    return ('' if n < 20 else CN_NUM[n // 10]) + '十' + ('' if n % 10 == 0 else CN_NUM[n % 10])


def fullwidth(s):
    return ''.join(chr(ord(c) + 0xFEE0) if '0' <= c <= '9' else c for c in s)


class Page:
    def __init__(self, rng, spec):
        self.rng = rng
        self.spec = spec
        self.w, self.h, self.margin = spec['size'][0], spec['size'][1], spec['margin']
        self.ncols, self.gutter = spec['ncols'], spec['gutter']
        self.body_pt = spec['body_pt']
        self.line_mm = self.body_pt * spec['leading'] / MM
        self.content_w = self.w - 2 * self.margin
        self.col_w = (self.content_w - (self.ncols - 1) * self.gutter) / self.ncols
        self.conv = script.Converter(spec['script'], rng)
        self.bands = []  # list of lists of modules; a module is a dict
        self.jumps = 0
        self.page_credit = None

    # -- measuring -------------------------------------------------------------------------

    def module_w(self, k):
        return k * self.col_w + (k - 1) * self.gutter

    def cpl(self, k=1, pt=None):
        return max(1, int(self.module_w(k) * MM / (pt or self.body_pt) - 0.2))

    def lines(self, text, pt=None, indent=2, k=1):
        return math.ceil((len(text) + indent) / self.cpl(k, pt))

    def head_pt(self, k):
        return self.spec['head_pt'] * (1.0 if k >= 3 else 0.8 if k == 2 else 0.62)

    def story_height(self, st, k):
        """Estimated height in mm of a story in a k-column module."""
        hp = self.head_pt(k)
        h = self.lines(st['headline'], hp, 0, k) * hp * 1.3 / MM + 2
        for key in ('kicker', 'subtitle'):
            if st.get(key):
                h += self.lines(st[key], self.body_pt * 1.15, 0, k) * self.line_mm * 1.15
        if st.get('top_photo'):
            h += st['top_photo'] + self.lines(st['top_caption'], self.body_pt * 0.85, 0, k) * self.line_mm + 3
        col = 0
        if st.get('byline_top'):
            col += 1.5
        if st.get('lead'):
            col += 2.5 + sum(self.lines(b.text) for b in st['lead'])
        for b in st['blocks']:
            col += self.lines(b.text, indent=2 if b.kind == 'paragraph' else 0) + (0.6 if b.kind == 'subheading' else 0)
        for ph in st.get('photos', []):
            col += (ph['h'] + 2) / self.line_mm + self.lines(ph['caption'], indent=0) * 0.9
        col += 1 if st.get('byline_tail') else 0
        col += 1 if st.get('jump') else 0
        return (h + (math.ceil(col / k) + 0.5) * self.line_mm + 2) * FIT

    # -- building --------------------------------------------------------------------------

    def prepare(self, s, k):
        """A story dict (texts converted to the page's script) from a source Story."""
        rng, c = self.rng, self.conv
        st = {'src': s, 'k': k, 'headline': c.text(s.headline), 'blocks': [],
              'entities': s.entities}
        if s.subtitle and rng.random() < 0.35:
            # a `A——B` title set as kicker (引题) `A——` over the headline `B`
            st['kicker'], st['headline'] = st['headline'], c.text(s.subtitle)
        elif s.subtitle:
            st['subtitle'] = c.text(s.subtitle)
        if s.deck:
            if rng.random() < 0.5:
                st['kicker'] = c.text(s.deck)
            else:
                st['subtitle'] = c.text(s.deck)
        if s.byline:
            by = {'role': c.role(s.byline.role), 'names': [c.text(n) for n in s.byline.names]}
            st['byline_top' if rng.random() < 0.65 else 'byline_tail'] = by
        st['dateline'] = s.dateline
        if s.dateline:
            st['dateline_reporters'] = [c.text(n) for n in s.dateline.reporters]
        blocks = [Block(b.kind, c.text(b.text)) for b in s.blocks]
        if (not s.dateline and len(blocks) >= 4 and blocks[0].kind == 'paragraph'
                and len(blocks[0].text) < 260 and rng.random() < 0.3):
            st['lead'] = [blocks.pop(0)]
        st['blocks'] = blocks
        caps = [(c.text(t), c.text(cr)) for t, cr in s.captions]
        st['photos'] = []
        if caps and not s.picture_only:
            if rng.random() < 0.35:
                st['top_photo'] = rng.choice([28, 34, 40]) * min(k, 2) / 1.5
                st['top_caption'], st['top_credit'] = caps.pop(0)
            for t, cr in caps[:2]:
                st['photos'].append({'h': rng.choice([24, 30, 36]), 'caption': t, 'credit': cr,
                                     'after': rng.randrange(0, max(1, min(3, len(blocks))))})
        return st

    def truncate(self, st, k, height):
        """Cut the story's body so that it fits `height` mm; adds a jump line. False when it cannot."""
        st['jump'] = '（下转第%s版）' % cn_number(min(20, st['src'].page + self.rng.randint(1, 3)))
        blocks = st['blocks']
        for n in range(len(blocks), 0, -1):
            st['blocks'] = blocks[:n]
            last = blocks[n - 1]
            if last.kind != 'paragraph':
                continue
            for frac in (0.8, 0.6, 0.4, 0.25):
                cut = max(12, int(len(last.text) * frac))
                if cut >= len(last.text) - 4:
                    continue
                # never cut right after a sentence end: the reader must see it is cut
                while cut < len(last.text) - 4 and last.text[cut - 1] in '。！？”…；，、':
                    cut += 1
                part = Block('paragraph', last.text[:cut])
                part.truncated = True
                st['blocks'] = blocks[:n - 1] + [part]
                if self.story_height(st, k) <= height:
                    # what follows the cut is on another page: later photos, a trailing byline
                    st['photos'] = [ph for ph in st['photos'] if ph['after'] < n]
                    st.pop('byline_tail', None)
                    return True
        st['blocks'] = blocks
        del st['jump']
        return False

    def photo_series(self, s, k):
        rng, c = self.rng, self.conv
        text, credit = s.captions[0]
        n = max(2, min(s.photos, k + 1, 4))
        places = [p for p in s.entities.get('place', []) if 2 <= len(p) <= 4][:n]
        while len(places) < n:
            p = rng.choice(SERIES_PLACES)
            if p not in places:
                places.append(p)
        return {'src': s, 'k': k, 'series': [c.text(p) for p in places], 'headline': c.text(s.headline),
                'caption': c.text(text), 'credit': c.text(credit), 'blocks': [], 'entities': s.entities,
                'picture': True}

    def picture(self, s, k):
        c = self.conv
        text, credit = s.captions[0]
        st = {'src': s, 'k': k, 'headline': c.text(s.headline), 'caption': c.text(text),
              'credit': c.text(credit), 'blocks': [], 'entities': s.entities, 'picture': True}
        if self.rng.random() < 0.3:  # the picture-only form: a title line and the photo, no caption
            st['headline'] += '（图片）'
            st['caption'] = None
        return st

    def picture_height(self, st, k):
        ph = 30 if st.get('series') else 40
        h = ph + 4 + self.lines(st['headline'], self.body_pt * 1.2, 0, k) * self.line_mm * 1.2
        if st.get('series'):
            h += self.line_mm * 1.3
        if st.get('caption'):
            h += self.lines(st['caption'], self.body_pt * 0.9, 0, k) * self.line_mm
        return h + 3

    def height(self, st):
        return self.picture_height(st, st['k']) if st.get('picture') else self.story_height(st, st['k'])
