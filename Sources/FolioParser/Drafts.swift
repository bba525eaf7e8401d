import FolioModel
import FolioText

/// A block of text while the page is being assembled (scalars, not yet a proto).
struct DraftBlock {
    var kind: Folio_V1_BlockKind
    /// Changed only by `appendLine`, which forgets `sourceUTF8`.
    private(set) var scalars: [Unicode.Scalar]
    /// Where exactly these scalars stand in the page text as UTF-8 (`SourceBlock.sourceUTF8`): the
    /// block's text is then copied from there instead of encoded again.
    private(set) var sourceUTF8: Range<Int>?
    /// `ListItems.rowGaps(scalars)` when the builder counted it already (the joiner asks it of every block).
    var rowGaps: Int?
    /// The source line it starts on, then those joined onto it: most blocks have one line,
    /// and keep no array for it.
    var firstLine: UInt32
    var laterLines: [UInt32] = []
    /// Stood above its article's dateline: a fragment placed out of order.
    var floating = false
    var startsMidSentence = false
    /// How it meets the extractor's block breaks (re-flowed text only).
    var edges = ColumnEdges()
    var endsMidSentence = false

    init(kind: Folio_V1_BlockKind, scalars: [Unicode.Scalar], firstLine: UInt32, sourceUTF8: Range<Int>? = nil) {
        self.kind = kind
        self.scalars = scalars
        self.firstLine = firstLine
        self.sourceUTF8 = sourceUTF8
    }

    /// Another line joined on (`appendLine`): the text is no longer one stretch of the page's.
    mutating func appendLine(_ tail: [Unicode.Scalar]) {
        sourceUTF8 = nil
        rowGaps = nil
        FolioParser.appendLine(tail, to: &scalars)
    }

    /// The block's text: copied from the page text where it stands there as it is (`page`: the
    /// text the page was parsed from), else encoded from the scalars.
    func text(in page: String) -> String {
        guard let range = sourceUTF8,
              let text = page.utf8.withContiguousStorageIfAvailable({ Folded.string(validUTF8: UnsafeBufferPointer(rebasing: $0[range])) })
        else { return Folded.string(scalars) }
        return text
    }

    var lastLine: UInt32 { laterLines.last ?? firstLine }

    /// Every source line of the block, in order.
    var lines: [UInt32] {
        var all: [UInt32] = []
        all.reserveCapacity(1 + laterLines.count)
        all.append(firstLine)
        all += laterLines
        return all
    }

    /// Ends a sentence (or a sentence and its signature, …。（某某）), introduces what follows
    /// (…措施：), is wholly in brackets (（作者为…）), or is a row of ornaments (`＊＊＊`).
    var endsSentence: Bool {
        Reflow.endsParagraph(scalars) || scalars.last?.mark == "：" || scalars.last == ":"
            || (scalars.first?.mark == "（" && scalars.last?.mark == "）") || (scalars.first == "(" && scalars.last == ")")
            || !scalars.contains { CharacterClass.isHan($0) || CharacterClass.isLatin($0) || CharacterClass.isDigit($0) }
    }
}

/// An article while the page is being assembled.
final class DraftArticle {
    /// The headline with what goes with it when it moves to another text (pairing headlines with
    /// texts on extractor output): its section, lines, kicker and subtitle.
    struct Heading {
        var section: String, sectionIndex: Int
        var headline: String, headlineLine: UInt32, headlineWidth: Float
        var kicker: String, subtitle: String

        func put(on a: DraftArticle) {
            a.section = section; a.sectionIndex = sectionIndex
            a.headline = headline; a.headlineLine = headlineLine; a.headlineWidth = headlineWidth
            a.kicker = kicker; a.subtitle = subtitle
        }
    }

    var heading: Heading {
        Heading(section: section, sectionIndex: sectionIndex, headline: headline, headlineLine: headlineLine,
                headlineWidth: headlineWidth, kicker: kicker, subtitle: subtitle)
    }

    var section = ""
    var sectionIndex: Int
    var kicker = ""
    var headline = ""
    var headlineLine: UInt32 = 0
    /// Width of the headline's last visual line on extractor output (0: not known).
    var headlineWidth: Float = 0
    var subtitle = ""
    var bylines: [Folio_V1_Byline] = []
    var dateline: Folio_V1_Dateline?
    var lead: [DraftBlock] = []
    /// Appended through appendBody / floatBodyParagraphs, which keep the counts below, so the
    /// builder's per-line questions cost O(1) however long the article grows.
    private(set) var body: [DraftBlock] = []
    private(set) var paragraphCount = 0
    private var inPlaceCount = 0
    private var subheadingCount = 0
    var captions: [Folio_V1_Caption] = []
    var diagnostics: [Folio_V1_Diagnostic] = []
    var firstLine: UInt32
    var lastLine: UInt32
    /// A trailing byline was seen: whatever title comes next starts another article.
    var closed = false
    var inLead = false

    init(sectionIndex: Int, section: String, line: UInt32) {
        self.sectionIndex = sectionIndex
        self.section = section
        self.firstLine = line
        self.lastLine = line
    }

    var hasText: Bool { !lead.isEmpty || inPlaceCount > 0 }
    var hasSubheading: Bool { subheadingCount > 0 }

    func appendBody(_ block: DraftBlock) {
        body.append(block)
        if block.kind == .paragraph { paragraphCount += 1 }
        if block.kind == .subheading { subheadingCount += 1 }
        if !block.floating { inPlaceCount += 1 }
    }

    /// Takes body block `k` out, keeping the counts (a caption read as text, or the rest of a
    /// paragraph of another story).
    func removeBody(at k: Int) -> DraftBlock {
        let block = body.remove(at: k)
        if block.kind == .paragraph { paragraphCount -= 1 }
        if block.kind == .subheading { subheadingCount -= 1 }
        if !block.floating { inPlaceCount -= 1 }
        return block
    }

    /// Puts a block in at body position `k` (the rest of a paragraph cut before it).
    func insertBody(_ block: DraftBlock, at k: Int) {
        body.insert(block, at: k)
        if block.kind == .paragraph { paragraphCount += 1 }
        if block.kind == .subheading { subheadingCount += 1 }
        if !block.floating { inPlaceCount += 1 }
    }

    /// Text standing above a dateline that arrives now is out of place: fragments to put back.
    func floatBodyParagraphs() {
        guard paragraphCount > 0 else { return }
        for k in body.indices where body[k].kind == .paragraph && !body[k].floating {
            body[k].floating = true
            inPlaceCount -= 1
        }
    }

    func touch(_ line: UInt32) {
        firstLine = min(firstLine, line)
        lastLine = max(lastLine, line)
    }
}

func diagnostic(_ severity: Folio_V1_Severity, _ code: String, line: UInt32, _ message: String) -> Folio_V1_Diagnostic {
    var d = Folio_V1_Diagnostic()
    d.severity = severity
    d.code = code
    d.line = line
    d.message = message
    return d
}
