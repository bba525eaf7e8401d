"""Noto CJK fonts cut down to the characters the bed can print.

WeasyPrint subsets every font it embeds; on the full Noto CJK collections (65,535 glyphs)
that takes over a minute per page. Cutting them once to the corpus' characters (Simplified
and their OpenCC Traditional forms) makes a page take seconds; the glyphs are unchanged.
"""
import hashlib
import json
import os
import string
import subprocess

NOTO = '/usr/share/fonts/opentype/noto'
FACES = {'serif': ('NotoSerifCJK-Regular.ttc', 2), 'sans': ('NotoSansCJK-Bold.ttc', 2)}  # 2 = SC
EXTRA = ('■—…·“”‘’（）《》〈〉「」『』、，。：；！？　' + '０１２３４５６７８９' + string.printable
         + '本版图片由摄攝下转轉第核心提示年月日星期一二三四五六七八九十〇')
CACHE = os.environ.get('PDFBED_CACHE', os.path.expanduser('~/.cache/folio-pdfbed'))


def charset(corpus):
    chars = set(EXTRA)
    with open(corpus, encoding='utf-8') as f:
        for line in f:
            for p in json.loads(line)['paragraphs']:
                chars.update(p)
    simp = ''.join(sorted(chars - {'\n'}))
    for cfg in ('s2t.json', 's2tw.json'):
        out = subprocess.run(['opencc', '-c', cfg], input=simp, text=True, capture_output=True, check=True)
        chars.update(out.stdout)
    return ''.join(sorted(chars - {'\n'}))


def subset_fonts(corpus):
    """file:// URLs of the cut-down serif (body) and sans bold (headlines) fonts."""
    from fontTools import subset
    text = charset(corpus)
    key = hashlib.sha256(text.encode()).hexdigest()[:12]
    os.makedirs(CACHE, exist_ok=True)
    urls = {}
    for face, (fname, number) in FACES.items():
        path = os.path.join(CACHE, '%s-%s.otf' % (face, key))
        if not os.path.exists(path):
            opts = subset.Options()
            opts.font_number = number
            opts.layout_features = ['*']
            opts.hinting = False
            opts.desubroutinize = True
            font = subset.load_font(os.path.join(NOTO, fname), opts)
            sub = subset.Subsetter(opts)
            sub.populate(text=text)
            sub.subset(font)
            subset.save_font(font, path + '.tmp', opts)
            os.replace(path + '.tmp', path)
        urls[face] = 'file://' + path
    return urls
