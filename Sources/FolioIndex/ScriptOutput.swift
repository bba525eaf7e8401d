import COpenCC
import FolioModel
import Foundation

/// Converts text a person reads into the requested script. Simplified uses the per-character t2s
/// table (offsets stay put); Traditional and Taiwan use OpenCC's phrase conversion, and fall back to
/// the original text when a conversion would change the scalar count (highlights must stay valid).
enum ScriptOutput {
    private final class Converter: @unchecked Sendable {
        let handle: UnsafeMutableRawPointer?
        let lock = NSLock()

        init(config: String) {
            let opened = opencc_open(config)
            handle = opened == UnsafeMutableRawPointer(bitPattern: -1) ? nil : opened
        }

        func convert(_ text: String) -> String? {
            guard let handle else { return nil }
            lock.lock()
            defer { lock.unlock() }
            let length = text.utf8.count
            return text.withCString { pointer in
                guard let result = opencc_convert_utf8(handle, pointer, length) else { return nil }
                defer { opencc_convert_utf8_free(result) }
                return String(cString: result)
            }
        }
    }

    private static let traditional = Converter(config: "s2t.json")
    private static let taiwan = Converter(config: "s2tw.json")

    static func convert(_ text: String, to script: Folio_V1_OutputScript) -> String {
        let converted: String?
        switch script {
        case .original, .UNRECOGNIZED: return text
        case .simplified: return IndexFold.shared.simplify(text)
        case .traditional: converted = traditional.convert(text)
        case .taiwan: converted = taiwan.convert(text)
        }
        guard let converted, converted.unicodeScalars.count == text.unicodeScalars.count else { return text }
        return converted
    }
}
