import FolioModel
import FolioText

/// A caption and the page's photo credit set on one line (`…远眺。 本版图片由某某摄`): the
/// extractor reads the credit printed after the last caption as the same line.
enum CaptionCredit {
    /// Longest caption taken off the front of a page credit.
    static let captionMax = 200

    /// The caption before a trailing page credit, and the credit; nil when the line is not one.
    static func split(_ b: SourceBlock) -> (caption: Folio_V1_Caption, credit: Folio_V1_Credit)? {
        let s = b.scalars
        guard s.count > 8, s.count <= captionMax + PageFurniture.bylineMax * 2 else { return nil }
        // The credit starts after the last space; what stands before it ends a sentence or a bracket.
        guard let space = s.lastIndex(where: CharacterClass.isSpace), space > 0, space + 1 < s.count else { return nil }
        let head = SourceLines.trim(Array(s[..<space]))
        guard let last = head.last, head.count >= 4, head.count <= captionMax,
              CharacterClass.isSentenceEnd(last) || last.mark == "）" || last == ")" else { return nil }
        guard let credit = PeopleLines.pageCredit(SourceBlock(line: b.line, gapBefore: 0, scalars: Array(s[(space + 1)...]))) else { return nil }
        var c = Folio_V1_Caption()
        c.text = Folded.string(head)
        c.lines = [b.line]
        return (c, credit)
    }
}
