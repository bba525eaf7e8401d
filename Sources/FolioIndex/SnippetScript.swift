import FolioModel
import FolioText

/// Converts text a person reads into the requested script with OpenCC (FolioText's
/// `ScriptConverter`). A headline or section that a conversion changes the length of is still
/// converted; a snippet is then converted piece by piece between its highlights' ends, so that they
/// mark the same words (Taiwan's phrases: 内存 → 記憶體). (Whole pages for `folio parse --script` go
/// through FolioParser's `ScriptOutput`.)
enum SnippetScript {
    static func convert(_ text: String, highlights: [Folio_V1_Highlight], to script: Folio_V1_OutputScript)
        -> (String, [Folio_V1_Highlight]) {
        let converted = convert(text, to: script)
        let scalars = Array(text.unicodeScalars)
        guard converted.unicodeScalars.count != scalars.count, !highlights.isEmpty else { return (converted, highlights) }
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
