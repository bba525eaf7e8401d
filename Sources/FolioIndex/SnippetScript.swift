import FolioModel
import FolioText

/// Converts text a person reads into the requested script with OpenCC (FolioText's
/// `ScriptConverter`). Highlights are scalar offsets, so a conversion that would change the scalar
/// count is not used: Simplified then falls back to the per-character table, other forms to the
/// original text. (Whole pages for `folio parse --script` go through FolioParser's `ScriptOutput`.)
enum SnippetScript {
    static func convert(_ text: String, to script: Folio_V1_OutputScript) -> String {
        let form: OutputForm
        switch script {
        case .original, .UNRECOGNIZED: return text
        case .simplified: form = .simplified
        case .traditional: form = .traditional
        case .taiwan: form = .taiwan
        }
        let converted = ScriptConverter.shared.convertOrOriginal(text, to: form)
        if converted.unicodeScalars.count == text.unicodeScalars.count { return converted }
        return form == .simplified ? IndexFold.shared.simplify(text) : text
    }
}
