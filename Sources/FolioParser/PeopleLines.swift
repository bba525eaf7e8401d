import FolioModel
import FolioText

/// Bylines (`本报记者 崔 治`, `趙一 本报记者 崔治`), page photo credits (`本版圖片由本报记者崔治攝`)
/// and reporter lists inside datelines. Matching runs on folded text; names keep the page's script.
enum PeopleLines {
    /// Roles as printed before a name, folded (Simplified). Longest first so 本报记者 wins over 记者.
    static let roles: [[Unicode.Scalar]] = [
        "本报特约记者", "本报实习生", "本报通讯员", "新华社记者", "新华社通讯员", "中新社记者", "特约记者",
        "本报记者", "实习生", "通讯员", "摄影记者", "记者", "摄影",
    ].map { Array($0.unicodeScalars) }

    static let reporterWord = Folded.scalars("记者")
    static let correspondentWord = Folded.scalars("通讯员")
    static let stationedPrefix = Folded.scalars("本报驻")

    /// Length of the role at `i` in folded text (also 本报驻<place>记者), 0 when none.
    static func roleLength(_ f: [Unicode.Scalar], at i: Int) -> Int {
        if Folded.has(f, stationedPrefix, at: i) {
            var j = i + stationedPrefix.count
            while j < f.count, j - i < 12, CharacterClass.isHan(f[j]) {
                if Folded.has(f, reporterWord, at: j) { return j + reporterWord.count - i }
                j += 1
            }
        }
        for r in roles where Folded.has(f, r, at: i) { return r.count }
        return 0
    }

    /// Every role (`roles`, 本报驻…记者) holds 记, 实, 通 or 摄: a line without one has none, and
    /// is told apart before its folded copy is made (most short lines are titles).
    static func mayHoldRole(_ s: [Unicode.Scalar]) -> Bool {
        let fold = Folded.fold
        return s.contains { c in
            let v = fold.fold(value: c.value)
            return v == 0x8BB0 || v == 0x5B9E || v == 0x901A || v == 0x6444   // 记 实 通 摄
        }
    }

    static func isNameScalar(_ s: Unicode.Scalar) -> Bool {
        CharacterClass.isHan(s) || CharacterClass.isNameDot(s)
    }

    /// Parses a byline line. Needs at least one role; every other token must be a name.
    /// Space-separated single glyphs form one name (崔 治 → 崔治).
    static func byline(_ block: SourceBlock) -> [Folio_V1_Byline]? {
        let s = block.scalars
        // A role (two glyphs at least) and a name (two glyphs at least).
        guard s.count >= 4, s.count <= 40, mayHoldRole(s) else { return nil }
        let f = Folded.of(s)
        var result: [Folio_V1_Byline] = []
        var role = ""
        var sawRole = false
        var singles: [Unicode.Scalar] = []

        func add(_ name: [Unicode.Scalar]) {
            var b = Folio_V1_Byline()
            b.name = Folded.string(name)
            b.role = role
            b.line = block.line
            result.append(b)
        }
        func flushSingles() -> Bool {
            defer { singles.removeAll() }
            if singles.isEmpty { return true }
            guard singles.count >= 2 && singles.count <= 4 else { return false }
            // Two two-glyph names, each spaced inside (`王　明　李　刚`: the space between them
            // may be no wider than those inside, as a PDF gives it): the first and third a surname,
            // the first two not one (欧　阳　春　晓 is one name).
            let fold = CharacterFold.shared
            if singles.count == 4, SurnameTable.surnames.contains(fold.fold(singles[0])),
               !SurnameTable.compound.contains(String(String.UnicodeScalarView(singles[0..<2].map(fold.fold)))),
               SurnameTable.surnames.contains(fold.fold(singles[2])) {
                add(Array(singles[0..<2]))
                add(Array(singles[2..<4]))
                return true
            }
            add(singles)
            return true
        }

        var i = 0
        while i < s.count {
            if CharacterClass.isSpace(s[i]) || s[i].mark == "、" || s[i].mark == "，" || s[i] == "," {
                if s[i] != " " && s[i] != "　" { guard flushSingles() else { return nil } }
                i += 1
                continue
            }
            var j = i
            while j < s.count, !CharacterClass.isSpace(s[j]), s[j].mark != "、", s[j].mark != "，", s[j] != "," { j += 1 }
            var k = i
            // Roles at the front of the token (本报记者崔治 is role + name).
            while k < j {
                let n = roleLength(f, at: k)
                if n == 0 { break }
                guard flushSingles() else { return nil }
                role = Folded.string(s[k..<(k + n)])
                sawRole = true
                k += n
            }
            // A Latin name runs on over single spaces (`本报记者 Michael Smith`): one name.
            if k < j, let end = LatinNames.end(in: s, from: k) {
                guard flushSingles() else { return nil }
                add(Array(s[k..<end]))
                i = end
                continue
            }
            if k < j {
                let token = Array(s[k..<j])
                guard token.allSatisfy(isNameScalar), token.count <= 8 else { return nil }
                if token.count == 1 {
                    singles.append(token[0])
                } else if token.count == 2, let surname = spacedSurname(singles, result.last, role: role) {
                    // A surname padded apart from a two-glyph given name (陳 大文, 欧阳 小明).
                    if singles.isEmpty { result.removeLast() }
                    singles.removeAll()
                    add(surname + token)
                } else {
                    guard flushSingles() else { return nil }
                    add(token)
                }
            }
            i = j
        }
        guard flushSingles(), sawRole, !result.isEmpty else { return nil }
        return result
    }

