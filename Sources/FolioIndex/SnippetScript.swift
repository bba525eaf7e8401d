import FolioModel
import FolioText

/// Converts text a person reads into the requested script with OpenCC (FolioText's
/// `ScriptConverter`). A snippet with highlights is converted piece by piece between their ends, as
/// mentions are (`MentionOffsets`): so that they mark the same words when a phrase changes the
/// length (Taiwan's 内存 → 記憶體), and so that a phrase across a highlight's edge cannot rewrite the
/// words found (纪念周恩来 whole gives 紀念週恩來). (Whole pages for `folio parse --script` go
/// through FolioParser's `ScriptOutput`.)
enum SnippetScript {
    static func convert(_ text: String, highlights: [Folio_V1_Highlight], to script: Folio_V1_OutputScript)
        -> (String, [Folio_V1_Highlight]) {
        guard !highlights.isEmpty, script != .original else { return (convert(text, to: script), highlights) }
        let scalars = Array(text.unicodeScalars)
        let cuts = Set(highlights.flatMap { [Int($0.start), Int($0.end)] })
        let (pieces, moved) = PiecewiseConversion.convert(scalars, cuts: cuts) { convert($0, to: script) }
        let shifted = highlights.map { h -> Folio_V1_Highlight in
            var out = h
            out.start = UInt32(moved[min(Int(h.start), scalars.count)] ?? 0)
            out.end = UInt32(moved[min(Int(h.end), scalars.count)] ?? 0)
            return out
        }
        return (pieces, shifted)
    }

    static func convert(_ text: String, to script: Folio_V1_OutputScript) -> String {
        let form: OutputForm
        switch script {
        case .original, .UNRECOGNIZED: return text
        case .simplified: form = .simplified
        case .traditional: form = .traditional
        case .taiwan: form = .taiwan
        }
        return ScriptConverter.shared.convertOrOriginal(text, to: form)
    }
}
