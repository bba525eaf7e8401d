import COpenCC
import Foundation

/// The script a reader asks for. `original` leaves text as printed.
public enum OutputForm: String, CaseIterable, Sendable {
    case original, simplified, traditional, taiwan

    /// OpenCC configuration that produces this form (nil for `original`).
    var openccConfig: String? {
        switch self {
        case .original: return nil
        case .simplified: return "t2s.json"
        case .traditional: return "s2t.json"
        case .taiwan: return "s2twp.json"
        }
    }

    /// Accepts the CLI spellings (`simplified`, `s`, `zh-hans`, …).
    public init?(name: String) {
        switch name.lowercased() {
        case "original", "orig", "o": self = .original
        case "simplified", "s", "zh-hans", "hans", "t2s": self = .simplified
        case "traditional", "t", "zh-hant", "hant", "s2t": self = .traditional
        case "taiwan", "tw", "zh-tw", "s2twp": self = .taiwan
        default: return nil
        }
    }
}

/// Errors from the OpenCC layer: a code for programs and a message for people.
public struct ScriptError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable { case configUnavailable = "opencc-config-unavailable" }
    public let code: Code
    public let message: String
    public var description: String { "\(code.rawValue): \(message)" }
}

/// Phrase-level conversion through OpenCC (slow, see Benchmarks/RESULTS.md: for text a person
/// reads, not hot paths).
///
/// Converters are opened once per form and cached. OpenCC handles are used under a lock, so
/// `ScriptConverter.shared` is safe to call from any thread.
// @unchecked: the OpenCC handles are opened and used only with `lock` held.
public final class ScriptConverter: @unchecked Sendable {
    public static let shared = ScriptConverter()

    private let lock = NSLock()
    private var handles: [String: opencc_t] = [:]

    public init() {}

    deinit {
        for handle in handles.values { _ = opencc_close(handle) }
    }

    /// Converts `text` to `form`; `original` returns it unchanged. Text is never lost: when a
    /// converter cannot be opened the error says which one.
    public func convert(_ text: String, to form: OutputForm) throws -> String {
        guard let config = form.openccConfig else { return text }
        return try convert(text, config: config)
    }

    /// Converts `text` with an OpenCC configuration by name (such as `hk2s.json`).
    func convert(_ text: String, config: String) throws -> String {
        guard !text.isEmpty else { return text }
        lock.lock()
        defer { lock.unlock() }
        let handle = try openLocked(config: config)
        guard let out = opencc_convert_utf8(handle, text, text.utf8.count) else { return text }
        defer { opencc_convert_utf8_free(out) }
        return String(cString: out)
    }

    /// A short text (a name looked up) as Simplified from Taiwan's phrase forms (義大利 → 意大利),
    /// which a per-character fold cannot undo; nil when that changes nothing, the text is longer
    /// than `limit` characters or OpenCC is unavailable.
    public func simplifiedFromTaiwan(_ text: String, limit: Int = 64) -> String? {
        guard text.count <= limit, let out = try? convert(text, config: "tw2sp.json"), out != text else { return nil }
        return out
    }

    /// Like `convert` but falls back to the input when OpenCC is unavailable.
    public func convertOrOriginal(_ text: String, to form: OutputForm) -> String {
        (try? convert(text, to: form)) ?? text
    }

    private func openLocked(config: String) throws -> opencc_t {
        if let handle = handles[config] { return handle }
        let handle = opencc_open(config)
        // opencc_open returns (opencc_t)-1 on failure.
        guard let handle, UInt(bitPattern: handle) != UInt.max else {
            throw ScriptError(code: .configUnavailable,
                              message: "cannot open OpenCC configuration \(config)")
        }
        handles[config] = handle
        return handle
    }
}
