import FolioModel
import Foundation

/// What the index keeps of one article: its searchable text fields in a fixed layout, and the
/// metadata filters and entity lookups need. Segments are built from these, and give them back when
/// segments are merged or snapshotted.
///
/// Field layout: headline, subtitle, lead ++ body blocks, captions, bylines (names joined by spaces),
/// kicker, dateline (its text, then reporters it does not spell out), caption credits (joined by spaces).
struct DocSource {
    struct SourceEntity {
        var type: UInt8
        var key: String   // folded normalized form (or folded text when not normalized)
        var form: String  // as on the page
        var mentions: [Folio_V1_Mention]
    }

    var articleID: String
    var pageID: String
    var fields: [String]
    var blockCount: Int
    var section: String
    /// What `section:` matches, folded: the rubric, else the page's section (`filterSection`).
    var sectionKey: String
    /// yyyymmdd, 0 when unknown.
    var date: UInt32
    /// Folded author names (bylines and dateline reporters), without inner spaces.
    var authors: [String]
    var entities: [SourceEntity]

    static let headlineField = 0
    static let subtitleField = 1
    static let firstBlockField = 2

    init(articleID: String, pageID: String, fields: [String], blockCount: Int, section: String,
         sectionKey: String? = nil, date: UInt32, authors: [String], entities: [SourceEntity]) {
        self.articleID = articleID
        self.pageID = pageID
        self.fields = fields
        self.blockCount = blockCount
        self.section = section
        self.sectionKey = sectionKey ?? foldedKey(section)
        self.date = date
        self.authors = authors
        self.entities = entities
    }

    /// `pageID` and `pageDate` stand in for an article's own when it has none; `pageSection` is
    /// the section an article under no rubric is filtered by.
    init(article: Folio_V1_Article, pageID: String = "", pageDate: String = "", pageSection: String = "") {
        let names = article.bylines.map(\.name) + article.dateline.reporters
        var authors: [String] = []
        for name in names {
            let folded = foldedName(name)
            if !folded.isEmpty && !authors.contains(folded) { authors.append(folded) }
        }
        let fields = Self.fields(of: article), blockCount = article.lead.count + article.body.count
        var entities: [SourceEntity] = []
        entities.reserveCapacity(article.entities.count)
        var scalarsOf: [Int: [Unicode.Scalar]] = [:]  // the fields mentions were read in
        for entity in article.entities {
            let base = entity.normalized.isEmpty ? entity.text : entity.normalized
            let type = UInt8(clamping: entity.type.rawValue), key = foldedKey(base)
            entities.append(SourceEntity(type: type, key: key, form: entity.text, mentions: entity.mentions))
            // Every other form the article prints it in (１月６日 of an entity first printed 明天), as
            // an entry without mentions: a lookup by any printed form finds the entity.
            for form in Self.otherForms(of: entity, fields: fields, blockCount: blockCount, scalarsOf: &scalarsOf) {
                entities.append(SourceEntity(type: type, key: key, form: form, mentions: []))
            }
        }
        self.init(articleID: article.id, pageID: article.pageID.isEmpty ? pageID : article.pageID,
                  fields: fields, blockCount: blockCount,
                  section: article.section, sectionKey: foldedKey(article.filterSection(pageSection: pageSection)),
                  date: parseDate(article.date.isEmpty ? pageDate : article.date) ?? 0,
                  authors: authors, entities: entities)
    }

    /// The texts an entity's mentions print other than its `text`, in order, once each.
    static func otherForms(of entity: Folio_V1_Entity, fields: [String], blockCount: Int,
                           scalarsOf: inout [Int: [Unicode.Scalar]]) -> [String] {
        guard entity.mentions.count > 1 || entity.mentions.first.map({ $0.end &- $0.start != UInt32(scalarCount(entity.text)) }) == true
        else { return [] }
        var forms: [String] = []
        let own = Array(entity.text.unicodeScalars)
        for mention in entity.mentions {
            let field: Int
            switch mention.field {
            case .headline: field = headlineField
            case .subtitle: field = subtitleField
            case .block: field = firstBlockField + Int(mention.block)
            case .caption: field = firstBlockField + blockCount + Int(mention.block)
            default: continue
            }
            guard field < fields.count else { continue }
            let scalars = scalarsOf[field] ?? Array(fields[field].unicodeScalars)
            scalarsOf[field] = scalars
            let start = Int(mention.start), end = Int(mention.end)
            guard start < end, end <= scalars.count, !scalars[start..<end].elementsEqual(own) else { continue }
            let form = String(String.UnicodeScalarView(scalars[start..<end]))
            if !forms.contains(form) { forms.append(form) }
        }
        return forms
    }

    /// The searchable text fields of an article, in the layout above.
    static func fields(of article: Folio_V1_Article) -> [String] {
        var fields = [article.headline, article.subtitle]
        fields += article.lead.map(\.text)
        fields += article.body.map(\.text)
        fields += article.captions.map(\.text)
        fields.append(article.bylines.map(\.name).joined(separator: " "))
        fields.append(article.kicker)
        let dateline = article.dateline
        fields.append(([dateline.text] + dateline.reporters.filter { !foundationContains(dateline.text, $0) }).joined(separator: " "))
        fields.append(article.captions.map(\.credit).filter { !$0.isEmpty }.joined(separator: " "))
        return fields.map(sanitizedField)
    }
}

