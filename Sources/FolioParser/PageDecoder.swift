import FolioModel

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
        case .big5: "BIG5-HKSCS"  // Big5 with Hong Kong's characters (𨋢, 嘅): a superset, as WHATWG's big5
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
/// seen often, folded to Simplified). `encoding` skips the detection. A page that is valid in no
/// encoding but in one apart from a few bytes (a download cut inside its last character, one
/// stray byte from another code page) is read in that one, the bytes as U+FFFD, and says so; so is
/// one with a few stray NUL or other control bytes besides, which the parser drops.
public enum PageDecoder {
    public struct Decoded: Sendable {
        public var text: String
        public let encoding: PageEncoding
        /// Bytes not valid in `encoding`, now U+FFFD, and the line of the first (0: none).
        public var replaced = 0
        public var firstReplacedLine = 0
        /// How many stray bytes that damage amounts to: in UTF-8 a byte dropped into a character
        /// breaks the character too (up to 4 U+FFFD in a row), so each such run counts a quarter.
        var stray = 0

        /// What a reader of the page should be told, nil when every byte was decoded.
        public var repairNote: String? {
            var notes: [String] = []
            if replaced > 0 {
                let bytes = replaced == 1 ? "1 byte" : "\(replaced) bytes"
                notes.append("\(bytes) not valid \(encoding.iconvName) became U+FFFD (the first on line \(firstReplacedLine))")
            }
            return notes.isEmpty ? nil : notes.joined(separator: "; ")
        }

        /// The same for a parsed page: a warning (the page was read; a few characters are lost).
        public var repairDiagnostic: Folio_V1_Diagnostic? {
            repairNote.map { diagnostic(.warning, "input-repaired", line: UInt32(clamping: firstReplacedLine), $0) }
        }
    }

    /// At most this many stray bytes (undecodable ones; NUL and other control bytes) are read as
    /// a damaged page: more is no damaged page but another encoding, or binary data.
    static func mostReplaced(_ byteCount: Int) -> Int { TextCheck.mostStray(byteCount) }

    /// Stray NUL bytes stay in the text: the parser drops them and says so, wherever the text
    /// comes from (a file, Parse, Ingest), so that a page parsed here and served after an ingest
    /// carry the same warning.
    public static func decode(_ bytes: [UInt8], encoding: PageEncoding? = nil) -> Result<Decoded, PageDecodingError> {
        detect(bytes, encoding: encoding)
    }

    private static func detect(_ bytes: [UInt8], encoding: PageEncoding?) -> Result<Decoded, PageDecodingError> {
        if let encoding {
            let decoded = decode(bytes, as: encoding)
            return decoded.flatMap { decoded in
                guard decoded.stray <= mostReplaced(bytes.count) else {
                    return .failure(PageDecodingError(
                        code: .invalidBytes, message: "not valid \(encoding.iconvName): \(decoded.replaced) bytes cannot be "
                            + "decoded (the first on line \(decoded.firstReplacedLine))"))
                }
                return .success(decoded)
            }
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return detect(Array(bytes.dropFirst(3)), encoding: .utf8) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return detect(bytes, encoding: .utf16) }
        if let text = validUTF8(bytes) { return .success(Decoded(text: text, encoding: .utf8)) }
        let decodes = [PageEncoding.gb18030, .big5, .utf8].compactMap { encoding -> Decoded? in
            guard case .success(let decoded) = decode(bytes, as: encoding),
                  controlCount(decoded.text) <= mostReplaced(bytes.count) else { return nil }
            return decoded
        }
        // Whole decodes first; else the least damaged, if damaged little.
        for candidates in [decodes.filter { $0.replaced == 0 }, decodes.filter { $0.stray <= mostReplaced(bytes.count) }] {
            let scored = candidates.map { (decoded: $0, score: ChineseLikelihood.score($0.text)) }
            if let best = scored.filter({ $0.score >= ChineseLikelihood.minimum })
                .min(by: { ($0.decoded.stray, -$0.score) < ($1.decoded.stray, -$1.score) }) {
                return .success(best.decoded)
            }
        }
        return .failure(PageDecodingError(
            code: .unknownEncoding,
            message: "not text in UTF-8, UTF-16 (with a BOM), GB18030 or Big5 (give --encoding if it is)"))
    }