    /// The surname a two-glyph given name after a pad belongs to: one pending single glyph that is
    /// a surname (陳 大文), or else the name just added when it is a compound surname alone under
    /// the same role (欧阳 小明).
    private static func spacedSurname(_ singles: [Unicode.Scalar], _ last: Folio_V1_Byline?, role: String) -> [Unicode.Scalar]? {
        let fold = CharacterFold.shared
        if singles.count == 1 { return SurnameTable.surnames.contains(fold.fold(singles[0])) ? singles : nil }
        guard singles.isEmpty, let last, last.role == role else { return nil }
        let name = Array(last.name.unicodeScalars)
        guard name.count == 2, SurnameTable.compound.contains(String(String.UnicodeScalarView(name.map(fold.fold)))) else { return nil }
        return name
    }

    /// A line of one to three bare names (姚昌恬, 崔 治, 徐建中 陈波): a byline without a role
    /// when it stands under a headline or at the end of an article. Each name is 2–3 glyphs
    /// and starts with a surname seen in PFR training days (all but one in a list of several).
    static func bareNames(_ block: SourceBlock) -> [Folio_V1_Byline]? {
        let s = block.scalars
        // A name is two glyphs at least: shorter lines are told apart before anything is allocated.
        guard s.count >= 2, s.count <= 16,
              s.allSatisfy({ CharacterClass.isHan($0) || CharacterClass.isSpace($0) || $0.mark == "、" }),
              glyphCount(s) >= 2 else { return nil }
        var tokens: [[Unicode.Scalar]] = []
        var cur: [Unicode.Scalar] = []
        for c in s {
            if CharacterClass.isSpace(c) || c.mark == "、" {
                if !cur.isEmpty { tokens.append(cur); cur = [] }
            } else {
                cur.append(c)
            }
        }
        if !cur.isEmpty { tokens.append(cur) }
        // 崔 治: single glyphs spaced out form one name.
        if tokens.count >= 2 && tokens.allSatisfy({ $0.count == 1 }) { tokens = [tokens.flatMap { $0 }] }
        guard (1...3).contains(tokens.count) else { return nil }
        let fold = CharacterFold.shared
        var out: [Folio_V1_Byline] = []
        // In a list of several names one may start with a surname PFR training days never showed (刑金亮).
        var unknownSurnames = tokens.count >= 2 ? 1 : 0
        for t in tokens {
            guard (2...3).contains(t.count) else { return nil }
            if !SurnameTable.surnames.contains(fold.fold(t[0])) {
                guard unknownSurnames > 0 else { return nil }
                unknownSurnames -= 1
            }
            var b = Folio_V1_Byline()
            b.name = Folded.string(t)
            b.line = block.line
            out.append(b)
        }
        return out
    }

