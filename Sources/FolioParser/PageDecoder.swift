#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text encodings a page file may come in. Decoding goes through the C library's iconv.
public enum PageEncoding: String, CaseIterable, Sendable {
    case utf8 = "utf-8"
    case utf16 = "utf-16"      // byte order from the BOM
    case utf16le = "utf-16le"
    case utf16be = "utf-16be"
    case gb18030
    case big5

    /// Also accepts common spellings: utf8, UTF-16LE, gbk, gb2312 (subsets of GB18030), big-5.
    public init?(name: String) {
        let key = name.lowercased().replacingOccurrences(of: "_", with: "-")
        switch key {
        case "utf-8", "utf8": self = .utf8
        case "utf-16", "utf16": self = .utf16
        case "utf-16le", "utf16le": self = .utf16le
        case "utf-16be", "utf16be": self = .utf16be
        case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
        case "big5", "big-5", "cp950": self = .big5
        default: return nil
        }
    }

    var iconvName: String {
        switch self {
        case .utf8: "UTF-8"
        case .utf16: "UTF-16"
        case .utf16le: "UTF-16LE"
        case .utf16be: "UTF-16BE"
        case .gb18030: "GB18030"
        case .big5: "BIG5"
        }
    }
}

/// Why a page's bytes are not text.
public struct PageDecodingError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case invalidBytes = "invalid-bytes"         // not valid in the encoding asked for
        case unknownEncoding = "unknown-encoding"   // none of the supported encodings fits
        case unsupported = "unsupported"            // iconv here lacks the encoding
    }
    public let code: Code
    public let message: String
    public var description: String { message }
}

/// Turns page bytes into UTF-8 text: a BOM decides; else valid UTF-8 is UTF-8; else GB18030 or
/// Big5, whichever iconv decodes and reads more like Chinese (characters the bigram model has
/// seen often, folded to Simplified). `encoding` skips the detection.
public enum PageDecoder {
    public struct Decoded: Sendable {
        public let text: String
        public let encoding: PageEncoding
    }

    public static func decode(_ bytes: [UInt8], encoding: PageEncoding? = nil) -> Result<Decoded, PageDecodingError> {
        if let encoding { return decode(bytes, as: encoding).map { Decoded(text: $0, encoding: encoding) } }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return decode(Array(bytes.dropFirst(3)), as: .utf8).map { Decoded(text: $0, encoding: .utf8) }
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return decode(bytes, as: .utf16).map { Decoded(text: $0, encoding: .utf16) }
        }
        if let text = validUTF8(bytes) { return .success(Decoded(text: text, encoding: .utf8)) }
        let candidates: [(PageEncoding, String)] = [PageEncoding.gb18030, .big5].compactMap { encoding in
            guard case .success(let text) = decode(bytes, as: encoding), !containsControl(text) else { return nil }
            return (encoding, text)
        }
        let scored = candidates.map { (encoding: $0.0, text: $0.1, score: ChineseLikelihood.score($0.1)) }
        guard let best = scored.max(by: { $0.score < $1.score }), best.score >= ChineseLikelihood.minimum else {
            return .failure(PageDecodingError(
                code: .unknownEncoding,
                message: "not text in UTF-8, UTF-16 (with a BOM), GB18030 or Big5 (give --encoding if it is)"))
        }
        return .success(Decoded(text: best.text, encoding: best.encoding))
    }

    /// Strict conversion to UTF-8 through iconv: any invalid or incomplete sequence fails.
    static func decode(_ bytes: [UInt8], as encoding: PageEncoding) -> Result<String, PageDecodingError> {
        if encoding == .utf8 {
            guard let text = validUTF8(bytes) else {
                return .failure(PageDecodingError(code: .invalidBytes, message: "not valid UTF-8"))
            }
            return .success(text)
        }
        let converter = iconv_open("UTF-8", encoding.iconvName)
        guard let converter, converter != iconv_t(bitPattern: -1) else {
            return .failure(PageDecodingError(code: .unsupported, message: "iconv cannot decode \(encoding.iconvName) here"))
        }
        defer { iconv_close(converter) }
        var input = bytes
        // UTF-8 takes at most 3 bytes per 2 input bytes (UTF-16, GB18030, Big5) or 4 per 4.
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        let written: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = UnsafeMutableRawPointer(inBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer = UnsafeMutableRawPointer(outBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0,
                      iconv(converter, nil, nil, &outPointer, &outLeft) != -1 else { return nil }
                return outBuffer.count - outLeft
            }
        }
        guard let written, let text = validUTF8(output[..<written]) else {
            return .failure(PageDecodingError(code: .invalidBytes, message: "not valid \(encoding.iconvName)"))
        }
        return .success(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
    }

    /// The bytes as a String when they are well-formed UTF-8.
    static func validUTF8<Bytes: Collection>(_ bytes: Bytes) -> String? where Bytes.Element == UInt8 {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return String(decoding: bytes, as: UTF8.self)
            case .error: return nil
            }
        }
    }

    /// C0 controls other than tab, newline, form feed and carriage return mark binary data.
    private static func containsControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D].contains($0.value) }
    }
}

/// How much a text reads like Chinese: the mean log frequency of its characters (folded to
/// Simplified) in the training days; characters never seen there count as rare.
enum ChineseLikelihood {
    /// Below this a decode is mojibake (damaged UTF-8 read as GB18030 scores about 2; Chinese
    /// text in its right encoding 6 or more).
    static let minimum = 4.0

    static func score(_ text: String) -> Double {
        var sum = 0.0
        var count = 0
        for scalar in text.unicodeScalars where scalar.value >= 0x80 {
            sum += BigramModel.shared.unigramLogFrequency(scalar)
            count += 1
        }
        return count == 0 ? 0 : sum / Double(count)
    }
}
