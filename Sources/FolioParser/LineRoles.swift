import FolioModel
import FolioText

/// What a source line is, as far as it can be told from the line alone. Plain text is
/// decided later from its neighbours (headline, subheading, dateline paragraph, body).
/// Indirect: a page holds one role a line, most of them `.text`, and the payloads are large.
indirect enum LineRole {
    case rubric(name: String, latin: String)
    case leadMarker
    case subtitle(String)
    case kicker(String)        // 引题: `…——` above the headline
    case jump                  // `（下转第五版）`: the story goes on on another page
    case pictureTitle(String)  // `某某图（图片）`: a picture item with no caption
    case placeLabel            // `广东` under one photo of a series: text inside the picture
    case captionHead           // a caption's first lines, set apart by the extractor: in the caption after them
    case pageCredit(Folio_V1_Credit)
    case byline([Folio_V1_Byline])
    case caption(Folio_V1_Caption)
    case captionAndPageCredit(Folio_V1_Caption, Folio_V1_Credit) // `…。 本版图片由某某摄` on one line
    case photoCredit(String)   // a lone （新华社记者樊如钧摄） line
    case names([Folio_V1_Byline]) // bare names: an author line under a headline or after the text
    case text
}

enum LineRoles {
    /// Marks that open a rubric line. Bullets (● ◆) open list items, not rubrics.
    static let rubricMarks: Set<Unicode.Scalar> = ["■", "□", "▌", "▍"]
    static let leadMarker = Folded.scalars("核心提示")

    /// `rubricMarks.contains`, without hashing: asked of every line.
    @inline(__always)
    static func isRubricMark(_ c: Unicode.Scalar) -> Bool {
        c == "■" || c == "□" || c == "▌" || c == "▍"
    }

    /// `extracted`: the page is extractor output, where a photo's source line (`（…照片）`) closes
    /// a caption; in the one-paragraph-per-line form such a line is a picture story's text.
    static func classify(_ b: SourceBlock, extracted: Bool = false) -> LineRole {
        let s = b.scalars
        if let first = s.first, isRubricMark(first), s.count <= 40,
           !s.contains(where: { $0.mark == "，" || $0.mark == "。" }) { return rubric(s) }
        // Folded only where a check needs it: most lines are prose, longer than any marker or byline.
        if (leadMarker.count...(leadMarker.count + 1)).contains(s.count), Folded.has(Folded.of(s), leadMarker) { return .leadMarker }
        if s.count >= 2, (s[0].mark == "—" && s[1].mark == "—") || (s[0] == "-" && s[1] == "-") || s[0] == "─" {
            let text = s.drop { $0.mark == "—" || $0 == "-" || $0 == "─" || CharacterClass.isSpace($0) }
            if !text.isEmpty { return .subtitle(Folded.string(text)) }
        }
        if let kicker = kicker(s) { return .kicker(kicker) }
        if PageFurniture.isJumpLine(s) { return .jump }
        if PageFurniture.isPictureOnlyTitle(s) { return .pictureTitle(b.text) }
        if let credit = PeopleLines.pageCredit(b) { return .pageCredit(credit) }
        if extracted, let (caption, credit) = CaptionCredit.split(b) { return .captionAndPageCredit(caption, credit) }
        if let bylines = PeopleLines.byline(b) ?? LatinNames.byline(b) { return .byline(bylines) }
        if let names = PeopleLines.bareNames(b) ?? PeopleLines.placeSignature(b) { return .names(names) }
        if let start = PeopleLines.captionCreditStart(s) {
            if start == 0 { return .photoCredit(b.text) }
            // Text + （…摄）: a caption wherever it stands, unless it is long prose.
            if start <= 160 {
                var c = Folio_V1_Caption()
                c.text = Folded.string(SourceLines.trim(Array(s[0..<start])))
                c.credit = Folded.string(s[start...])
                c.lines = [b.line] + b.laterLines
                return .caption(c)
            }
        }
        if extracted, let role = BracketedByline.role(b) { return role }
        if extracted, PageFurniture.endsWithPhotoSource(s), s.count <= 200 {
            var c = Folio_V1_Caption()
            c.text = b.text
            c.lines = [b.line] + b.laterLines
            return .caption(c)
        }
        if looksLikeBareCaption(b) {
            var c = Folio_V1_Caption()
            c.text = b.text
            c.lines = [b.line] + b.laterLines
            return .caption(c)
        }
        return .text
    }

