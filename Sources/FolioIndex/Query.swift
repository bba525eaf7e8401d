import FolioText

/// A search failure the caller can report: bad query syntax and bad page tokens map to
/// INVALID_ARGUMENT on the wire, a stale page token to ABORTED.
public struct QueryError: Error, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case emptyQuery = "empty-query"
        case unterminatedQuote = "unterminated-quote"
        case misplacedOperator = "misplaced-operator"
        case badFilter = "bad-filter"
        case badPageToken = "bad-page-token"
        case badPageSize = "bad-page-size"
        /// A page token of an earlier archive (a write came between the pages): ABORTED on the wire.
        case stalePageToken = "stale-page-token"
        case queryTooLong = "query-too-long"
        case tooManyTerms = "too-many-terms"
        /// The caller went away mid-search (`SearchStop`): not the query's fault.
        case stopped = "stopped"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    static let stalePageToken = QueryError(
        .stalePageToken, "the archive changed since this page token was issued (ingest, delete or reload); start again from the first page")
}

/// One term of a phrase, with its unit offset from the phrase start.
struct QueryTerm: Hashable {
    var kind: TermKind
    var key: UInt64
    var offset: UInt32
}

/// A contiguous run of tokens that must appear at the same relative unit offsets in one field.
struct Phrase {
    var text: String
    /// Every token of the phrase (unigrams, bigrams), offsets relative to the first unit.
    var terms: [QueryTerm]
    var unitCount: UInt32

    init?(_ text: String) {
        let tokens = Analyzer.tokens(of: text)
        guard let first = tokens.first else { return nil }
        let base = first.unit
        self.text = text
        terms = tokens.map { QueryTerm(kind: $0.kind, key: $0.key, offset: $0.unit - base) }
        unitCount = (tokens.map(\.unit).max() ?? base) - base + 1
    }
}

enum Filter {
    case section(String)
    case author(String)
    case date(from: UInt32, to: UInt32)
    case page(String)
    /// The folded key, and the text as given (for its Taiwan phrase forms, which folding loses).
    case entity(String, given: String)
}

/// Parsed form of the query language: `terms`, `"phrases"`, `-exclusions`, `A OR B`, and filters
/// `section:`, `author:`, `date:FROM..TO`, `page:`, `entity:` (each may be negated with `-`).
/// Clauses are ANDed; OR binds its two neighbours into one clause.
struct ParsedQuery {
    var clauses: [[Phrase]] = []
    var exclusions: [Phrase] = []
    var filters: [(filter: Filter, negated: Bool)] = []

    private enum Item {
        case phrase(Phrase, negated: Bool)
        case filter(Filter, negated: Bool)
        case or
    }

    /// Bounds on one query, so that no query holds a worker for long or its lists fill memory:
    /// a query longer than any paragraph of a paper, or with more terms than Lucene's default
    /// clause limit, is refused instead of searched.
    static let maxScalars = 4096
    static let maxItems = 1024

    static let quotePairs: [Unicode.Scalar: Unicode.Scalar] = ["\"": "\"", "\u{201C}": "\u{201D}", "「": "」"]

    static func parse(_ raw: String) throws(QueryError) -> ParsedQuery {
        // A scalar is at most 4 bytes: longer texts are refused before their scalars are counted.
        if raw.utf8.count > 4 * maxScalars || raw.unicodeScalars.count > maxScalars {
            throw QueryError(.queryTooLong, "the query is longer than \(maxScalars) characters")
        }
        // Syntax is read on the folded query (full-width ＂－： work); texts are cut from the original.
        let original = Array(raw.unicodeScalars)
        let scalars = original.map(IndexFold.shared.fold)
        var items: [Item] = []
        var operators = 0  // ORs, which the item bound does not count
        var index = 0
        while index < scalars.count {
            if isSpace(scalars[index]) {
                index += 1
                continue
            }
            guard items.count - operators < maxItems else {
                throw QueryError(.tooManyTerms, "the query has more than \(maxItems) terms, phrases and filters")
            }
            var negated = false
            // A minus before a digit is a negative number (－５℃ copied from a text), not an exclusion.
            if scalars[index] == "-", index + 1 < scalars.count, !isSpace(scalars[index + 1]),
               !("0"..."9").contains(scalars[index + 1]) {
                negated = true
                index += 1
            }
            if let close = quotePairs[scalars[index]], scalars[index] == "\"" || scalars[(index + 1)...].contains(close) {
                let text = try readQuoted(scalars, original, &index, close: close)
                if let phrase = Phrase(text) { items.append(.phrase(phrase, negated: negated)) }
                continue
            }
            // An opening “ or 「 never closed is text copied from mid-quotation: read as a word.
            let start = index
            while index < scalars.count, !isSpace(scalars[index]) { index += 1 }
            let word = String(String.UnicodeScalarView(original[start..<index]))
            let foldedWord = String(String.UnicodeScalarView(scalars[start..<index]))
            if foldedWord == "or" && word.uppercased() == word && !negated {  // OR, ＯＲ; not "or"
                items.append(.or)
                operators += 1
                continue
            }
            if let colon = foldedWord.firstIndex(of: ":"),
               let name = FilterName(rawValue: String(foldedWord[..<colon])) {
                let valueStart = start + foldedWord[..<colon].unicodeScalars.count + 1
                var value = String(String.UnicodeScalarView(original[valueStart..<index]))
                if valueStart < index, let close = quotePairs[scalars[valueStart]] {
                    // field:"value with spaces"
                    index = valueStart
                    value = try readQuoted(scalars, original, &index, close: close)
                }
                items.append(.filter(try makeFilter(name, value), negated: negated))
                continue
            }
            if let phrase = Phrase(word) { items.append(.phrase(phrase, negated: negated)) }
        }
        return try assemble(items)
    }

