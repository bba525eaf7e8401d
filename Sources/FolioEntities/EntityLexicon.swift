import Foundation

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
}

/// The learnt data (Sources/FolioEntities/Data, built by scripts/learn-entities.py) turned
/// into tries and dense per-character tables over folded scalars.
struct EntityLexicon: Sendable {
    var names = ScalarTrie()            // gazetteer, forward: PER / LOC / ORG flags
    var orgSuffixes = ScalarTrie()      // reversed
    var placeSuffixes = ScalarTrie()    // reversed
    var personLeft = ScalarTrie()       // reversed context words before a name
    var personRight = ScalarTrie()      // context words after a name
    var commonNouns = ScalarTrie()      // forward, exact words that look like names but are not
    var surnames2 = ScalarTrie()        // compound surnames, forward

    /// Per BMP character: how often it begins a person name, sits in a given name, in a place,
    /// in an organization (each a share of all its occurrences), and whether it never does.
    var surname: [Float]
    var given: [Float]
    var inPlace: [Float]
    var inOrg: [Float]
    var stopper: [Bool]
    /// Last characters of any suffix: a cheap filter before walking the suffix tries.
    var suffixEnd: [Bool]

    static func fold(_ s: Substring) -> [UInt32] {
        s.unicodeScalars.map { ScalarFold.shared.fold($0.value) }
    }

    /// Function words that never sit inside a name (general knowledge, not learnt).
    static let handStoppers = "的在和与及是了对为把被由从向将到于也都就还又并而但或等这那其该此我你他她它们有没不要会能可以所之着过给让使每各全本该该据经"

    init(directory: URL?) {
        let n = 0x10000
        surname = [Float](repeating: 0, count: n)
        given = [Float](repeating: 0, count: n)
        inPlace = [Float](repeating: 0, count: n)
        inOrg = [Float](repeating: 0, count: n)
        stopper = [Bool](repeating: false, count: n)
        suffixEnd = [Bool](repeating: false, count: n)
        for s in Self.handStoppers.unicodeScalars { stopper[Int(s.value)] = true }
        guard let directory else { return }

        for row in Self.rows(directory, "chars.tsv") where row.count >= 6 {
            guard let c = row[0].unicodeScalars.first, c.value < 0x10000,
                  let total = Float(row[1]), let sur = Float(row[2]), let giv = Float(row[3]),
                  let loc = Float(row[4]), let org = Float(row[5]) else { continue }
            let i = Int(ScalarFold.shared.fold(c.value))
            let denominator = total + 1
            surname[i] = sur / denominator
            given[i] = giv / denominator
            inPlace[i] = loc / denominator
            inOrg[i] = org / denominator
            if total >= 30 && (sur + giv + loc + org) / denominator < 0.02 { stopper[i] = true }
        }
        for row in Self.rows(directory, "surnames.tsv") where row.count >= 1 {
            let w = Self.fold(row[0])
            if w.count == 2 { surnames2.insert(w, payload: 1) }
        }
        for row in Self.rows(directory, "gazetteer.tsv") where row.count >= 2 {
            let flag: UInt32 = row[0] == "PER" ? LexiconFlag.person : row[0] == "LOC" ? LexiconFlag.place : LexiconFlag.organization
            names.insert(Self.fold(row[1]), payload: flag)
        }
        for row in Self.rows(directory, "places.tsv") where row.count >= 1 {
            names.insert(Self.fold(row[0]), payload: LexiconFlag.place)
        }
        for row in Self.rows(directory, "person-context.tsv") where row.count >= 2 {
            let w = Self.fold(row[1])
            if row[0] == "L" { personLeft.insert(w.reversed(), payload: 1) } else { personRight.insert(w, payload: 1) }
        }
        for row in Self.rows(directory, "common-nouns.tsv") where row.count >= 1 {
            commonNouns.insert(Self.fold(row[0]), payload: 1)
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

    static func placeKind(_ suffix: Substring) -> UInt32 {
        switch suffix {
        case "省", "市", "县", "区", "镇", "乡", "村", "旗", "盟", "州", "自治区", "自治州", "自治县", "特别行政区":
            return LexiconFlag.adminUnit
        case "路", "街", "大街", "大道", "巷", "胡同", "街道":
            return LexiconFlag.street
        case "港", "站", "北站", "南站", "东站", "西站", "机场", "码头":
            return LexiconFlag.facility
        case "山", "河", "江", "湖", "海", "岛", "半岛", "湾", "峡", "海峡", "盆地", "高原", "平原":
            return LexiconFlag.landform
        default:
            return LexiconFlag.zone
        }
    }

    /// Tab-separated rows of a data file, comment lines (#) skipped.
    static func rows(_ directory: URL, _ name: String) -> [[Substring]] {
        guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            line.hasPrefix("#") ? nil : line.split(separator: "\t", omittingEmptySubsequences: false)
        }
    }
}