    /// Longest place label under a photo of a series.
    static let placeLabelMax = 3

    /// Short place names standing right above a caption (others may lie between) are the
    /// labels of a photo series, not titles.
    static func markPlaceLabels(_ roles: inout [LineRole], _ blocks: [SourceBlock]) {
        func isLabel(_ i: Int) -> Bool {
            switch roles[i] {
            case .text, .names: break  // 安徽省 reads like a name too
            default: return false
            }
            let s = blocks[i].scalars
            return s.count >= 2 && s.count <= placeLabelMax && s.allSatisfy(CharacterClass.isHan)
        }
        func isName(_ i: Int) -> Bool { if case .names = roles[i] { return true } else { return false } }
        // Each caption looks back over the labels right above it, so that only lines near a
        // caption are read. A run of labels is taken in groups of `placeLabelMax + 1` from its
        // first line: the group that ends at the caption is the series.
        let group = placeLabelMax + 1
        for j in roles.indices {
            switch roles[j] {
            case .caption, .captionAndPageCredit: break
            default: continue
            }
            var start = j
            while start > 0 && isLabel(start - 1) { start -= 1 }
            guard start < j else { continue }
            let length = (j - start) % group == 0 ? group : (j - start) % group
            let i = j - length
            // A lone name over a caption may be an author line; two labels or more are a series.
            if length >= 2 || !isName(i) {
                for k in i..<j { roles[k] = .placeLabel }
            }
        }
    }

    /// On extractor output, a province's name alone in a block of its own (`江苏`, `安徽省`) is the
    /// label under a photo, read wherever the extractor put it (between the blocks of another
    /// story, under a picture's title): no author, headline or text. A round-up's regional
    /// subheading (`四川` over `本报成都…电`) has the dateline of its part under it.
    static func markProvinceLabels(_ roles: inout [LineRole], _ blocks: [SourceBlock], pageDate: String?) {
        for i in roles.indices where blocks[i].gapBefore > 0 && blocks[i].scalars.count <= 4 {
            switch roles[i] {
            case .text, .names: break
            default: continue
            }
            guard PeopleLines.isProvince(blocks[i].scalars), i + 1 == blocks.count || blocks[i + 1].gapBefore > 0 else { continue }
            if i + 1 < blocks.count, DatelineParser.parse(blocks[i + 1].scalars, line: blocks[i + 1].line, pageDate: pageDate) != nil { continue }
            roles[i] = .placeLabel
        }
    }

    /// On extractor output, a credited caption whose first lines the extractor read as a block of
    /// their own (its lines set at another spacing): a short block of prose that starts after a
    /// finished sentence and breaks off mid-sentence right above the caption is the caption's start.
    static func joinSplitCaptions(_ roles: inout [LineRole], _ blocks: [SourceBlock]) {
        for i in roles.indices.dropFirst() {
            guard case .caption(var c) = roles[i], !c.credit.isEmpty, case .text = roles[i - 1],
                  blocks[i].gapBefore > 0, blocks[i - 1].gapBefore > 0 else { continue }
            let head = blocks[i - 1].scalars
            // Prose with a pause in it, not a title over its picture's caption.
            guard !CharacterClass.endsSentence(head), head.contains(where: { $0.mark == "，" || $0.mark == "、" || $0.mark == "；" }),
                  head.count + c.text.unicodeScalars.count <= PictureCaptions.captionMax else { continue }
            if i >= 2, case .text = roles[i - 2], !CharacterClass.endsSentence(blocks[i - 2].scalars) { continue }
            c.text = Folded.string(SourceLines.trim(head)) + c.text
            c.lines.insert(blocks[i - 1].line, at: 0)
            roles[i] = .caption(c)
            roles[i - 1] = .captionHead
        }
    }

    /// A kicker line (引题) ends in a dash pair and reads as a title: no sentence inside.
    static func kicker(_ s: [Unicode.Scalar]) -> String? {
        guard s.count >= 4, s.count <= 60, s[s.count - 1].mark == "—", s[s.count - 2].mark == "—",
              !s.contains(where: { $0.mark == "。" || $0.mark == "；" }) else { return nil }
        let text = SourceLines.trim(Array(s.reversed().drop { $0.mark == "—" }.reversed()))
        return text.count >= 2 ? Folded.string(text) : nil
    }

