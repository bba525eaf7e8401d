/// Turns text into index terms: folded unigrams and bigrams of its characters (Han, kana, hangul,
/// letters, digits and the signs of figures alike, so that any run of them is found inside longer
/// ones, as a scan finds it).
/// Each token carries a *unit* position (one unit per character and per run of separators) and its
/// scalar offsets in the original text. Adjacent units are adjacent in the text; a separator run is
/// one unit, so phrases never bridge punctuation silently.
enum TermKind: UInt8 {
    case unigram, bigram
}

struct AnalyzedToken {
    var kind: TermKind
    /// Unigram: the folded scalar; bigram: `bigramKey(a, b)`.
    var key: UInt64
    var unit: UInt32
    /// Scalar offsets into the analyzed text, end exclusive.
    var start: Int
    var end: Int
}

@inline(__always)
func bigramKey(_ first: UInt32, _ second: UInt32) -> UInt64 {
    (1 << 62) | (UInt64(first) << 21) | UInt64(second)
}

@inline(__always)
func isBigramKey(_ key: UInt64) -> Bool { key & (1 << 62) != 0 }

/// What a walk over a text's units reports (`Analyzer.walk`): the analyzer's tokens and the phrase
/// verifier's per-unit keys come from the same walk, so they can never number units differently.
protocol UnitVisitor {
    /// A CJK character (folded) at `unit`, scalar `offset`; `previous`: the folded CJK character
    /// right before it in the same run, nil at a run's start.
    mutating func cjk(_ folded: UInt32, previous: UInt32?, unit: UInt32, offset: Int)
}

enum Analyzer {
    /// Walks `text`'s units, numbering them from `unit` (advanced past the text on return). `inGap`
    /// says whether the previous unit was a separator run, so that field boundaries and the
    /// separators around them form one separator unit together. Generic, not a closure: each
    /// visitor gets its own specialized loop.
    static func walk<Visitor: UnitVisitor>(_ text: String, unit: inout UInt32, inGap: inout Bool,
                                           _ visitor: inout Visitor) {
        let fold = IndexFold.shared
        var previousCJK: UInt32? = nil
        var offset = 0
        for scalar in text.unicodeScalars {
            let (folded, charClass) = fold.foldAndClass(scalar.value)
            switch charClass {
            case .cjk:
                visitor.cjk(folded, previous: previousCJK, unit: unit, offset: offset)
                previousCJK = folded
                unit += 1
                inGap = false
            case .separator:
                previousCJK = nil
                if !inGap {
                    unit += 1
                    inGap = true
                }
            case .ignorable:
                break  // no unit: 邊\u{E0101}國 is 邊國; its offset is still counted
            }
            offset += 1
        }
    }

    /// The walk as index terms: a unigram per character, a bigram per pair of adjacent ones.
    static func analyze(_ text: String, unit: inout UInt32, inGap: inout Bool, emit: (AnalyzedToken) -> Void) {
        withoutActuallyEscaping(emit) { emit in
            var tokens = TokenEmitter(emit: emit)
            walk(text, unit: &unit, inGap: &inGap, &tokens)
        }
    }

    private struct TokenEmitter: UnitVisitor {
        let emit: (AnalyzedToken) -> Void
        /// The previous character's offset (an ignorable scalar may stand between the two).
        var previousOffset = 0

        mutating func cjk(_ folded: UInt32, previous: UInt32?, unit: UInt32, offset: Int) {
            emit(AnalyzedToken(kind: .unigram, key: UInt64(folded), unit: unit, start: offset, end: offset + 1))
            if let previous {
                emit(AnalyzedToken(kind: .bigram, key: bigramKey(previous, folded), unit: unit - 1, start: previousOffset, end: offset + 1))
            }
            previousOffset = offset
        }
    }

    /// Convenience for queries and snippets: every token of `text`, units from 0.
    static func tokens(of text: String) -> [AnalyzedToken] {
        var unit: UInt32 = 0
        var inGap = true
        var result: [AnalyzedToken] = []
        analyze(text, unit: &unit, inGap: &inGap) { result.append($0) }
        return result
    }
}

/// Walks the fields of a document with continuous unit numbering: a boundary between fields is
/// wider than any separator, so no phrase spans two fields.
struct FieldWalker {
    private(set) var unit: UInt32 = 0
    private var inGap = true

    mutating func analyze(_ field: String, emit: (AnalyzedToken) -> Void) {
        Analyzer.analyze(field, unit: &unit, inGap: &inGap, emit: emit)
    }

    mutating func walk<Visitor: UnitVisitor>(_ field: String, _ visitor: inout Visitor) {
        Analyzer.walk(field, unit: &unit, inGap: &inGap, &visitor)
    }

    /// A field's end is one unit more than a separator run: a query's separator (one unit) matches
    /// punctuation or space inside a field, never the step from one field to the next, which nothing
    /// in the text joins (`"客人 国家"` over a headline and the paragraph under it).
    mutating func endField() {
        unit += inGap ? 1 : 2
        inGap = true
    }
}
