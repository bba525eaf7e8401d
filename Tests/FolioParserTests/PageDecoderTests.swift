import FolioModel
import Foundation
@testable import FolioParser
import Testing

@Suite struct PageDecoderTests {
    static let simplified = "新华社北京一月五日电 国务院总理李鹏今天在人民大会堂会见了日本客人。"
    static let traditional = "新華社北京一月五日電 國務院總理李鵬今天在人民大會堂會見了日本客人。"
    // Bytes as Python's codecs write them (not through the decoder under test).
    static let simplifiedGB18030: [UInt8] = [
        208, 194, 187, 170, 201, 231, 177, 177, 190, 169, 210, 187, 212, 194, 206, 229, 200, 213, 181, 231, 32, 185,
        250, 206, 241, 212, 186, 215, 220, 192, 237, 192, 238, 197, 244, 189, 241, 204, 236, 212, 218, 200, 203, 195,
        241, 180, 243, 187, 225, 204, 195, 187, 225, 188, 251, 193, 203, 200, 213, 177, 190, 191, 205, 200, 203, 161, 163,
    ]
    static let traditionalBig5: [UInt8] = [
        183, 115, 181, 216, 170, 192, 165, 95, 168, 202, 164, 64, 164, 235, 164, 173, 164, 233, 185, 113, 32, 176, 234,
        176, 200, 176, 124, 193, 96, 178, 122, 167, 245, 196, 80, 164, 181, 164, 209, 166, 98, 164, 72, 165, 193, 164,
        106, 183, 124, 176, 243, 183, 124, 168, 163, 164, 70, 164, 233, 165, 187, 171, 200, 164, 72, 161, 67,
    ]
    static let traditionalGB18030: [UInt8] = [
        208, 194, 200, 65, 201, 231, 177, 177, 190, 169, 210, 187, 212, 194, 206, 229, 200, 213, 235, 138, 32, 135, 248,
        132, 213, 212, 186, 191, 130, 192, 237, 192, 238, 249, 105, 189, 241, 204, 236, 212, 218, 200, 203, 195, 241,
        180, 243, 149, 254, 204, 195, 149, 254, 210, 138, 193, 203, 200, 213, 177, 190, 191, 205, 200, 203, 161, 163,
    ]

    func detected(_ bytes: [UInt8]) throws -> PageDecoder.Decoded {
        try PageDecoder.decode(bytes).get()
    }

    @Test func utf8WithAndWithoutBOM() throws {
        #expect(try detected(Array(Self.simplified.utf8)).text == Self.simplified)
        let bom = try detected([0xEF, 0xBB, 0xBF] + Array(Self.simplified.utf8))
        #expect(bom.text == Self.simplified)
        #expect(bom.encoding == .utf8)
    }

    @Test func utf16ByteOrderFromTheBOM() throws {
        let little: [UInt8] = [0xFF, 0xFE] + Self.simplified.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big: [UInt8] = [0xFE, 0xFF] + Self.traditional.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(try detected(little).text == Self.simplified)
        #expect(try detected(big).text == Self.traditional)
    }

    @Test func gb18030AndBig5AreToldApart() throws {
        let gb = try detected(Self.simplifiedGB18030)
        #expect(gb.encoding == .gb18030)
        #expect(gb.text == Self.simplified)
        let big5 = try detected(Self.traditionalBig5)
        #expect(big5.encoding == .big5)
        #expect(big5.text == Self.traditional)
        let traditionalGB = try detected(Self.traditionalGB18030)
        #expect(traditionalGB.encoding == .gb18030)
        #expect(traditionalGB.text == Self.traditional)
    }

    /// Hong Kong's Big5 (HKSCS) characters decode (𨋢 was one U+FFFD), and a pair the table lacks
    /// is one U+FFFD for both its bytes: its trail byte was read as the next lead, and 改善工 came
    /// out as 穨齔膜 + "u", real characters nobody would notice, while the note said "2 bytes".
    @Test func hongKongBig5AndAPairNotInTheTable() throws {
        let hkscs: [UInt8] = [0x9D, 0xF2, 0xA7, 0xEF, 0xB5, 0xBD, 0xA4, 0x75, 0xB5, 0x7B]  // 𨋢改善工程
        #expect(try PageDecoder.decode(hkscs, encoding: .big5).get().text == "𨋢改善工程")
        let unknownPair: [UInt8] = [0x81, 0xA1] + Array(hkscs.dropFirst(2))
        let decoded = try PageDecoder.decode(unknownPair, encoding: .big5).get()
        #expect(decoded.text == "\u{FFFD}改善工程")
        #expect(decoded.replaced == 2 && decoded.stray == 1)
        // A lead byte before an ASCII byte takes only itself: the ASCII is text.
        #expect(try PageDecoder.decode([0x81, 0x41] + Array(hkscs.dropFirst(2)), encoding: .big5).get().text == "\u{FFFD}A改善工程")
    }