    /// `■ 錦州腳步 JIAOBU` → (錦州腳步, JIAOBU).
    static func rubric(_ s: [Unicode.Scalar]) -> LineRole {
        var body = Array(s.drop { rubricMarks.contains($0) || CharacterClass.isSpace($0) })
        var latin: [Unicode.Scalar] = []
        // Trailing Latin words (pinyin of the rubric).
        var end = body.count
        while end > 0, CharacterClass.isLatin(body[end - 1]) || CharacterClass.isSpace(body[end - 1]) { end -= 1 }
        if end < body.count, end > 0 {
            latin = SourceLines.trim(Array(body[end...]))
            body = SourceLines.trim(Array(body[..<end]))
        }
        return .rubric(name: Folded.string(body), latin: Folded.string(latin))
    }

    /// A photo caption with no credit: one short sentence standing alone after a hole in the
    /// flow (the extractor leaves several blank lines where a photo was).
    static func looksLikeBareCaption(_ b: SourceBlock) -> Bool {
        let s = b.scalars
        guard b.gapBefore >= 2, s.count >= 8, s.count <= 70, CharacterClass.endsSentence(s) else { return false }
        guard let first = s.first, !CharacterClass.cannotStartSentence(first) else { return false }
        // Exactly one sentence.
        let ends = s.dropLast().filter { CharacterClass.isSentenceEnd($0) }.count
        return ends == 0
    }

    /// Short, unpunctuated text that could be a headline or a subheading.
    static func isTitleLike(_ s: [Unicode.Scalar]) -> Bool {
        let n = s.count
        guard n >= 2, n <= 40, let first = s.first, let last = s.last else { return false }
        // ’９７ (year) is the one closing mark a title may start with.
        if CharacterClass.cannotStartSentence(first) && !(first == "’" && s.count > 1 && CharacterClass.isDigit(s[1])) { return false }
        if CharacterClass.isOpening(first) && CharacterClass.isClosing(last) && first != "“" && first.mark != "《" { return false }
        var commas = 0
        var lastComma = -1
        var depth = 0  // a title never leaves a bracket open
        for c in s {
            let m = c.mark  // once a scalar: asked of every short line
            if m == "（" || c == "(" || m == "《" { depth += 1 }
            if m == "）" || c == ")" || m == "》" { depth -= 1 }
        }
        if depth != 0 { return false }
        for (i, c) in s.enumerated() {
            switch c.mark {
            case "。", "；", ";": return false
            case "，", ",": commas += 1; lastComma = i
            case "！", "？", "!", "?": if i != n - 1 { return false }
            default: break
            }
        }
        if "，、：；,:".unicodeScalars.contains(last.mark) { return false }
        // A quoted English sentence (`他说：“Software is the future.”`) is a paragraph, as with 。.
        if CharacterClass.endsLatinSentence(s) { return false }
        // A row of ornaments (`＊＊＊`) parts a story's sections; a title has words.
        if !s.contains(where: { CharacterClass.isHan($0) || CharacterClass.isLatin($0) || CharacterClass.isDigit($0) }) { return false }
        if commas > 0 && (n - lastComma - 1 < 4 || commas > 2) { return false }
        return !endsWithPhoneNumber(s)
    }

    /// Digits a phone number has at least (a local number).
    static let phoneDigits = 7

    /// A contact line (`本版热线：０１０—６５３６８８７７转２０１`): after its last colon only a phone number,
    /// its digits parted by dashes, spaces or 转/呼 (extension, pager). A note of the page's, not a title.
    static func endsWithPhoneNumber(_ s: [Unicode.Scalar]) -> Bool {
        guard let colon = s.lastIndex(where: { $0.mark == "：" || $0 == ":" }) else { return false }
        var digits = 0
        for c in s[(colon + 1)...] {
            if CharacterClass.isDigit(c) { digits += 1; continue }
            guard "—-－ 　、转呼/（）()".unicodeScalars.contains(c.mark) else { return false }
        }
        return digits >= phoneDigits
    }
}