/// Unicode scalars in `text`, counted on its UTF-8 (bytes that start a scalar): `unicodeScalars.count`
/// decodes every scalar.
func scalarCount(_ text: String) -> Int {
    text.utf8.withContiguousStorageIfAvailable { bytes in bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
        ?? text.unicodeScalars.count
}

/// `text.contains(part)` as Foundation answers it (a search under canonical equivalence, through
/// NSString: most of the cost of an article's fields). For text of scalars that are canonically
/// alone (printable ASCII, Han, CJK punctuation, full-width forms: no decomposition, nothing
/// combines with them) that answer is a byte search, done here; other text is asked of Foundation.
func foundationContains(_ text: String, _ part: String) -> Bool {
    func alone(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E, 0xB7, 0x2010...0x2027, 0x3000...0x3029, 0x3030...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xFF01...0xFF5E: return true
        default: return false
        }
    }
    guard !part.isEmpty, text.unicodeScalars.allSatisfy(alone), part.unicodeScalars.allSatisfy(alone) else {
        return text.contains(part)
    }
    // Valid UTF-8 in valid UTF-8: a byte match starts and ends on scalar boundaries.
    let found = text.utf8.withContiguousStorageIfAvailable { haystack in
        part.utf8.withContiguousStorageIfAvailable { needle in
            guard needle.count <= haystack.count else { return false }
            return (0...(haystack.count - needle.count)).contains { start in
                memcmp(haystack.baseAddress! + start, needle.baseAddress!, needle.count) == 0
            }
        }
    }
    return found.flatMap { $0 } ?? text.contains(part)
}

/// Newlines separate fields in the stored text; inside a field they become spaces (same scalar count).
func sanitizedField(_ text: String) -> String {
    // Newline and return never occur inside a multi-byte UTF-8 sequence: a byte scan finds them.
    let hasBreak = text.utf8.withContiguousStorageIfAvailable { bytes in
        guard let base = bytes.baseAddress else { return false }
        return memchr(base, 0x0A, bytes.count) != nil || memchr(base, 0x0D, bytes.count) != nil
    } ?? text.utf8.contains { $0 == 0x0A || $0 == 0x0D }
    guard hasBreak else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars { out.append(scalar == "\n" || scalar == "\r" ? " " : scalar) }
    return String(out)
}

/// Names compare folded and without spaces: 崔 治 == 崔治.
func foldedName(_ text: String) -> String {
    let fold = IndexFold.shared
    func kept(_ scalar: Unicode.Scalar) -> Bool {
        fold.fold(scalar) == scalar && !isWhitespace(scalar) && !IndexFold.isIgnorable(scalar.value)
    }
    // Most names and keys are folded already: the text itself, no new string scalar by scalar.
    if text.unicodeScalars.allSatisfy(kept) { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        let folded = fold.fold(scalar)
        if !isWhitespace(folded) && !IndexFold.isIgnorable(folded.value) { out.append(folded) }
    }
    return String(out)
}

/// `properties.isWhitespace` without its table look-up for ASCII and the CJK blocks (no white
/// space from U+3400 to U+FFEF).
@inline(__always)
func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x80 { return value == 0x20 || (value >= 0x09 && value <= 0x0D) }
    if value >= 0x3400 && value < 0xFFF0 { return false }
    return scalar.properties.isWhitespace
}

/// Entity keys and section names compare folded, trimmed, without inner whitespace.
func foldedKey(_ text: String) -> String { foldedName(text) }

/// `text` without white space and variation selectors (an entity's filter key as the index keys it:
/// 2 个 → 2个, 邊\u{E0101}國雄 → 邊國雄); `text` itself, not a copy, when it has none.
public func withoutWhitespace(_ text: String) -> String {
    func dropped(_ scalar: Unicode.Scalar) -> Bool { isWhitespace(scalar) || IndexFold.isIgnorable(scalar.value) }
    guard text.unicodeScalars.contains(where: dropped) else { return text }
    return String(String.UnicodeScalarView(text.unicodeScalars.filter { !dropped($0) }))
}

/// "YYYY-MM-DD" → yyyymmdd; nil when malformed.
func parseDate(_ text: String) -> UInt32? { CalendarDay(text)?.packed }

func formatDate(_ value: UInt32) -> String {
    guard value != 0 else { return "" }
    let year = value / 10000, month = value / 100 % 100, day = value % 100
    // Written straight into the String's buffer: a ten-byte result stays a small (inline) String,
    // nothing is allocated.
    return String(unsafeUninitializedCapacity: 16) { buffer in
        var count = 0
        var divisor: UInt32 = 1
        while year / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            buffer[count] = UInt8(ascii: "0") + UInt8(year / divisor % 10)
            count += 1
            divisor /= 10
        }
        for part in [month, day] {  // both below 100
            buffer[count] = UInt8(ascii: "-")
            buffer[count + 1] = UInt8(ascii: "0") + UInt8(part / 10)
            buffer[count + 2] = UInt8(ascii: "0") + UInt8(part % 10)
            count += 3
        }
        return count
    }
}