    @Test func anEncodingGivenIsUsedAndChecked() throws {
        #expect(try PageDecoder.decode(Self.traditionalBig5, encoding: .big5).get().text == Self.traditional)
        guard case .failure(let error) = PageDecoder.decode(Self.simplifiedGB18030, encoding: .utf8) else {
            Issue.record("GB18030 bytes passed as UTF-8")
            return
        }
        #expect(error.code == .invalidBytes)
        #expect(PageEncoding(name: "GBK") == .gb18030)
        #expect(PageEncoding(name: "UTF_16LE") == .utf16le)
        #expect(PageEncoding(name: "latin-9") == nil)
    }

    @Test func binaryAndBrokenUTF8AreNotGuessedIntoText() throws {
        guard case .failure(let binary) = PageDecoder.decode([0x00, 0xFF, 0xFE, 0xC3, 0x01]) else {
            Issue.record("binary bytes were decoded")
            return
        }
        #expect(binary.code == .unknownEncoding)
        // A UTF-8 page with one damaged byte stays a UTF-8 page with a fault, not GB18030 mojibake.
        var damaged = Array((Self.simplified + "\n" + Self.simplified + Self.simplified).utf8)
        damaged.remove(at: 10)  // a sequence cut short: GB18030 decodes the rest as mojibake
        let decoded = try detected(damaged)
        // The character lost one of its three bytes: the two left are the bytes counted (one U+FFFD).
        #expect(decoded.encoding == .utf8 && decoded.replaced == 2 && decoded.firstReplacedLine == 1)
        #expect(decoded.repairNote == "2 bytes not valid UTF-8 became U+FFFD (the first on line 1)")
        #expect(decoded.text.unicodeScalars.filter { $0 == "\u{FFFD}" }.count == 1)
        #expect(decoded.text.hasSuffix(Self.simplified + Self.simplified))
    }

    /// A page valid in no encoding but GB18030 apart from one byte (cut inside its last character,
    /// a stray byte of another code page) was refused whole, and `--encoding gb18030` too.
    @Test func aFewUndecodableBytesAreReplacedAndCounted() throws {
        let lines = Self.simplifiedGB18030 + [0x0A] + Self.simplifiedGB18030
        let stray = try detected(lines + [0x80] + [0x0A] + Self.simplifiedGB18030)
        #expect(stray.encoding == .gb18030 && stray.replaced == 1 && stray.firstReplacedLine == 2)
        #expect(stray.text == Self.simplified + "\n" + Self.simplified + "\u{FFFD}\n" + Self.simplified)
        #expect(stray.repairNote == "1 byte not valid GB18030 became U+FFFD (the first on line 2)")
        let cut = try detected(lines.dropLast())  // the last character's second byte lost
        #expect(cut.encoding == .gb18030 && cut.replaced == 1 && cut.text.hasSuffix("\u{FFFD}"))
        #expect(try PageDecoder.decode(lines + [0x80], encoding: .gb18030).get().replaced == 1)
        // Many bad bytes are another encoding, not damage: refused, with the line of the first.
        guard case .failure(let error) = PageDecoder.decode(Self.traditionalBig5 + Self.traditionalBig5, encoding: .utf8) else {
            Issue.record("Big5 bytes passed as damaged UTF-8")
            return
        }
        #expect(error.message.hasPrefix("not valid UTF-8:") && error.message.contains("line 1"))
    }

    /// Stray NUL bytes stay in the decoded text: the parser drops them and says so, for every way
    /// a page comes in (a file, Parse, Ingest).
    @Test func strayNULBytesAreLeftToTheParser() throws {
        let decoded = try detected(Array((Self.simplified + "\0" + Self.simplified).utf8))
        #expect(decoded.text == Self.simplified + "\0" + Self.simplified && decoded.repairNote == nil)
        #expect(TextCheck.binaryReason(Array((Self.simplified + "\0" + Self.simplified).utf8)) == nil)
        #expect(TextCheck.binaryReason(Array((Self.simplified + String(repeating: "\0", count: 5)).utf8)) != nil)
    }

    /// One stray NUL and one stray byte together were "not text" (each alone was read): the UTF-8
    /// reading was dropped for its control byte. Stray bytes dropped inside characters, which
    /// break those characters too (up to 4 U+FFFD each), count once each against the limit.
    @Test func strayNULAndStrayBytesTogetherAreRepairedUTF8() throws {
        let line = Array((Self.simplified + "\n").utf8)
        let both = try detected(line + [0x00] + line + [0xFF] + line)
        #expect(both.encoding == .utf8 && both.replaced == 1 && both.firstReplacedLine == 3)
        #expect(both.text == Self.simplified + "\n\0" + Self.simplified + "\n\u{FFFD}" + Self.simplified + "\n")
        // About 10,000 bytes (9 stray ones allowed), 8 stray bytes each inside a character and a
        // NUL: read as UTF-8, not refused.
        var page = Array(repeating: line, count: 10_000 / line.count).flatMap { $0 }
        for k in (1...8).reversed() {
            let inside = try #require((k * 1000..<page.count).first { page[$0] & 0xC0 == 0x80 })
            page.insert(0xFF, at: inside)
        }
        let broken = try detected(page + [0x00])
        #expect(broken.encoding == .utf8 && broken.replaced >= 24)
        // Bytes of another encoding are still no damaged UTF-8.
        #expect(throws: PageDecodingError.self) { try PageDecoder.decode(Self.traditionalBig5 + [0x00] + Self.traditionalBig5, encoding: .utf8).get() }
    }
}
