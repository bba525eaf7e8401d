#!/usr/bin/env python3
"""Learn FolioEntities' data files from the PFR corpus (People's Daily, January 1998).

    python3 scripts/learn-entities.py [--corpus ../shared/corpus/pfr1998/articles-01-20.jsonl]
                                      [--out Sources/FolioEntities/Data]

Reads ONLY the days 1998-01-01..15 (16..20 are held out for evaluation by the whole team) and
writes small derived tables (never PFR text) to Sources/FolioEntities/Data; see Data/README.md.
Deterministic: same corpus in, same bytes out.
"""
import argparse
import collections
import json
import os
import sys

LAST_TRAINING_DAY = '1998-01-15'

# General knowledge, not from PFR: China's provinces / regions and prefecture-level cities,
# plus a few well-known foreign places. Written as short names; suffixed forms are found by rule.
CHINA_PLACES = """
北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东
海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 中国 东北 华北 华东
华南 华中 西南 西北 辽西 辽东 辽南 苏北 苏南 皖南 冀中 豫西 陕北 川西 闽南 粤东 粤西 江南 岭南
石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水 太原 大同 阳泉 长治 晋城 朔州 晋中
运城 忻州 临汾 吕梁 呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布 沈阳 大连
鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛 长春 四平 辽源 通化 白山 松原
白城 延边 哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化 南京 无锡
徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁 杭州 宁波 温州 嘉兴 湖州 绍兴 金华
衢州 舟山 台州 丽水 合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州
池州 宣城 福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德 南昌 景德镇 萍乡 九江 新余 鹰潭 赣州
吉安 宜春 抚州 上饶 济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城
滨州 菏泽 郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口
驻马店 武汉 黄石 十堰 宜昌 襄阳 襄樊 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州 恩施 长沙 株洲 湘潭
衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 湘西 广州 韶关 深圳 珠海 汕头 佛山 江门
湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮 南宁 柳州 桂林 梧州
北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左 海口 三亚 儋州 成都 自贡 攀枝花 泸州 德阳
绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 阿坝 甘孜 凉山 贵阳 六盘水
遵义 安顺 毕节 铜仁 黔南 黔东南 黔西南 昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧 大理 红河 文山
西双版纳 楚雄 德宏 怒江 迪庆 拉萨 日喀则 昌都 林芝 山南 那曲 阿里 西安 铜川 宝鸡 咸阳 渭南
延安 汉中 榆林 安康 商洛 兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 临夏
甘南 西宁 海东 银川 石嘴山 吴忠 固原 中卫 乌鲁木齐 克拉玛依 吐鲁番 哈密 昌吉 博尔塔拉 巴音郭楞
阿克苏 克孜勒苏 喀什 和田 伊犁 塔城 阿勒泰 石河子 浦东 中关村 长江 黄河 珠江 松花江 辽河
亚洲 欧洲 非洲 美洲 大洋洲 美国 日本 英国 法国 德国 俄罗斯 韩国 朝鲜 印度 巴西 加拿大 澳大利亚
意大利 西班牙 新加坡 马来西亚 泰国 越南 蒙古 巴基斯坦 埃及 南非 以色列 伊朗 伊拉克 土耳其
阿富汗 阿尔巴尼亚 阿尔及利亚 安哥拉 阿根廷 亚美尼亚 奥地利 阿塞拜疆 巴林 孟加拉国 白俄罗斯 比利时 贝宁
不丹 玻利维亚 波黑 博茨瓦纳 文莱 保加利亚 布基纳法索 布隆迪 柬埔寨 喀麦隆 佛得角 中非 乍得 智利 哥伦比亚
科摩罗 刚果 哥斯达黎加 科特迪瓦 克罗地亚 古巴 塞浦路斯 捷克 丹麦 吉布提 多米尼加 厄瓜多尔 萨尔瓦多
赤道几内亚 厄立特里亚 爱沙尼亚 埃塞俄比亚 斐济 芬兰 加蓬 冈比亚 格鲁吉亚 加纳 希腊 危地马拉 几内亚
圭亚那 海地 洪都拉斯 匈牙利 冰岛 印度尼西亚 爱尔兰 牙买加 约旦 哈萨克斯坦 肯尼亚 科威特 吉尔吉斯斯坦
老挝 拉脱维亚 黎巴嫩 莱索托 利比里亚 利比亚 列支敦士登 立陶宛 卢森堡 马其顿 马达加斯加 马拉维 马尔代夫
马里 马耳他 毛里塔尼亚 毛里求斯 墨西哥 摩尔多瓦 摩纳哥 黑山 摩洛哥 莫桑比克 缅甸 纳米比亚 尼泊尔 荷兰
新西兰 尼加拉瓜 尼日尔 尼日利亚 挪威 阿曼 巴拿马 巴布亚新几内亚 巴拉圭 秘鲁 菲律宾 波兰 葡萄牙 卡塔尔
罗马尼亚 卢旺达 沙特阿拉伯 塞内加尔 塞尔维亚 塞舌尔 塞拉利昂 斯洛伐克 斯洛文尼亚 索马里 斯里兰卡 苏丹
苏里南 斯威士兰 瑞典 瑞士 叙利亚 塔吉克斯坦 坦桑尼亚 多哥 汤加 突尼斯 土库曼斯坦 乌干达 乌克兰
阿联酋 乌拉圭 乌兹别克斯坦 委内瑞拉 也门 赞比亚 津巴布韦 南斯拉夫 朝鲜半岛 中东 东南亚 南亚 西亚 北非
东欧 西欧 北欧 南欧 中亚 拉美 北美 南美 非洲 巴勒斯坦 伦敦 巴黎 纽约 华盛顿 东京 莫斯科 柏林 罗马 日内瓦
"""

