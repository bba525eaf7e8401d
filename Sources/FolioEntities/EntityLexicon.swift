import Foundation
import FolioText

/// Bits of EntityLexicon.charFlags.
enum CharFlag {
    static let nameStart: UInt8 = 1    // some gazetteer name starts with it
    static let surname: UInt8 = 2      // it can open a Chinese name
    static let foreign: UInt8 = 4      // it can open a transliterated name
    static let compoundSurname: UInt8 = 8   // it opens a two-character surname (欧阳, 司马)
    static let placeOrOrgStart: UInt8 = 16  // some gazetteer name other than a person's starts with it
}

/// Payload bits stored in the lexicon tries.
enum LexiconFlag {
    static let person: UInt32 = 1
    static let place: UInt32 = 2
    static let organization: UInt32 = 4
    /// Organization suffix that names an organization on its own strength (有限公司, 委员会 …).
    static let strongSuffix: UInt32 = 8
    /// Place suffix kinds.
    static let adminUnit: UInt32 = 16      // 省 市 县 区 …
    static let street: UInt32 = 32         // 路 街 大道 …
    static let facility: UInt32 = 64       // 港 站 机场 …
    static let zone: UInt32 = 128          // 开发区 工业园 …
    static let landform: UInt32 = 256      // 山 河 湖 岛 …
    /// A word that contains a name but is none (发展中国家, 蒙古族): blocks matches inside it.
    static let blocked: UInt32 = 512
}

/// The learnt data (Sources/FolioEntities/Data, built by scripts/learn-entities.py) turned
/// into tries and dense per-character tables over folded scalars.
/// A value type on purpose: stored properties of a class would pay dynamic exclusivity checks
/// on every access in the hot loops.
struct EntityLexicon: Sendable {
    var names = ScalarTrie()            // gazetteer, forward: PER / LOC / ORG flags
    /// The gazetteer's NONE words (发展中国家, 蒙古族): words that hold a name but name nothing.
    var blockedWords: [[UInt32]] = []
    /// Bit set over the BMP of the scalars of `blockedWords`: a name whose first scalar is in none
    /// of them lies inside none (`inBlockedWordChars`), and most are let through on one load.
    var blockedChars = [UInt64](repeating: 0, count: 0x10000 / 64)
    var orgSuffixes = ScalarTrie()      // reversed
    var placeSuffixes = ScalarTrie()    // reversed
    var personLeft = ScalarTrie()       // reversed context words before a name
    var personRight = ScalarTrie()      // context words after a name
    var commonNouns = ScalarTrie()      // forward, exact words that look like names but are not
    var surnames2 = ScalarTrie()        // compound surnames, forward
    var notNames = ScalarTrie()
    var placesReversed = ScalarTrie()   // place names, reversed: "which known place ends here?"         // frequent strings that open like a name but are not

    /// Per BMP character: how often it begins a person name, sits in a given name, in a place,
    /// in an organization (each a share of all its occurrences), and whether it never does.
    var surname: [Float]
    var given: [Float]
    var inPlace: [Float]
    var inOrg: [Float]
    var stopper: [Bool]
    /// Only the hand-written function words: organization names hold ordinary words (资源, 群众).
    var functionWord: [Bool]
    /// Share of a character's occurrences that sit just before a place or organization (在, 由, 据).
    var before: [Float]
    /// Share of a character's occurrences inside transliterated foreign names (people and places).
    var foreign: [Float]
    /// (suffix character, next character) pairs that make an ordinary word: 社会, 部长, 市场.
    var breakers = FlatMap(capacity: 2048)
    /// One bit per hashed breaker pair (`breakerBits` bits, a few KB that stay in the first-level
    /// cache): most pairs after a suffix are no breaker, and the bit answers without a probe of
    /// `breakers`.
    var breakerFilter = [UInt64](repeating: 0, count: (1 << Self.breakerBits) / 64)
    static let breakerBits = 15
    /// Last characters of any suffix: a cheap filter before walking the suffix tries.
    var suffixEnd: [Bool]
    /// Per BMP character, which scanners may start there (CharFlag bits): one load per character
    /// on the hot path decides whether any trie walk is needed.
    var charFlags: [UInt8]
    /// Bitmap of hashed first-two-character pairs of every gazetteer name: most positions fail
    /// this one cache-friendly test and skip the trie walk.
    var bigrams: [UInt64]
    /// The same for the gazetteer's places, organizations and blocked words only: a scan that
    /// takes no person (the combined recognizer's) skips the positions only people start at.
    var placeOrOrgBigrams: [UInt64]
    /// FolioText's per-character fold (BMP), copied so that the hot loop can inline the lookup.
    var foldTable: [UInt16]
    /// FolioText's phrase forms of the same length, folded: applied to Traditional text.
    var phraseFold: PhraseFold
    static let bigramBits = 1 << 17

