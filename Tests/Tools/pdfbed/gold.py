"""The gold of a laid-out page, in the shape ../shared/eval/score_parse.py reads.

It is written from what was typeset, never from a parser's output. One gold serves the three
pdftotext extractions of a page, so it holds no line numbers; texts are as printed (page
script, full-width digits, a paragraph's dateline kept), joined across visual lines and
column breaks. What is furniture rather than content is in no article: the masthead line
(it is `info`), jump lines (a `jump` note on the article), a page photo credit
(`photo_credit`), the place labels under the photos of a series, and the 核心提示 title.
"""


def _blocks(blocks):
    out = []
    for b in blocks:
        d = {'kind': b.kind, 'text': b.text}
        if getattr(b, 'truncated', False):
            d['truncated'] = True
        out.append(d)
    return out


def _bylines(by):
    return [{'name': n, 'role': by['role']} for n in by['names']] if by else []


def _dateline(page, st):
    d = st.get('dateline')
    if not d:
        return None
    conv = page.conv._convert if page.conv.converting else (lambda s: s)
    return {'agency': conv(d.agency), 'place': conv(d.place) if d.place else None,
            'date': d.date or None, 'reporters': st.get('dateline_reporters', [])}


def article(page, st, section):
    a = {'section': section, 'kicker': st.get('kicker'), 'headline': st['headline'],
         'subtitle': '——' + st['subtitle'] if st.get('subtitle') else None,
         'bylines': _bylines(st.get('byline_top') or st.get('byline_tail')),
         'dateline': _dateline(page, st), 'lead': _blocks(st.get('lead', [])),
         'body': _blocks(st['blocks']), 'captions': [], 'source_article': st['src'].id}
    if st.get('picture'):
        if st.get('caption'):
            a['captions'].append({'text': st['caption'], 'credit': st.get('credit', '')})
        a['picture_only'] = True
    else:
        if st.get('top_photo'):
            a['captions'].append({'text': st['top_caption'], 'credit': st.get('top_credit', '')})
        for ph in st['photos']:
            a['captions'].append({'text': ph['caption'], 'credit': ph['credit']})
    if st.get('jump'):
        a['jump'] = st['jump']
    return a


def _printed(a):
    texts = [a['headline'], a['kicker'] or '', a['subtitle'] or '']
    texts += [b['text'] for b in a['lead'] + a['body']] + [c['text'] for c in a['captions']]
    texts += [b['name'] for b in a['bylines']] + ((a['dateline'] or {}).get('reporters') or [])
    return '\n'.join(texts)


def _on_page(page, entity, printed):
    """Only entities whose text was printed (a cut story loses some)."""
    if entity in printed:
        return True
    return page.conv.converting and page.conv._convert(entity) in printed


def page_gold(page, name, info, credit_printed):
    sections, articles, entities = [], [], {}
    for band in page.bands:
        for mod in band:
            section = mod['rubric'][0] if mod['rubric'] else None
            if mod['rubric'] and not any(s['rubric'] == section for s in sections):
                sections.append({'rubric': section, 'latin': mod['rubric'][1]})
            for st in mod['stories']:
                a = article(page, st, section)
                articles.append(a)
                printed = _printed(a)
                for k, vs in st['entities'].items():
                    entities.setdefault(k, [])
                    entities[k] += [v for v in vs if v not in entities[k] and _on_page(page, v, printed)]
    credit = None
    if credit_printed:
        credit = {'text': page.page_credit_line, 'photographer': page.page_credit_name}
    return {'source': name, 'info': info, 'sections': sections, 'photo_credit': credit,
            'articles': articles, 'entities': entities,
            'layout': {'columns': page.ncols, 'script': page.spec['script'],
                       'size_mm': list(page.spec['size']), 'body_pt': page.spec['body_pt']}}
