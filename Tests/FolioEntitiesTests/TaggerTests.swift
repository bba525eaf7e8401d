import Foundation
import Testing
import FolioModel
import FolioEntities

/// The character tagger (Data/tagger.bin): Traditional and mixed-script input tagged through
/// the fold with offsets into the original, and totality on empty, huge and garbage input.
@Suite struct TaggerTests {
    let recognizer = EntityRecognizer.taggerOnly

    func names(_ text: String) -> [(Folio_V1_EntityType, String)] {
        let scalars = Array(text.unicodeScalars)
        return recognizer.tagNames(text).map { ($0.type, String(String.UnicodeScalarView(scalars[$0.start..<$0.end]))) }
    }

    func found(_ text: String) -> Set<String> {
        Set(names(text).map { "\($0.0 == .person ? "PER" : $0.0 == .place ? "LOC" : "ORG") \($0.1)" })
    }

    @Test func modelLoads() {
        #expect(recognizer.usesTagger)
        #expect(recognizer.taggerModelBytes > 100_000)
        #expect(!EntityRecognizer.rules.usesTagger)
        // The default is the combined recognizer (ninth round).
        #expect(EntityRecognizer.shared === EntityRecognizer.combined && EntityRecognizer.shared.usesTagger)
        #expect(EntityRecognizer.taggerAndRules.usesTagger)
    }

    @Test func simplifiedSentence() {
        let f = found("国务院总理李鹏今天在北京会见了美国国务卿奥尔布赖特。")
        #expect(f.isSuperset(of: ["ORG 国务院", "PER 李鹏", "LOC 北京", "LOC 美国", "PER 奥尔布赖特"]))
    }

    @Test func traditionalTextIsTaggedLikeSimplifiedWithOriginalOffsets() {
        let simplified = "国务院总理李鹏今天在北京会见了美国国务卿奥尔布赖特。"
        let traditional = "國務院總理李鵬今天在北京會見了美國國務卿奧爾布賴特。"
        let s = recognizer.tagNames(simplified), t = recognizer.tagNames(traditional)
        #expect(s.map(\.start) == t.map(\.start) && s.map(\.end) == t.map(\.end) && s.map(\.type) == t.map(\.type))
        #expect(found(traditional).isSuperset(of: ["PER 李鵬", "LOC 美國", "ORG 國務院"]))
    }

    @Test func mixedScriptWidthAndLatin() {
        // Simplified and Traditional in one sentence, full-width digits and Latin letters: offsets
        // stay those of the original scalars.
        let text = "１９９８年１月，中國人民银行行长戴相龙在ＩＭＦ会议上说。"
        let f = found(text)
        #expect(f.contains("ORG 中國人民银行"))
        #expect(f.contains("PER 戴相龙"))
    }

    @Test func recognizerKeepsNormalizedKeysAcrossScripts() {
        let fields = [EntityField(field: .block, index: 0, text: "江泽民主席在北京会见客人。"),
                      EntityField(field: .block, index: 1, text: "江澤民主席說，北京歡迎你們。")]
        let entities = recognizer.recognize(fields: fields, pageDate: "1998-01-20")
        let person = entities.first { $0.type == .person && $0.normalized == "江泽民" }
        #expect(person?.mentions.count == 2)
        let place = entities.first { $0.type == .place && $0.normalized == "北京" }
        #expect(place?.mentions.count == 2)
    }

    @Test func emptyAndTinyInput() {
        #expect(recognizer.tagNames("").isEmpty)
        _ = recognizer.tagNames("李")
        _ = recognizer.tagNames("，")
        #expect(recognizer.recognize(fields: [EntityField(field: .block, index: 0, text: "")], pageDate: nil).isEmpty)
        #expect(recognizer.recognize(fields: [], pageDate: nil).isEmpty)
    }

    @Test func garbageInputDoesNotTrap() {
        var rng = SplitMix(seed: 12)
        for _ in 0..<50 {
            let count = Int.random(in: 0..<400, using: &rng)
            var scalars = String.UnicodeScalarView()
            for _ in 0..<count {
                let v = UInt32.random(in: 0...0x10FFFF, using: &rng)
                if let s = Unicode.Scalar(v) { scalars.append(s) }
            }
            let text = String(scalars)
            for n in recognizer.tagNames(text) {
                #expect(n.start >= 0 && n.start < n.end && n.end <= text.unicodeScalars.count)
            }
            _ = recognizer.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: "garbage")
        }
        // Edge sentinels and controls inside the text.
        _ = recognizer.tagNames("\u{0}\u{1}\u{FFFF}\u{10FFFF}李鹏\u{FEFF}")
    }

    @Test func hugeInput() {
        // A 200 k-character paragraph with no punctuation breaks: linear time, no overflow (kept
        // this size so that the debug build runs it in seconds).
        let unit = "国务院总理李鹏今天在北京会见了美国国务卿奥尔布赖特"
        let text = String(repeating: unit, count: 8_000)
        let found = recognizer.tagNames(text)
        #expect(found.count >= 8_000)
        #expect(found.allSatisfy { $0.end <= text.unicodeScalars.count })
    }

    @Test func damagedModelFileIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("folio-tagger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let real = try Data(contentsOf: EntityRecognizer.dataDirectory!.appendingPathComponent("tagger.bin"))
        for damaged in [Data(), real.prefix(10), real.prefix(real.count / 2), Data("FTAG".utf8) + Data(repeating: 0xFF, count: 64)] {
            try damaged.write(to: dir.appendingPathComponent("tagger.bin"))
            let r = EntityRecognizer(dataDirectory: dir, names: .tagger)
            #expect(!r.usesTagger)
            _ = r.recognize(fields: [EntityField(field: .block, index: 0, text: "李鹏在北京")], pageDate: nil)
        }
    }
}

/// A seeded generator: the same garbage on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