    /// A pen name on a line of its own (剑武, 永 晴): two or three glyphs, nothing else. Whether it
    /// is an author line is decided from where it stands (under a title, after the text).
    static func penName(_ block: SourceBlock) -> [Folio_V1_Byline]? {
        // Two or three glyphs and at most two spaces: five scalars at most (asked of every paragraph).
        guard block.scalars.count >= 2, block.scalars.count <= 5, (2...3).contains(glyphCount(block.scalars)) else { return nil }
        let glyphs = block.scalars.filter { !CharacterClass.isSpace($0) }
        guard (2...3).contains(glyphs.count), glyphs.allSatisfy(CharacterClass.isHan),
              block.scalars.count - glyphs.count <= 2 else { return nil }
        var b = Folio_V1_Byline()
        b.name = Folded.string(glyphs)
        b.line = block.line
        return [b]
    }

    static let provinces: [[Unicode.Scalar]] = ["北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏",
        "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃",
        "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门"].map { Folded.scalars($0) }
    /// A province's name alone (`江苏`, `内蒙古`, `安徽省`): on extracted pages the label of a photo
    /// in a series, though its first glyph may be a surname (江, 广, 福, 湖) and it reads as a name.
    static func isProvince(_ glyphs: [Unicode.Scalar]) -> Bool {
        guard (2...4).contains(glyphs.count) else { return false }
        let f = Folded.of(glyphs)
        return provinces.contains { p in
            f.count >= p.count && f.count <= p.count + 1 && Folded.has(f, p, at: 0)
                && (f.count == p.count || provinceEnds.contains(f[p.count]))
        }
    }
    static let provinceEnds: Set<Unicode.Scalar> = Set("省市".unicodeScalars)

    static let placeEnds: Set<Unicode.Scalar> = Set("省市区县州镇乡村".unicodeScalars)
    static let reader = Folded.scalars("读者")

    /// A letter's signature: where the writer lives, then the name (`北京市海淀区 王 丽`, `河北石家庄
    /// 李建国`, `某市读者 王丽`). The place is kept as the byline's role.
    static func placeSignature(_ block: SourceBlock) -> [Folio_V1_Byline]? {
        let s = block.scalars
        guard s.count <= 24, let gap = s.firstIndex(where: CharacterClass.isSpace) else { return nil }
        let place = Array(s[..<gap])
        let name = s[gap...].filter { !CharacterClass.isSpace($0) }
        let f = Folded.of(place)
        guard (2...12).contains(place.count), place.allSatisfy(CharacterClass.isHan), (2...3).contains(name.count),
              name.allSatisfy(CharacterClass.isHan), SurnameTable.surnames.contains(CharacterFold.shared.fold(name[0])),
              provinces.contains(where: { Folded.has(f, $0) }) || f.contains(where: placeEnds.contains)
                || (f.count > reader.count && Folded.has(f, reader, at: f.count - reader.count)) else { return nil }
        var b = Folio_V1_Byline()
        b.name = Folded.string(name)
        b.role = Folded.string(place)
        b.line = block.line
        return [b]
    }

    /// Glyphs that never stand in a person's name: a line holding one is not a list of names.
    private static let notInNames: Set<Unicode.Scalar> = Set("的之了是在和与及等为把被向从到对于也都就而但又所让使将们这那不要会能赴程提".unicodeScalars)

    /// Two to four names run together without spaces (徐建中陈波赵川东, as PFR prints a byline
    /// under a headline): 4–12 Han glyphs that split into names of 2–3 glyphs, each opening with
    /// a surname; of several splits, the one with the fewest (longest) names.
    static func gluedNames(_ block: SourceBlock) -> [Folio_V1_Byline]? {
        let s = block.scalars
        guard (4...12).contains(s.count), s.allSatisfy(CharacterClass.isHan), !s.contains(where: notInNames.contains) else { return nil }
        let fold = CharacterFold.shared
        let opens = s.map { SurnameTable.surnames.contains(fold.fold($0)) }
        // fewest[i]: the fewest names s[i...] splits into (nil: none), and the first name's length.
        var fewest = [(count: Int, length: Int)?](repeating: nil, count: s.count + 1)
        fewest[s.count] = (0, 0)
        for i in stride(from: s.count - 2, through: 0, by: -1) where opens[i] {
            for length in [3, 2] where i + length <= s.count {
                guard let rest = fewest[i + length], fewest[i].map({ rest.count + 1 < $0.count }) ?? true else { continue }
                fewest[i] = (rest.count + 1, length)
            }
        }
        guard let whole = fewest[0], (2...4).contains(whole.count) else { return nil }
        var out: [Folio_V1_Byline] = []
        var i = 0
        while i < s.count, let step = fewest[i] {
            var b = Folio_V1_Byline()
            b.name = Folded.string(s[i..<(i + step.length)])
            b.line = block.line
            out.append(b)
            i += step.length
        }
        return out
    }