# General knowledge: suffixes that end an organization name (longest first at match time).
ORG_SUFFIXES_HAND = """
有限责任公司 股份有限公司 有限公司 集团公司 总公司 分公司 公司 集团 银行 总行 分行 支行 研究院 研究所
研究中心 中心 委员会 常委会 办公室 办公厅 管委会 党校 大学 学院 中学 小学 医院 卫生院 协会 学会
联合会 商会 基金会 促进会 研究会 总会 工会 妇联 团委 政府 人大 政协 法院 检察院 公安局 局 厅 部 委
署 办 院 所 社 台 馆 站 处 司 厂 总厂 矿 场 队 团 军 党 会 店 报 杂志社 出版社 电视台 电台 报社
联盟 俱乐部 剧团 乐团 艺术团 合作社 事务所 代表处 使馆 大使馆 领事馆 科学院 工程院 分院
"""

# General knowledge: place-name suffixes (administrative units, streets, transport, zones).
PLACE_SUFFIXES_HAND = """
特别行政区 自治区 自治州 自治县 地区 经济开发区 高新技术产业开发区 开发区 高新区 新区 保税区 工业园区 工业园
产业园 省 市 县 区 镇 乡 村 旗 盟 州 街道 大街 大道 街 路 巷 胡同 港 北站 南站 东站 西站 站 机场 码头
湾 岛 半岛 山 河 江 湖 海 峡 海峡 盆地 高原 平原
"""

# General knowledge: suffix character + next character that continue an ordinary word.
BREAKERS_HAND = '矿山 矿产 心城 心地 部地 场经 区域 市场 站在 港口 路线 路径 会议 会见 会谈 社会 院校 所以 所有 部分 部门 局面 局势'

# General knowledge: generic words that end like a place or an organization but name none.
COMMON_NOUNS_HAND = """
地区 山区 特区 镇区 市区 城区 郊区 社区 小区 景区 林区 牧区 灾区 辖区 街区 园区 矿区 军区 分区 自治区 新区
老区 边区 省区 城市 都市 县城 省市 全省 全市 全县 全区 本省 本市 本县 该省 该市 该县 各省 各市 各县 各区
城乡 乡村 农村 山村 渔村 新村 地球村 公司 集团 中心 政府 部门 机关 单位 学院 大学 医院 银行 工厂 车站
人民检察院 人民法院 人民政府 地方政府 有关部门 主管部门
"""

# General knowledge: words that contain a place name but name no place (an ethnic group, a class
# of countries, a part of a region). Stored in the gazetteer with type NONE: they block matches.
NOT_NAMES_HAND = """
发展中国家 发达国家 蒙古族 蒙古包 朝鲜族 东北部 西北部 东南部 西南部 中国画 中国式 美国式 日本式
"""

