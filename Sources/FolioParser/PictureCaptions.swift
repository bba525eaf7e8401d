import FolioModel
import FolioText

/// Captions without a photo credit, read as text on extracted pages and told once the page's
/// articles are built:
/// - a picture item whose caption has no credit (`过新闸` over `…。图为…。`): a titled story of
///   one short paragraph, no dateline and no author, that says what the picture shows;
/// - numbered photos (`１：…`, `２、…`) whose caption the extractor reads where the photo stands,
///   before a lower number of the same series (or before the story's headline).
enum PictureCaptions {
    /// Longest text taken for a caption.
    static let captionMax = 200

    /// Folded: Traditional `圖為`, `這是` read the same.
    static let pictureWords: [[Unicode.Scalar]] = ["图为", "这是"].map { Folded.of(Array($0.unicodeScalars)) }

    static func apply(_ articles: inout [DraftArticle]) {
        var k = 0
        while k < articles.count {
            let a = articles[k]
            takeNumberedCaptions(a)
            if isPictureItem(a) {
                a.captions.append(caption(a.removeBody(at: 0)))
            } else if k + 1 < articles.count, let last = a.body.last, last.kind == .paragraph,
                      let n = number(last.scalars), n >= 2,
                      !a.body.contains(where: { number($0.scalars) == n - 1 }),
                      articles[k + 1].body.contains(where: { (number($0.scalars) ?? n) < n }) {
                // A numbered caption read before its story's headline.
                articles[k + 1].captions.append(caption(a.removeBody(at: a.body.count - 1)))
                if a.headline.isEmpty && a.dateline == nil && a.lead.isEmpty && a.body.isEmpty && a.bylines.isEmpty {
                    articles[k + 1].captions += a.captions
                    articles.remove(at: k)
                    continue
                }
            }
            k += 1
        }
    }

    /// A titled story of one short paragraph, no dateline, no author, no caption, saying what
    /// a picture shows (`图为…`, `这是…`).
    static func isPictureItem(_ a: DraftArticle) -> Bool {
        guard !a.headline.isEmpty, a.dateline == nil, a.bylines.isEmpty, a.lead.isEmpty, a.captions.isEmpty,
              a.body.count == 1, a.body[0].kind == .paragraph, !a.body[0].floating else { return false }
        let s = a.body[0].scalars
        guard s.count <= captionMax, CharacterClass.endsSentence(s) else { return false }
        return showsPicture(s)
    }

    /// `图为` anywhere, or a sentence opening with `这是`.
    static func showsPicture(_ s: [Unicode.Scalar]) -> Bool {
        let f = Folded.of(s)
        for (n, word) in pictureWords.enumerated() {
            var from = 0
            while let at = Folded.find(f, word, from: from) {
                if n == 0 || at == 0 || CharacterClass.isSentenceEnd(s[at - 1]) { return true }
                from = at + 1
            }
        }
        return false
    }

    /// A numbered body paragraph read before the one numbered below it, with no paragraph of
    /// its series before it (`２：…` before `１：…`), is a caption: a list restarting at one comes
    /// after a whole series.
    static func takeNumberedCaptions(_ a: DraftArticle) {
        var seen: Set<Int> = []
        var k = 0
        while k < a.body.count {
            guard a.body[k].kind == .paragraph, let n = number(a.body[k].scalars) else { k += 1; continue }
            let lowerLater = a.body[(k + 1)...].contains { $0.kind == .paragraph && (number($0.scalars) ?? n) < n }
            if n >= 2, !seen.contains(n - 1), lowerLater {
                a.captions.append(caption(a.removeBody(at: k)))
                continue
            }
            seen.insert(n)
            k += 1
        }
    }

    /// `２：…` / `３、…`: a photo's number (one digit) opening the text; nil otherwise.
    static func number(_ s: [Unicode.Scalar]) -> Int? {
        guard s.count >= 6, let d = s.first, CharacterClass.isDigit(d), s[1].mark == "：" || s[1].mark == "、" || s[1] == ":" else { return nil }
        let v = d.value >= 0xFF10 ? d.value - 0xFF10 : d.value - 0x30
        return Int(v)
    }

    static func caption(_ block: DraftBlock) -> Folio_V1_Caption {
        var c = Folio_V1_Caption()
        c.text = Folded.string(block.scalars)
        c.lines = block.lines
        return c
    }
}