    @inline(__always)
    static func bigramSlot(_ a: UInt32, _ b: UInt32) -> Int {
        Int(truncatingIfNeeded: ((UInt64(a) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(b) &* 0xC2B2_AE3D_27D4_EB4F)) >> 47)
    }

    @inline(__always)
    func mayStartName(_ a: UInt32, _ b: UInt32) -> Bool { Self.mayStart(a, b, in: bigrams) }

    /// Whether the pair's bit is set in `bits` (`bigrams` or `placeOrOrgBigrams`).
    @inline(__always)
    static func mayStart(_ a: UInt32, _ b: UInt32, in bits: [UInt64]) -> Bool {
        let slot = bigramSlot(a, b)
        return bits[slot >> 6] & (1 << UInt64(slot & 63)) != 0
    }

    private mutating func addBigram(_ w: [UInt32], person: Bool = false) {
        guard w.count >= 2 else { return }
        let slot = Self.bigramSlot(w[0], w[1])
        bigrams[slot >> 6] |= 1 << UInt64(slot & 63)
        guard !person else { return }
        placeOrOrgBigrams[slot >> 6] |= 1 << UInt64(slot & 63)
        // Kept by computeCharFlags, which sets the other bits.
        if w[0] < 0x10000 { charFlags[Int(w[0])] |= CharFlag.placeOrOrgStart }
    }

    static func fold(_ s: Substring) -> [UInt32] {
        s.unicodeScalars.map { CharacterFold.shared.fold(value: $0.value) }
    }

    /// Function words that never sit inside a name (general knowledge, not learnt).
    static let handStoppers = "的在和与及是了对为把被由从向将到于也都就还又并而但或等这那其该此我你他她它们有没不要会能可以所之着过给让使每各本据"

    init(directory: URL?) {
        let n = 0x10000
        surname = [Float](repeating: 0, count: n)
        given = [Float](repeating: 0, count: n)
        inPlace = [Float](repeating: 0, count: n)
        inOrg = [Float](repeating: 0, count: n)
        stopper = [Bool](repeating: false, count: n)
        before = [Float](repeating: 0, count: n)
        foreign = [Float](repeating: 0, count: n)
        suffixEnd = [Bool](repeating: false, count: n)
        charFlags = [UInt8](repeating: 0, count: n)
        // Presentation forms of punctuation (︰ ﹁ ﹂ ︵ ﹐…) fold as the marks they stand for: the
        // recognizer reads ︰﹁ as ：「, and a name stops there as it does at ：「. Every dot a source
        // prints inside a foreign name (• from Big5, ‧, ・, ･) folds to U+00B7, the one the tagger
        // learnt: 比爾•蓋茲 is found as 比爾·蓋茲 is, and both are one entity.
        foldTable = (0..<UInt32(n)).map {
            CharacterClass.isNameDot(value: $0) ? 0xB7
                : UInt16(truncatingIfNeeded: CharacterFold.shared.fold(value: CharacterClass.horizontalForm(value: $0)))
        }
        phraseFold = PhraseFold(fold: foldTable)
        defer { computeCharFlags() }
        bigrams = [UInt64](repeating: 0, count: Self.bigramBits / 64)
        placeOrOrgBigrams = bigrams
        for s in Self.handStoppers.unicodeScalars { stopper[Int(s.value)] = true }
        functionWord = stopper
        guard let directory else { return }

        // Characters never seen in training are mostly rare ones, and rare characters are
        // mostly name characters: give them a modest given-name share.
        for v in 0x3400...0x9FFF { given[v] = 0.1 }
        for row in Self.rows(directory, "chars.tsv") where row.count >= 8 {
            guard let c = row[0].unicodeScalars.first, c.value < 0x10000,
                  let total = Float(row[1]), let sur = Float(row[2]), let giv = Float(row[3]),
                  let loc = Float(row[4]), let org = Float(row[5]), let bef = Float(row[6]),
                  let fgn = Float(row[7]) else { continue }
            let i = Int(CharacterFold.shared.fold(value: c.value))
            let denominator = total + 1
            surname[i] = sur / denominator
            given[i] = (giv + 0.3) / denominator
            before[i] = total >= 100 ? bef / total : 0
            foreign[i] = (fgn + loc * 0.5) / denominator
            inPlace[i] = loc / denominator
            inOrg[i] = org / denominator
            if total >= 30 && (sur + giv + loc + org) / denominator < 0.02 { stopper[i] = true }
        }
        for row in Self.rows(directory, "surnames.tsv") where row.count >= 1 {
            let w = Self.fold(row[0])
            if w.count == 2 { surnames2.insert(w, payload: 1) }
        }
        for row in Self.rows(directory, "gazetteer.tsv") where row.count >= 2 {
            let flag: UInt32 = row[0] == "PER" ? LexiconFlag.person : row[0] == "LOC" ? LexiconFlag.place
                : row[0] == "ORG" ? LexiconFlag.organization : LexiconFlag.blocked
            let w = Self.fold(row[1])
            names.insert(w, payload: flag)
            if flag == LexiconFlag.blocked && w.count >= 2 {
                blockedWords.append(w)
                for v in w where v < 0x10000 { blockedChars[Int(v >> 6)] |= 1 << UInt64(v & 63) }
            }
            if flag == LexiconFlag.place { placesReversed.insert(w.reversed(), payload: flag) }
            addBigram(w, person: flag == LexiconFlag.person)
        }
        for row in Self.rows(directory, "places.tsv") where row.count >= 1 {
            let w = Self.fold(row[0])
            names.insert(w, payload: LexiconFlag.place)
            placesReversed.insert(w.reversed(), payload: LexiconFlag.place)
            addBigram(w)
        }
        for row in Self.rows(directory, "person-context.tsv") where row.count >= 2 {
            let w = Self.fold(row[1])
            if row[0] == "L" { personLeft.insert(w.reversed(), payload: 1) } else { personRight.insert(w, payload: 1) }
        }
        for row in Self.rows(directory, "not-names.tsv") where row.count >= 1 {
            notNames.insert(Self.fold(row[0]), payload: 1)
        }
        for row in Self.rows(directory, "common-nouns.tsv") where row.count >= 1 {
            commonNouns.insert(Self.fold(row[0]), payload: 1)
        }
        for row in Self.rows(directory, "breakers.tsv") where row.count >= 1 {
            let w = Self.fold(row[0])
            if w.count == 2 {
                breakers.set(UInt64(w[0]) << 32 | UInt64(w[1]), 1)
                let b = Self.breakerBit(w[0], w[1])
                breakerFilter[b >> 6] |= 1 << UInt64(b & 63)
            }
        }
        for row in Self.rows(directory, "suffixes.tsv") where row.count >= 2 {
            let w = Self.fold(row[1])
            guard let last = w.last else { continue }
            suffixEnd[Int(last)] = true
            switch row[0] {
            case "ORG", "ORG*":
                let strong = w.count >= 2 && row[0] == "ORG"
                orgSuffixes.insert(w.reversed(), payload: LexiconFlag.organization | (strong ? LexiconFlag.strongSuffix : 0))
            default:
                placeSuffixes.insert(w.reversed(), payload: Self.placeKind(row[1]))
            }
        }
    }