    /// Conversion to UTF-8 through iconv; a byte that starts no valid sequence (or a sequence cut
    /// off at the end) becomes U+FFFD and is counted.
    static func decode(_ bytes: [UInt8], as encoding: PageEncoding) -> Result<Decoded, PageDecodingError> {
        if encoding == .utf8 {
            if let text = validUTF8(bytes) { return .success(Decoded(text: text, encoding: .utf8)) }
            var decoded = Decoded(text: String(decoding: bytes, as: UTF8.self), encoding: .utf8)
            var decoder = UTF8()
            var iterator = bytes.makeIterator()
            var run = 0
            var validBytes = 0
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar):
                    validBytes += UTF8.width(scalar)
                    decoded.stray += (run + 3) / 4
                    run = 0
                case .emptyInput:
                    decoded.stray += (run + 3) / 4
                    break loop
                case .error:  // one U+FFFD per maximal bad sequence (of 1–3 bytes), as String(decoding:) puts them
                    run += 1
                }
            }
            // Counted in bytes, as the note says: a character cut short is two or three bad bytes.
            decoded.replaced = bytes.count - validBytes
            decoded.firstReplacedLine = Int(InputCheck.firstInvalidUTF8Line(bytes) ?? 1)
            return .success(decoded)
        }
        let converter = iconv_open("UTF-8", encoding.iconvName)
        guard let converter, converter != iconv_t(bitPattern: -1) else {
            return .failure(PageDecodingError(code: .unsupported, message: "iconv cannot decode \(encoding.iconvName) here"))
        }
        defer { iconv_close(converter) }
        var input = bytes
        // UTF-8 takes at most 3 bytes per 2 input bytes (UTF-16, GB18030, Big5) or 4 per 4, and
        // U+FFFD 3 per undecodable byte.
        var output = [UInt8](repeating: 0, count: bytes.count * 3 + 16)
        var replaced = 0, marks = 0, firstReplacedLine = 0
        // In a two-byte encoding a lead byte whose pair is not in the table takes its (non-ASCII)
        // trail byte with it into one U+FFFD, as WHATWG's decoders do: skipping the lead alone read
        // the trail as the next lead, and every character after it as another real character.
        let pairs = encoding == .big5 || encoding == .gb18030
        let written: Int = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = UnsafeMutableRawPointer(inBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer = UnsafeMutableRawPointer(outBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                while iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 && inLeft > 0 && outLeft >= 3 {
                    let done = outBuffer.count - outLeft
                    if replaced == 0 { firstReplacedLine = 1 + outBuffer[..<done].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
                    let lead = UInt8(bitPattern: inPointer?.pointee ?? 0)
                    let trail = inLeft >= 2 ? UInt8(bitPattern: inPointer?.advanced(by: 1).pointee ?? 0) : 0
                    let skip = pairs && (0x81...0xFE).contains(lead) && (0x80...0xFE).contains(trail) ? 2 : 1
                    replaced += skip
                    marks += 1
                    for byte: UInt8 in [0xEF, 0xBF, 0xBD] {
                        outPointer?.pointee = CChar(bitPattern: byte)
                        outPointer = outPointer?.advanced(by: 1)
                    }
                    outLeft -= 3
                    inPointer = inPointer?.advanced(by: skip)
                    inLeft -= skip
                }
                _ = iconv(converter, nil, nil, &outPointer, &outLeft)
                return outBuffer.count - outLeft
            }
        }
        guard let text = validUTF8(output[..<written]) else {
            return .failure(PageDecodingError(code: .invalidBytes, message: "not valid \(encoding.iconvName)"))
        }
        var decoded = Decoded(text: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, encoding: encoding)
        decoded.replaced = replaced
        decoded.stray = marks
        decoded.firstReplacedLine = firstReplacedLine
        return .success(decoded)
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

    /// C0 controls other than tab, newline, form feed and carriage return: a few are stray bytes
    /// (the parser drops them), more mark binary data or UTF-16 read as another encoding.
    private static func controlCount(_ text: String) -> Int {
        text.unicodeScalars.count(where: { $0.value < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D].contains($0.value) })
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