# General knowledge: compound surnames, and person titles / context words that PFR underrepresents.
DOUBLE_SURNAMES = '欧阳 司马 诸葛 上官 东方 皇甫 令狐 慕容 尉迟 公孙 夏侯 端木 长孙 宇文 司徒 司空 呼延 轩辕 西门 南宫'
PERSON_LEFT_HAND = """
记者 通讯员 同志 总书记 书记 主席 副主席 总理 副总理 部长 副部长 局长 副局长 厅长 处长 科长 县长 市长
省长 镇长 乡长 村长 主任 副主任 经理 总经理 项目经理 董事长 总裁 厂长 校长 院长 所长 教授 专家 博士
医生 居民 村民 农民 工人 师傅 老师 学生 队长 委员 代表 会长 秘书长 大使 总统 首相 司令员 政委 作者
演员 导演 编辑 摄影 教练 选手 运动员 负责人 发言人 工程师 总工程师 技术员 队员 员工 职工 群众 市民
"""
PERSON_RIGHT_HAND = '说 表示 指出 介绍 认为 强调 告诉 同志 先生 女士 教授 书记 等人 一行 报道 摄 高兴地 笑着'


def is_han(c):
    return '\u4e00' <= c <= '\u9fff' or '\u3400' <= c <= '\u4dbf'