    private mutating func computeCharFlags() {
        for v in 0..<charFlags.count {
            var f = charFlags[v] & CharFlag.placeOrOrgStart   // set while the gazetteer was read
            if names.child(0, UInt32(v)) != nil { f |= CharFlag.nameStart }
            if surname[v] >= 0.005 || surnames2.child(0, UInt32(v)) != nil { f |= CharFlag.surname }
            if foreign[v] >= 0.1 { f |= CharFlag.foreign }
            if surnames2.child(0, UInt32(v)) != nil { f |= CharFlag.compoundSurname }
            charFlags[v] = f
        }
    }

    /// Whether `v` is a scalar of some blocked word (always true beyond the BMP).
    @inline(__always)
    func inBlockedWordChars(_ v: UInt32) -> Bool {
        v >= 0x10000 || blockedChars[Int(v >> 6)] & (1 << UInt64(v & 63)) != 0
    }

    /// Whether a name ending with `last` and followed by `next` would cut an ordinary word.
    @inline(__always)
    func breaks(_ last: UInt32, _ next: UInt32) -> Bool {
        let b = Self.breakerBit(last, next)
        guard breakerFilter[b >> 6] & (1 << UInt64(b & 63)) != 0 else { return false }
        return breakers.get(UInt64(last) << 32 | UInt64(next)) != nil
    }

    @inline(__always)
    static func breakerBit(_ a: UInt32, _ b: UInt32) -> Int {
        Int(truncatingIfNeeded: ((UInt64(a) << 32 | UInt64(b)) &* 0xD6E8_FEB8_6659_FD93) >> UInt64(64 - breakerBits))
    }

    static func placeKind(_ suffix: Substring) -> UInt32 {
        switch suffix {
        case "省", "市", "县", "区", "镇", "乡", "村", "旗", "盟", "州", "自治区", "自治州", "自治县", "特别行政区":
            return LexiconFlag.adminUnit
        case "路", "街", "大街", "大道", "巷", "胡同", "街道":
            return LexiconFlag.street
        case "港", "站", "北站", "南站", "东站", "西站", "机场", "码头":
            return LexiconFlag.facility
        case "地区":
            return LexiconFlag.zone
        case "山", "河", "江", "湖", "海", "岛", "半岛", "湾", "峡", "海峡", "盆地", "高原", "平原":
            return LexiconFlag.landform
        default:
            return LexiconFlag.zone
        }
    }

    /// Tab-separated rows of a data file, comment lines (#) skipped.
    static func rows(_ directory: URL, _ name: String) -> [[Substring]] {
        DataTable.rows(directory, name)
    }
}