    /// Scalars that are not spaces.
    private static func glyphCount(_ s: [Unicode.Scalar]) -> Int {
        var count = 0
        for scalar in s where !CharacterClass.isSpace(scalar) { count += 1 }
        return count
    }

    /// Names in a reporter list such as `记者黄振中、白剑峰` or `中央人民广播电台记者刘振英、新华社记者张宿堂`.
    static func reporterNames(_ s: ArraySlice<Unicode.Scalar>) -> [String] {
        let arr = Array(s)
        let f = Folded.of(arr)
        var names: [String] = []
        var start = 0
        func take(_ lo: Int, _ hi: Int) {
            guard lo < hi else { return }
            var seg = lo
            // Drop everything up to the last role word in the piece (organisation + 记者).
            var j = lo
            while j < hi {
                if Folded.has(f, reporterWord, at: j) { seg = j + reporterWord.count; j = seg; continue }
                if Folded.has(f, correspondentWord, at: j) { seg = j + correspondentWord.count; j = seg; continue }
                j += 1
            }
            let latin = SourceLines.trim(Array(arr[seg..<hi]))
            if LatinNames.isName(latin[...]) {
                names.append(Folded.string(latin))
                return
            }
            let piece = arr[seg..<hi].filter { !CharacterClass.isSpace($0) }
            if piece.count >= 2 && piece.count <= 6 && piece.allSatisfy(isNameScalar) {
                names.append(Folded.string(piece))
            }
        }
        for (i, c) in arr.enumerated() where c.mark == "、" || c.mark == "，" || c == "," || c == " " || c == "　" {
            // The space between two words of a Latin name (`John Smith`) parts no names.
            if c == " ", i > 0, i + 1 < arr.count, LatinNames.isLetter(arr[i + 1]),
               LatinNames.isLetter(arr[i - 1]) || arr[i - 1] == "." { continue }
            take(start, i); start = i + 1
        }
        take(start, arr.count)
        return names
    }

    static let pageCreditStart = Folded.scalars("本版")
    static let photoWords: [[Unicode.Scalar]] = ["图片", "照片", "摄影", "摄"].map { Array($0.unicodeScalars) }
    static let byWord: Unicode.Scalar = "由"
    static let shotWord: Unicode.Scalar = "摄"

    /// A page photo credit: `本版图片由本报记者崔治摄`, `本版摄影：崔治`.
    static func pageCredit(_ block: SourceBlock) -> Folio_V1_Credit? {
        let s = block.scalars
        guard s.count <= 60, s.count >= pageCreditStart.count,
              let first = s.first, Folded.fold.fold(first) == pageCreditStart[0] else { return nil }
        let f = Folded.of(s)
        guard Folded.has(f, pageCreditStart),
              photoWords.contains(where: { Folded.find(f, $0) != nil }) else { return nil }
        var lo = f.firstIndex(of: byWord).map { $0 + 1 } ?? (f.firstIndex(of: "：").map { $0 + 1 } ?? f.count)
        var hi = f.count
        if let last = f.lastIndex(of: shotWord), last >= lo { hi = last }
        // Skip a role in front of the names.
        let n = roleLength(f, at: lo)
        lo += n
        var credit = Folio_V1_Credit()
        credit.text = block.text
        credit.line = block.line
        credit.photographers = lo < hi ? reporterNames(s[lo..<hi]) : []
        return credit
    }

    /// A trailing photo credit in parentheses: `（新华社记者兰红光摄）`. Returns where it starts.
    static func captionCreditStart(_ s: [Unicode.Scalar]) -> Int? {
        guard let last = s.last, last.mark == "）" || last == ")" else { return nil }
        guard let open = s.lastIndex(where: { $0.mark == "（" || $0 == "(" }), s.count - open <= 30 else { return nil }
        let inner = Folded.of(Array(s[(open + 1)..<(s.count - 1)]))
        guard let shot = inner.lastIndex(of: shotWord) else { return nil }
        // 摄 near the end (…摄 / …摄影 / …摄影报道), and nothing sentence-like inside.
        return inner.count - shot <= 3 && !inner.contains("，") ? open : nil
    }
}