def load(corpus):
    arts = []
    with open(corpus, encoding='utf-8') as f:
        for line in f:
            a = json.loads(line)
            if a['date'] <= LAST_TRAINING_DAY:
                arts.append(a)
    return arts


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser()
    ap.add_argument('--corpus', default=os.path.join(root, '..', 'shared', 'corpus', 'pfr1998',
                                                     'articles-01-20.jsonl'))
    ap.add_argument('--out', default=os.path.join(root, 'Sources', 'FolioEntities', 'Data'))
    args = ap.parse_args()
    arts = load(args.corpus)
    paras = [p for a in arts for p in a['paragraphs']]
    text = '\n'.join(paras)

    char_total = collections.Counter(c for c in text if is_han(c))
    tagged = collections.Counter()          # (type, name) -> tagged count (top-level or inner)
    per_names = collections.Counter()
    short_name_openers = collections.Counter()  # first glyph of 2-3 glyph names: the parser's surnames
    char_in = {t: collections.Counter() for t in ('LOC', 'ORG', 'GIVEN', 'SURNAME', 'BEFORE', 'FOREIGN')}
    left_ctx, right_ctx = collections.Counter(), collections.Counter()
    in_entity = collections.Counter()       # substring-of-text positions covered, for context precision
    for a in arts:
        for e in a['entities'] + a.get('inner_entities', []):
            tagged[(e['type'], e['text'])] += 1
        for e in a['entities']:
            t, s = e['type'], e['text']
            if t in ('LOC', 'ORG'):
                for c in s:
                    char_in[t][c] += 1
                if e['start'] > 0:
                    char_in['BEFORE'][a['paragraphs'][e['para']][e['start'] - 1]] += 1
            elif t == 'PER' and 2 <= len(s) <= 4 and all(is_han(c) for c in s):
                per_names[s] += 1
                if len(s) <= 3 and all('\u4e00' <= c <= '\u9fff' for c in s):
                    short_name_openers[s[0]] += 1
                k = 2 if len(s) == 4 and s[:2] in DOUBLE_SURNAMES.split() else 1
                char_in['SURNAME'][s[:k]] += 1
                for c in s[k:]:
                    char_in['GIVEN'][c] += 1
            if t == 'PER' and ('·' in s or (len(s) >= 4 and s[:2] not in DOUBLE_SURNAMES.split())):
                for c in s:
                    if c != '·':
                        char_in['FOREIGN'][c] += 1      # transliterated foreign names
            if t == 'PER':
                p = a['paragraphs'][e['para']]
                for n in (1, 2, 3):
                    if e['start'] >= n:
                        left_ctx[p[e['start'] - n:e['start']]] += 1
                    if e['end'] + n <= len(p):
                        right_ctx[p[e['end']:e['end'] + n]] += 1

    # Gazetteer: names tagged at least as often as they occur untagged (drops 中/美 style
    # one-character abbreviations and words that are only sometimes names).
    by_name = collections.defaultdict(collections.Counter)
    for (t, s), n in tagged.items():
        by_name[s][t] += n
    gaz = []
    for s, types in by_name.items():
        if len(s) < 2 or len(s) > 24:
            continue
        t, n = types.most_common(1)[0]
        occ = text.count(s)
        if occ and n / occ >= 0.5:
            gaz.append((t, s, n))
    gaz += [('NONE', w, 0) for w in NOT_NAMES_HAND.split()]
    gaz.sort(key=lambda x: (x[0], -x[2], x[1]))

    # Person context words: precision = times followed/preceded by a person / times seen.
    def ctx_table(counter, minimum):
        out = []
        for w, n in counter.items():
            if n < minimum or not all(is_han(c) for c in w):
                continue
            seen = text.count(w)
            if seen and n / seen >= 0.3:
                out.append((w, n, seen))
        return sorted(out, key=lambda x: (-x[1], x[0]))
    left = ctx_table(left_ctx, 3)
    right = ctx_table(right_ctx, 3)

    suffix_chars_all = {w[-1] for w in PLACE_SUFFIXES_HAND.split()} | {w[-1] for w in ORG_SUFFIXES_HAND.split()}
    # Breakers: a suffix character followed by a character that makes an ordinary word of it
    # (社会, 会见, 部长, 市场): the pair is common and the suffix almost never ends a name there.
    ends_before = collections.Counter()
    for a in arts:
        for e in a['entities'] + a.get('inner_entities', []):
            if e['type'] in ('LOC', 'ORG'):
                p = a['paragraphs'][e['para']]
                if e['end'] < len(p):
                    ends_before[p[e['end'] - 1:e['end'] + 1]] += 1
    pairs = collections.Counter()
    for p in paras:
        for i in range(len(p) - 1):
            if p[i] in suffix_chars_all and is_han(p[i + 1]):
                pairs[p[i:i + 2]] += 1
    # 局长 / 部长 after an organization are its head (科技局长): never a breaker.
    breakers = sorted({b for b, n in pairs.items() if n >= 4 and ends_before[b] / n < 0.1 and b[1] != '长'}
                      | set(BREAKERS_HAND.split()))

    breaker_set = set(breakers)
    # Place-suffix words that are common nouns, not places (城市, 全省, 小区 …): strings of one
    # or two characters plus a place suffix seen at least 3 times and almost never tagged.
    suffix_chars = {w[-1] for w in PLACE_SUFFIXES_HAND.split()} | {w[-1] for w in ORG_SUFFIXES_HAND.split()}
    grams = collections.Counter()
    for p in paras:
        for i, c in enumerate(p):
            if c in suffix_chars:
                if i + 1 < len(p) and p[i:i + 2] in breaker_set:
                    continue   # 教育部门: the gram is part of a longer ordinary word
                for n in (2, 3):
                    if i + 1 >= n and all(is_han(x) for x in p[i + 1 - n:i + 1]):
                        grams[p[i + 1 - n:i + 1]] += 1
    covered = collections.Counter()
    for (t, s_), n in tagged.items():
        if t in ('LOC', 'ORG'):
            covered[s_] += n
            if len(s_) > 2:
                covered[s_[-2:]] += n    # 中学 ends many school names: not a common noun
    # Generic organization words: two characters + a multi-character suffix, frequent and almost
    # never (the end of) a tagged organization (科技公司, 保险公司, 上市公司).
    org_words = collections.Counter()
    multi = [w for w in ORG_SUFFIXES_HAND.split() if len(w) >= 2]
    for p in paras:
        for w in multi:
            i = p.find(w)
            while i >= 0:
                if i >= 2 and is_han(p[i - 2]) and is_han(p[i - 1]):
                    org_words[p[i - 2:i + len(w)]] += 1
                i = p.find(w, i + 1)
    ends = collections.Counter()
    for (t, s_), n in tagged.items():
        if t == 'ORG':
            for w in multi:
                if s_.endswith(w) and len(s_) >= len(w) + 2:
                    ends[s_[-(len(w) + 2):]] += n
    generic_orgs = {g for g, n in org_words.items() if n >= 3 and ends[g] / n < 0.2}

    common_nouns = sorted(generic_orgs | {g for g, n in grams.items()
                           if len(g) == 2 and n >= 5 and covered.get(g, 0) / n < 0.1}
                          | set(COMMON_NOUNS_HAND.split()))

    # Not names: 2–3 character strings opening with a possible surname that are frequent in
    # training text and (almost) never a person there (江山, 高度, 于是).
    per_tagged = collections.Counter()
    for (t, s_), n in tagged.items():
        if t == 'PER':
            per_tagged[s_] += n
    sur_share = {c: char_in['SURNAME'][c] / (char_total[c] + 1) for c in char_total}
    openers = collections.Counter()
    for p in paras:
        for i, c in enumerate(p):
            if sur_share.get(c, 0) >= 0.005:
                for n in (2, 3):
                    w = p[i:i + n]
                    if len(w) == n and all(is_han(x) for x in w):
                        openers[w] += 1
    not_names = sorted(w for w, n in openers.items() if n >= 3 and per_tagged[w] / n < 0.05)

    os.makedirs(args.out, exist_ok=True)

    def write(name, header, rows):
        with open(os.path.join(args.out, name), 'w', encoding='utf-8') as f:
            f.write(f'# {header}\n')
            for r in rows:
                f.write('\t'.join(str(x) for x in r) + '\n')

    write('gazetteer.tsv', 'type\tname\ttagged count (PFR 1998-01-01..15, top-level + inner spans)', gaz)
    chars = sorted(set(char_total))
    write('chars.tsv', 'char\ttotal\tas surname\tin given names\tin places\tin organizations\t'
          'just before a place or organization\tin foreign (transliterated) person names',
          [(c, char_total[c], char_in['SURNAME'][c], char_in['GIVEN'][c], char_in['LOC'][c],
            char_in['ORG'][c], char_in['BEFORE'][c], char_in['FOREIGN'][c]) for c in chars if char_total[c] >= 2 or char_in['GIVEN'][c]])
    write('surnames.tsv', 'surname\tcount as surname\tcount opening a 2-3 character name'
          ' (compound surnames from a hand list)',
          sorted(((s, n, short_name_openers[s]) for s, n in char_in['SURNAME'].items() if n >= 2 or len(s) == 2),
                 key=lambda x: (-x[1], x[0])) + [(s, 1, 0) for s in DOUBLE_SURNAMES.split()
                                                     if s not in char_in['SURNAME']])
    write('person-context.tsv', 'side\tword\tcount before/after a person\tcount seen (hand-written words: 0 0)',
          [('L', w, n, s) for w, n, s in left] + [('R', w, n, s) for w, n, s in right]
          + [('L', w, 0, 0) for w in PERSON_LEFT_HAND.split() if w not in {x[0] for x in left}]
          + [('R', w, 0, 0) for w in PERSON_RIGHT_HAND.split() if w not in {x[0] for x in right}])
    # Learnt organization suffixes: endings shared by at least 4 different longer names
    # (so that 联合国 itself is not a suffix), seen at least 8 times.
    org_sfx = collections.Counter()
    org_sfx_names = collections.defaultdict(set)
    for (t, s_), n in tagged.items():
        if t == 'ORG' and len(s_) >= 3:
            for k in (2, 3):
                if len(s_) > k:
                    org_sfx[s_[-k:]] += n
                    org_sfx_names[s_[-k:]].add(s_)
    hand_org = ORG_SUFFIXES_HAND.split()
    learnt_org = [x for x, n in org_sfx.items() if n >= 8 and len(org_sfx_names[x]) >= 4
                  and x not in hand_org and all(is_han(c) for c in x)]
    write('suffixes.tsv', 'kind\tsuffix (ORG / LOC: hand-written general list; ORG*: learnt from PFR)',
          [('ORG', s) for s in hand_org] + [('ORG*', s) for s in sorted(learnt_org)]
          + [('LOC', s) for s in PLACE_SUFFIXES_HAND.split()])
    write('places.tsv', 'place names of China and the world (hand-written general knowledge)',
          [(s,) for s in CHINA_PLACES.split()])
    write('common-nouns.tsv', 'words ending in a place/org suffix that are almost never names in PFR',
          [(g,) for g in common_nouns])
    write('not-names.tsv', 'strings opening with a possible surname, seen >= 3 times and < 5 % a person',
          [(w,) for w in not_names])
    write('breakers.tsv', 'suffix character + next character that make an ordinary word (社会, 部长)',
          [(b,) for b in breakers])
    total = sum(os.path.getsize(os.path.join(args.out, f)) for f in os.listdir(args.out))
    print(f'{len(arts)} training articles; gazetteer {len(gaz)}, context L{len(left)} R{len(right)}, '
          f'common nouns {len(common_nouns)}; data {total // 1024} KB', file=sys.stderr)


if __name__ == '__main__':
    main()