    /// Whitespace without a Unicode property lookup for the usual scalars (ASCII, CJK): the
    /// last whitespace scalar is U+3000.
    @inline(__always)
    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return scalar.value == 0x20 || (scalar.value >= 0x09 && scalar.value <= 0x0D) }
        if scalar.value > 0x3000 { return false }
        return scalar.properties.isWhitespace
    }

    private static func readQuoted(_ scalars: [Unicode.Scalar], _ original: [Unicode.Scalar], _ index: inout Int,
                                   close: Unicode.Scalar) throws(QueryError) -> String {
        let start = index + 1
        var end = start
        while end < scalars.count && scalars[end] != close { end += 1 }
        guard end < scalars.count else {
            throw QueryError(.unterminatedQuote, "a quoted phrase is not closed")
        }
        index = end + 1
        return String(String.UnicodeScalarView(original[start..<end]))
    }

    private enum FilterName: String {
        case section, author, date, page, entity
    }

    private static func makeFilter(_ name: FilterName, _ value: String) throws(QueryError) -> Filter {
        guard !value.isEmpty else { throw QueryError(.badFilter, "\(name.rawValue): needs a value") }
        switch name {
        case .section: return .section(foldedKey(value))
        case .author: return .author(foldedName(value))
        case .page: return .page(value)
        case .entity: return .entity(foldedKey(value), given: value)
        case .date:
            let bounds = String(String.UnicodeScalarView(value.unicodeScalars.map(IndexFold.shared.fold)))  // ２０２２－１０－０１
                .components(separatedBy: "..")
            guard bounds.count <= 2 else { throw QueryError(.badFilter, "date: takes FROM..TO, got \(value)") }
            func day(_ text: String, _ open: UInt32) throws(QueryError) -> UInt32 {
                if text.isEmpty && bounds.count == 2 { return open }
                guard let parsed = parseDate(text) else {
                    throw QueryError(.badFilter, "date: expects YYYY-MM-DD, got \(text.isEmpty ? value : text)")
                }
                return parsed
            }
            // Undated articles (day 0) are in no range, open or not.
            let from = try day(bounds[0], 1)
            let to = try day(bounds.count == 2 ? bounds[1] : bounds[0], UInt32.max)
            guard from <= to else { throw QueryError(.badFilter, "date: range \(value) is empty") }
            return .date(from: from, to: to)
        }
    }

    private static func assemble(_ items: [Item]) throws(QueryError) -> ParsedQuery {
        var query = ParsedQuery()
        var joinNext = false
        for (position, item) in items.enumerated() {
            switch item {
            case .or:
                let previousIsTerm: Bool
                if position > 0, case .phrase(_, negated: false) = items[position - 1] { previousIsTerm = true } else { previousIsTerm = false }
                let nextIsTerm: Bool
                if position + 1 < items.count, case .phrase(_, negated: false) = items[position + 1] { nextIsTerm = true } else { nextIsTerm = false }
                guard previousIsTerm && nextIsTerm else {
                    throw QueryError(.misplacedOperator, "OR must stand between two search terms")
                }
                joinNext = true
            case .phrase(let phrase, let negated):
                if negated {
                    query.exclusions.append(phrase)
                } else if joinNext {
                    query.clauses[query.clauses.count - 1].append(phrase)
                } else {
                    query.clauses.append([phrase])
                }
                joinNext = false
            case .filter(let filter, let negated):
                query.filters.append((filter, negated))
            }
        }
        if query.clauses.isEmpty && query.exclusions.isEmpty && query.filters.isEmpty {
            throw QueryError(.emptyQuery, "the query has nothing to search for")
        }
        query.addScriptForms()
        return query
    }
}

extension ParsedQuery {
    /// `entity:` filters name their entity by its key, when the text given is one of its other
    /// forms (`entity:两个` finds the number keyed `2个`, as GetEntity does) or the name as
    /// `--script taiwan` prints it (`entity:義大利` finds 意大利).
    func namingEntitiesByKey(_ catalog: EntityCatalog) -> ParsedQuery {
        var query = self
        for (index, item) in filters.enumerated() {
            guard case .entity(let text, let given) = item.filter else { continue }
            let found = catalog.lookup(text: text, type: 0)
                ?? ScriptConverter.shared.simplifiedFromTaiwan(given).flatMap { catalog.lookup(text: foldedKey($0), type: 0) }
            if let (key, _) = found {
                query.filters[index].filter = .entity(key.text, given: given)
            }
        }
        return query
    }
}
