import CFolioPrefetch
import Foundation
import FolioModel

/// The learnt weights of the character tagger (Data/tagger.bin, written by
/// `scripts/train-tagger.py`): a linear-chain CRF over BIOES labels for PER / LOC / ORG.
///
/// File layout (little-endian): `FTAG` | u32 version | u32 labels L | f32 scale; i16[L×L]
/// transitions (from-major); i16[L] bias; then five keyed tables, each a u32 count and rows
/// sorted by key — characters (u32 key, i16[5L]: the character at offset −2…2), bigrams (u32, u32,
/// i16[4L]: the pair starting at offset −2…1), skip pairs (u32, u32, i16[L]: characters at −1
/// and +1), class triples (u32, i16[L]), name-list features (u32, i16[L]) — and the name list
/// (u8 type, u8 length, u32[length]); from version 2, share rows (u32 key, i16[L]) and per
/// character its share buckets (u32, u8 × 4 kinds; × 5 from version 3, the fifth: inside a
/// transliterated person name; × 6 from version 4, the sixth: a given-name character, and share
/// rows for offsets −2…2 instead of −1…1). A weight is i16 × scale. Absent features weigh nothing.
/// Every count and length is checked against the bytes left: a damaged file loads as no model.
struct TaggerModel: Sendable {
    static let labelCount = 13           // O, then B I E S for PER, LOC, ORG
    static let types = 3
    typealias Row = SIMD16<Float>
    /// Pseudo-characters around a text (outside Unicode, as in training).
    static let bos: UInt32 = 0x11_0000
    static let eos: UInt32 = 0x11_0001

    var transitions: [Row] = []          // per from-label: the scores of every to-label
    var bias = Row()
    /// Folded BMP character (and bos/eos at 0x10000/0x10001) → first of its 5 unigram rows, −1 none.
    var charRow: [Int32] = []
    /// The same for tagging, in half the bytes (a table read at every character): the row's
    /// block of five + 1, 0 when the character has no rows.
    var charBlock: [UInt16] = []
    var unigram: [Row] = []
    /// Pair → its first row << 4 | the offsets (bits 0…3 for −2…1) that have a row: most pairs
    /// weigh at one or two offsets, and only those rows are kept (the table stays in cache).
    /// `nameStartBit` marks the first two characters of a listed name: the probe made for the
    /// bigram rows also tells where the name list may match.
    var bigramIndex = PairIndex(capacity: 16)
    var bigram: [Row] = []
    var skipIndex = PairIndex(capacity: 16)
    var skip: [Row] = []
    /// Class triple a·64 + b·8 + c → row (dense; zero rows when absent).
    var classRows: [Row] = []
    /// type·64 + kind·8 + length bucket → row (dense).
    var nameRows: [Row] = []
    /// The emission rows packed for tagging: int16 on a scale small enough that the sum of a
    /// position's rows cannot overflow (24 rows of the largest weight), half the cache lines of
    /// Float rows. Float is kept for the rare name-list rows and for transitions.
    typealias Packed = SIMD16<Int16>
    var unigram16: [Packed] = []
    var bigram16: [Packed] = []
    /// A row of zeros at the end of `bigram16`, read for offsets where a pair has no row.
    var zeroBigramRow: Int32 = 0
    var skip16: [Packed] = []
    var classRows16: [Packed] = []
    var bias16 = Packed()
    var emissionScale: Float = 1
    static let packedLimit: Float = 1365
    /// Whether the pair rows of the file are used (see where they are read).
    static let usesPairs = false

    /// Tagging works on the labels in lane order: the seven a name may open with (O, then B and S
    /// of PER, LOC, ORG) in lanes 0…6, so that the Viterbi step into them is one 8-lane vector,
    /// and the inside labels (I and E of PER, LOC, ORG) in lanes 8…13. File label k ≥ 1 is type
    /// (k−1)/4, position B I E S = (k−1)%4.
    static let lane: [Int] = (0..<labelCount).map { k -> Int in
        guard k > 0 else { return 0 }
        let t = (k - 1) / 4
        switch (k - 1) % 4 {
        case 0: return 1 + 2 * t        // B
        case 3: return 2 + 2 * t        // S
        case 1: return 8 + 2 * t        // I
        default: return 9 + 2 * t       // E
        }
    }
    /// Lanes no label uses: kept forbidden in the Viterbi.
    static let unusedLanes = [7, 14, 15]

    /// A row in file label order, moved to lane order.
    static func inLanes(_ r: Row) -> Row {
        var out = Row()
        for label in 0..<labelCount { out[lane[label]] = r[label] }
        return out
    }

    var names = NameList()
    var hasNames = false
    static let nameStartBit: Int32 = 1 << 21
    static let bigramFirstMask: Int32 = (1 << 17) - 1
    /// First of the 5 unigram rows of a character absent from the table (−1: none).
    var unknownRow: Int32 = -1
    var bytes = 0

    /// Index into charRow for a folded code (bos/eos included); nil when out of the table.
    @inline(__always)
    static func charSlot(_ v: UInt32) -> Int? {
        if v < 0x10000 { return Int(v) }
        if v == bos { return 0x10000 }
        if v == eos { return 0x10001 }
        return nil
    }

    init?(data: Data) {
        var reader = Reader(data: data)
        guard let magic = reader.u32(), magic == 0x4741_5446,   // "FTAG"
              let version = reader.u32(), (1...5).contains(version),
              let labels = reader.u32(), labels == UInt32(Self.labelCount),
              let scaleBits = reader.u32() else { return nil }
        let scale = Float(bitPattern: scaleBits)
        guard scale.isFinite, scale > 0 else { return nil }
        reader.scale = scale
        let L = Self.labelCount
        guard let t = reader.rows(L), let b = reader.row() else { return nil }
        transitions = t
        bias = b
        // Characters.
        charRow = [Int32](repeating: -1, count: 0x10002)
        guard let nU = reader.count(rowBytes: 4 + 10 * L) else { return nil }
        unigram.reserveCapacity(5 * nU)
        for _ in 0..<nU {
            guard let c = reader.u32(), let rows = reader.rows(5) else { return nil }
            if let slot = Self.charSlot(c) { charRow[slot] = Int32(unigram.count) }
            unigram.append(contentsOf: rows)
        }
        guard let nB = reader.count(rowBytes: 8 + 8 * L) else { return nil }
        bigramIndex = PairIndex(capacity: nB)
        for _ in 0..<nB {
            guard let a = reader.u32(), let c = reader.u32(), let rows = reader.rows(4) else { return nil }
            var offsets: UInt32 = 0
            let first = UInt32(bigram.count)
            for (o, r) in rows.enumerated() where r != Row() {
                offsets |= 1 << UInt32(o)
                bigram.append(r)
            }
            guard offsets != 0 else { continue }
            guard first <= UInt32(Self.bigramFirstMask), bigramIndex.insert(a, c, index: first << 4 | offsets) else { return nil }
        }
        // The pair around the character (−1, +1) is read past, not used: on the dev split (trained
        // on days 1–12, scored on 13–15) leaving it out scored F1 PER .903 LOC .882 ORG .837
        // against .903 / .880 / .834 with it, and it costs a probe per character.
        guard let nK = reader.count(rowBytes: 8 + 2 * L) else { return nil }
        if Self.usesPairs {
            skipIndex = PairIndex(capacity: nK)
            skip.reserveCapacity(nK)
        }
        for _ in 0..<nK {
            guard let a = reader.u32(), let c = reader.u32(), let row = reader.row() else { return nil }
            guard Self.usesPairs else { continue }
            guard skipIndex.insert(a, c, index: UInt32(skip.count)) else { return nil }
            skip.append(row)
        }
        classRows = [Row](repeating: Row(), count: 512)
        guard let nC = reader.count(rowBytes: 4 + 2 * L) else { return nil }
        for _ in 0..<nC {
            guard let key = reader.u32(), let row = reader.row() else { return nil }
            if key < 512 { classRows[Int(key)] = row }
        }
        nameRows = [Row](repeating: Row(), count: 64 * Self.types)
        guard let nG = reader.count(rowBytes: 4 + 2 * L) else { return nil }
        for _ in 0..<nG {
            guard let key = reader.u32(), let row = reader.row() else { return nil }
            if key < 64 * UInt32(Self.types) { nameRows[Int(key)] = row }
        }
        guard let nN = reader.count(rowBytes: 2) else { return nil }
        var starts = Set<UInt64>()
        for _ in 0..<nN {
            guard let type = reader.u8(), let length = reader.u8(), type < Self.types else { return nil }
            var w: [UInt32] = []
            w.reserveCapacity(Int(length))
            for _ in 0..<length {
                guard let v = reader.u32() else { return nil }
                w.append(v)
            }
            guard w.count >= 2 else { continue }
            guard names.insert(w, type: Int(type)) else { return nil }
            if let key = PairIndex.key(w[0], w[1]), starts.insert(key).inserted {
                guard bigramIndex.setBits(w[0], w[1], UInt32(Self.nameStartBit)) else { return nil }
            }
            hasNames = true
        }
        if version >= 2 {
            // Share features: per offset −1…1 and kind (PER, LOC, ORG, surname, and from version 3
            // inside a transliterated person name), a row per bucket of the character's share;
            // folded into the characters' unigram rows here, so that they cost nothing per character.
            // From version 4 also the given-name share (inside a Chinese person name after its
            // first character), and the shares of the characters at −2 and +2 as well.
            let kinds = version == 4 ? 6 : version >= 3 ? 5 : 4
            let offsets = version == 4 ? 5 : 3
            var shares = [Row](repeating: Row(), count: offsets * 64)
            guard let nP = reader.count(rowBytes: 4 + 2 * L) else { return nil }
            for _ in 0..<nP {
                guard let key = reader.u32(), let row = reader.row() else { return nil }
                if Int(key) < offsets * 64 { shares[Int(key)] = row }
            }
            // Offset o of the file's share rows is unigram row o (version 4: −2…2) or o + 1 (−1…1).
            let firstOffset = offsets == 5 ? 0 : 1
            func add(_ first: Int, _ buckets: [Int]) {
                for o in 0..<offsets {
                    for (k, b) in buckets.enumerated() where b < 8 { unigram[first + o + firstOffset] += shares[o * 64 + k * 8 + b] }
                }
            }
            let neverSeen = [Int](repeating: 0, count: kinds)
            guard let nS = reader.count(rowBytes: 4 + kinds) else { return nil }
            var counted = [Bool](repeating: false, count: 0x10000)
            var byShares: [Int] = []       // characters in the file's order of share rows
            byShares.reserveCapacity(nS)
            for _ in 0..<nS {
                guard let c = reader.u32() else { return nil }
                var buckets = neverSeen
                for k in 0..<kinds {
                    guard let b = reader.u8() else { return nil }
                    buckets[k] = Int(b)
                }
                guard let slot = Self.charSlot(c), slot < 0x10000 else { continue }
                if charRow[slot] < 0 {
                    charRow[slot] = Int32(unigram.count)
                    unigram.append(contentsOf: [Row](repeating: Row(), count: 5))
                }
                add(Int(charRow[slot]), buckets)
                if !counted[slot] { byShares.append(slot) }
                counted[slot] = true
            }
            // Characters with weights but no shares were never seen in training text at all.
            for v in 0..<0x10000 where charRow[v] >= 0 && !counted[v] { add(Int(charRow[v]), neverSeen) }
            // Every other character: never seen in training (bucket 0 of every kind).
            unknownRow = Int32(unigram.count)
            unigram.append(contentsOf: [Row](repeating: Row(), count: 5))
            add(Int(unknownRow), neverSeen)
            for v in 0..<0x10000 where charRow[v] < 0 { charRow[v] = unknownRow }
            layOut(first: byShares)
        }
        pack()
        guard unigram16.count / 5 < Int(UInt16.max) else { return nil }
        charBlock = charRow.map { $0 < 0 ? 0 : UInt16($0 / 5 + 1) }
        bytes = data.count
    }

    /// Lays the unigram rows out again: the characters of `first` in that order (version 5 files
    /// list them most frequent first, so the rows read most often share cache lines), then the
    /// others by code, the unknown character's rows last. Only the layout changes.
    private mutating func layOut(first: [Int]) {
        var rows: [Row] = []
        rows.reserveCapacity(unigram.count)
        var moved = [Int32](repeating: -1, count: unigram.count / 5 + 1)
        var placed = charRow
        func place(_ slot: Int) {
            let old = Int(charRow[slot])
            guard old >= 0, old != Int(unknownRow) else { return }
            if moved[old / 5] < 0 {
                moved[old / 5] = Int32(rows.count)
                rows.append(contentsOf: unigram[old..<(old + 5)])
            }
            placed[slot] = moved[old / 5]
        }
        for slot in first { place(slot) }
        for slot in 0..<charRow.count { place(slot) }
        let unknown = Int32(rows.count)
        rows.append(contentsOf: unigram[Int(unknownRow)..<(Int(unknownRow) + 5)])
        for slot in 0..<charRow.count where charRow[slot] == unknownRow { placed[slot] = unknown }
        unknownRow = unknown
        charRow = placed
        unigram = rows
    }

    private mutating func pack() {
        var biggest: Float = 0
        for rows in [unigram, bigram, skip, classRows, [bias]] {
            for r in rows { biggest = max(biggest, max(r.max(), -r.min())) }
        }
        emissionScale = biggest > 0 ? biggest / Self.packedLimit : 1
        let k = 1 / emissionScale
        let lane = Self.lane
        func q(_ r: Row) -> Packed {
            var out = Packed()
            for label in 0..<Self.labelCount {
                out[lane[label]] = Int16(max(-Self.packedLimit, min(Self.packedLimit, (r[label] * k).rounded())))
            }
            return out
        }
        nameRows = nameRows.map(Self.inLanes)
        unigram16 = unigram.map(q)
        bigram16 = bigram.map(q)
        zeroBigramRow = Int32(bigram16.count)
        bigram16.append(Packed())
        skip16 = skip.map(q)
        classRows16 = classRows.map(q)
        bias16 = q(bias)
        // Only the packed rows are read when tagging.
        unigram = []; bigram = []; skip = []; classRows = []
    }

    /// Bounds-checked little-endian reads over a copy of the file's bytes (a value, so that its
    /// reads need no dynamic exclusivity checks: a closure capturing it made loading 3× slower).
    struct Reader {
        let bytes: [UInt8]
        var offset = 0
        /// What an i16 weight is multiplied by (the file's header gives it).
        var scale: Float = 1

        init(data: Data) { bytes = [UInt8](data) }

        mutating func u8() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func u32() -> UInt32? {
            guard bytes.count - offset >= 4 else { return nil }
            defer { offset += 4 }
            return bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
        }

        /// One row of `TaggerModel.labelCount` weights (i16 × scale).
        mutating func row() -> Row? {
            let labels = TaggerModel.labelCount
            guard bytes.count - offset >= 2 * labels else { return nil }
            var r = Row(repeating: 0)
            bytes.withUnsafeBytes { raw in
                for k in 0..<labels {
                    r[k] = Float(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 2 * k, as: Int16.self))) * scale
                }
            }
            offset += 2 * labels
            return r
        }

        mutating func rows(_ count: Int) -> [Row]? {
            var rows: [Row] = []
            rows.reserveCapacity(count)
            for _ in 0..<count {
                guard let r = row() else { return nil }
                rows.append(r)
            }
            return rows
        }

        /// A row count, refused when even that many minimal rows cannot fit in the bytes left.
        mutating func count(rowBytes: Int) -> Int? {
            guard let n = u32() else { return nil }
            let (need, overflow) = Int(n).multipliedReportingOverflow(by: rowBytes)
            guard !overflow, need <= bytes.count - offset else { return nil }
            return Int(n)
        }
    }
}

/// Per-text working memory of the tagger, grown as needed and reused across fields.
struct TaggerScratch {
    var codes: [UInt32] = []          // padded: 2 × bos, text, 2 × eos
    var charRows: [Int32] = []        // per padded position
    var bigramRows: [Int32] = []      // per padded position q: the pair (q, q+1)
    /// Per padded position q and offset o (4q + o): the pair (q, q+1)'s row at offset o, or the
    /// model's zero row, so that the emission sums add without a branch per offset.
    var pairRows: [Int32] = []
    var emissions: [TaggerModel.Row] = []
    var labels: [UInt8] = []
    var classes: [UInt8] = []        // per padded position: the character class

    mutating func reserve(_ n: Int) {
        let padded = n + 4
        if codes.count < padded {
            // Every slot is written before it is read: no need to fill.
            let size = max(padded, 2 * codes.count, 256)
            func fresh<T>(_: T.Type) -> [T] { [T](unsafeUninitializedCapacity: size) { _, count in count = size } }
            codes = fresh(UInt32.self)
            charRows = fresh(Int32.self)
            bigramRows = fresh(Int32.self)
            pairRows = [Int32](unsafeUninitializedCapacity: 4 * size) { _, count in count = 4 * size }
            emissions = fresh(TaggerModel.Row.self)
            labels = fresh(UInt8.self)
            classes = fresh(UInt8.self)
        }
    }
}

/// Viterbi decoding of the tagger over one text of folded scalars. A class: the recognizer
/// reaches it once per field, and copying the struct retained and released its ~25 arrays.
final class Tagger: Sendable {
    /// The model without the tables read when tagging (those are in `tables` only).
    let model: TaggerModel
    /// The model's tables read when tagging, in huge pages.
    let tables: TaggerTables
    typealias Open = SIMD8<Float>
    /// Per closing lane (O, S-x, E-x): the scores of moving into each opening lane (0…6; lane 7
    /// forbidden). BIOES: only these moves reach an opening label.
    let intoOpen: [Open]
    /// The same scores by opening lane: per opening lane, from each closing lane in `closingLanes`
    /// order (eighth lane forbidden), for finding the way back.
    let fromClosing: [Open]
    /// The closing lanes, where a name may open next: O, S-x, E-x.
    static let closingLanes = [0, 2, 4, 6, 9, 11, 13]
    /// Per type: B→I, I→I, B→E, I→E transition scores (nothing else reaches I-x or E-x).
    let transitionsInside: [Float]
    let startAllowed: TaggerModel.Row
    let endAllowed: TaggerModel.Row

    static let forbidden: Float = -1e30

    init(model: TaggerModel) {
        tables = TaggerTables(model)
        self.model = TaggerTables.remainder(of: model)
        let lane = TaggerModel.lane
        let t = model.transitions                       // file label order
        let L = TaggerModel.labelCount
        var label = [Int](repeating: 0, count: 16)
        for k in 0..<L { label[lane[k]] = k }
        var into: [Open] = []
        for a in 0..<16 {
            var r = Open(repeating: Self.forbidden)
            if Self.closingLanes.contains(a) {
                for b in 0..<7 { r[b] = t[label[a]][label[b]] }
            }
            into.append(r)
        }
        intoOpen = into
        fromClosing = (0..<8).map { b in
            var r = Open(repeating: -Float.infinity)
            for (j, a) in Self.closingLanes.enumerated() { r[j] = into[a][b] }
            return r
        }
        var inside: [Float] = []
        for type in 0..<TaggerModel.types {
            let b = 1 + 4 * type, k = 2 + 4 * type, e = 3 + 4 * type
            inside += [t[b][k], t[k][k], t[b][e], t[k][e]]
        }
        transitionsInside = inside
        var start = TaggerModel.Row(repeating: Self.forbidden), end = TaggerModel.Row(repeating: Self.forbidden)
        for l in 0..<7 { start[l] = 0 }
        for l in Self.closingLanes { end[l] = 0 }
        startAllowed = start
        endAllowed = end
    }

    /// The tagger's code for a folded scalar: every digit is 0, every Latin letter a.
    @inline(__always)
    static func code(_ v: UInt32) -> UInt32 {
        if v >= 0x30 && v <= 0x39 { return 0x30 }
        if (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) { return 0x61 }
        return v
    }

    /// Character classes, as in training: Han, digit, Latin, space, punctuation, other, edge.
    @inline(__always)
    static func charClass(_ v: UInt32) -> Int {
        if v == TaggerModel.bos || v == TaggerModel.eos { return 6 }
        if (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0xF900 && v <= 0xFAFF) { return 0 }
        if v == 0x30 { return 1 }
        if v == 0x61 { return 2 }
        if v == 0x20 || v == 0x09 { return 3 }
        if v < 0x80 || (v >= 0x2000 && v <= 0x206F) || (v >= 0x3000 && v <= 0x303F) || (v >= 0xFF00 && v <= 0xFFEF) { return 4 }
        return 5
    }

    /// Tags `s` (folded scalars) and appends one candidate per name found.
    func tag(_ s: UnsafeBufferPointer<UInt32>, scratch: inout TaggerScratch, into out: inout [Candidate]) {
        let n = s.count
        // A text without Han characters (figures, Latin, punctuation) holds no name to tag.
        guard n > 0, s.contains(where: { Self.charClass($0) == 0 }) else { return }
        scratch.reserve(n)
        scratch.codes.withUnsafeMutableBufferPointer { codes in
        scratch.charRows.withUnsafeMutableBufferPointer { charRows in
        scratch.bigramRows.withUnsafeMutableBufferPointer { bigramRows in
        scratch.pairRows.withUnsafeMutableBufferPointer { pairRows in
        scratch.emissions.withUnsafeMutableBufferPointer { em in
        scratch.labels.withUnsafeMutableBufferPointer { labels in
        scratch.classes.withUnsafeMutableBufferPointer { classes in
        model.skip16.withUnsafeBufferPointer { skip in
        intoOpen.withUnsafeBufferPointer { intoOpen in
        model.skipIndex.withSlots { skipSlots in
        model.skipIndex.filter.words.withUnsafeBufferPointer { skipFilter in
            let t = tables
            let charBlock = t.charBlock, unigram = t.unigram, bigram = t.bigram, classRows = t.classRows, nameRows = t.nameRows
            let bigramSlots = t.bigramSlots, bigramFilter = t.bigramFilter
            let nameSlots = t.nameSlots, nameEdges = t.nameFilter, namePayloads = t.namePayloads, nameStarts = t.nameStarts
            // Codes and per-position table rows (padded positions: text position i is i + 2).
            codes[0] = TaggerModel.bos; codes[1] = TaggerModel.bos
            for i in 0..<n { codes[i + 2] = Self.code(s[i]) }
            codes[n + 2] = TaggerModel.eos; codes[n + 3] = TaggerModel.eos
            // The table reads below mostly miss the cache (rows of rare characters and pairs):
            // each is asked for `ahead` positions before it is read, and each row block as soon
            // as its index is known, so that the misses overlap (the emission sums read them last).
            let ahead = 8
            let charBlockBase = charBlock.baseAddress!, unigramBase = unigram.baseAddress!, bigramBase = bigram.baseAddress
            for q in 0..<(n + 4) {
                if q + ahead < n + 4, let slot = TaggerModel.charSlot(codes[q + ahead]) { folio_prefetch(charBlockBase + slot) }
                // Block 0 (no rows) gives −5: negative, like the table's −1.
                let r = TaggerModel.charSlot(codes[q]).map { Int32(charBlock[$0]) * 5 - 5 } ?? model.unknownRow
                charRows[q] = r
                if r >= 0 {
                    // A character's five rows: 160 bytes from a 32-byte boundary, three lines.
                    folio_prefetch(unigramBase + Int(r)); folio_prefetch(unigramBase + Int(r) + 2); folio_prefetch(unigramBase + Int(r) + 4)
                }
                classes[q] = UInt8(truncatingIfNeeded: Self.charClass(codes[q]))
            }
            for q in 0..<(n + 3) {
                if q + ahead < n + 3 { model.bigramIndex.prefetch(codes[q + ahead], codes[q + ahead + 1], in: bigramSlots, filter: bigramFilter) }
                let r = model.bigramIndex.get(codes[q], codes[q + 1], in: bigramSlots, filter: bigramFilter)
                bigramRows[q] = r
                // Offsets without a row (or an absent pair, −1) read the zero row.
                let first: Int32 = (r >> 4) & TaggerModel.bigramFirstMask
                let present: Int32 = r >= 0 ? r & 0xF : 0
                let zero: Int32 = model.zeroBigramRow
                let second: Int32 = first + (present & 1)
                let third: Int32 = first + Int32((present & 3).nonzeroBitCount)
                let fourth: Int32 = first + Int32((present & 7).nonzeroBitCount)
                pairRows[4 * q] = present & 1 != 0 ? first : zero
                pairRows[4 * q + 1] = present & 2 != 0 ? second : zero
                pairRows[4 * q + 2] = present & 4 != 0 ? third : zero
                pairRows[4 * q + 3] = present & 8 != 0 ? fourth : zero
                if r >= 0 && r & TaggerModel.nameStartBit != 0 { model.names.starts.prefetch(codes[q], codes[q + 1], in: nameStarts) }
                if r >= 0 && r & 0xF != 0, let bigramBase {
                    // Up to four rows (the offsets the pair weighs at): one to three lines.
                    let first = Int((r >> 4) & TaggerModel.bigramFirstMask)
                    folio_prefetch(bigramBase + first)
                    if r & 0xC != 0 { folio_prefetch(bigramBase + first + 2) }
                }
            }
            // Emissions: packed rows summed with wrapping int16 adds (bounded by construction).
            let scale = TaggerModel.Row(repeating: model.emissionScale)
            let hasSkip = !skip.isEmpty
            for i in 0..<n {
                let p = i + 2
                var e = model.bias16
                for o in 0..<5 {
                    let r = charRows[p - 2 + o]
                    if r >= 0 { e &+= unigram[Int(r) + o] }
                }
                // The pair at offset o starts at padded position p − 2 + o.
                e &+= bigram[Int(pairRows[4 * (p - 2)])]
                e &+= bigram[Int(pairRows[4 * (p - 1) + 1])]
                e &+= bigram[Int(pairRows[4 * p + 2])]
                e &+= bigram[Int(pairRows[4 * (p + 1) + 3])]
                if hasSkip {
                    // The skip pair `ahead` positions on asked for now, like the bigrams above (its
                    // filter word and slot mostly miss the cache).
                    if i + ahead < n { model.skipIndex.prefetch(codes[p + ahead - 1], codes[p + ahead + 1], in: skipSlots, filter: skipFilter) }
                    let r = model.skipIndex.get(codes[p - 1], codes[p + 1], in: skipSlots, filter: skipFilter)
                    if r >= 0 { e &+= skip[Int(r)] }
                }
                e &+= classRows[Int(classes[p - 1]) * 64 + Int(classes[p]) * 8 + Int(classes[p + 1])]
                // Lane by lane: the generic SIMD conversion is a call per position.
                var f = TaggerModel.Row()
                for k in 0..<16 { f[k] = Float(e[k]) }
                em[i] = f * scale
            }
            // Name-list features: at each start, the longest listed name of each type.
            if model.hasNames {
                let view = UnsafeBufferPointer(rebasing: codes[2..<(n + 2)])
                for i in 0..<(n - 1) {
                    let pair = bigramRows[i + 2]
                    guard pair >= 0 && pair & TaggerModel.nameStartBit != 0 else { continue }
                    // Names are matched on tagger codes (digits and letters folded), like training.
                    let second = model.names.starts.get(view[i], view[i + 1], in: nameStarts)
                    guard second >= 0 else { continue }
                    let longest = model.names.longest(view, from: i, second: UInt32(second), slots: nameSlots, filter: nameEdges, payloads: namePayloads)
                    guard longest != .zero else { continue }
                    for t in 0..<TaggerModel.types where longest[t] >= 2 {
                        let length = Int(longest[t])
                        let bucket = min(length, 6)
                        em[i] += nameRows[t * 64 + bucket]
                        em[i + length - 1] += nameRows[t * 64 + 16 + bucket]
                        if length > 2 {
                            for k in (i + 1)..<(i + length - 1) { em[k] += nameRows[t * 64 + 8] }
                        }
                    }
                }
            }
            // Viterbi in lane order: the opening lanes as one 8-lane step from the closing lanes,
            // the inside lanes as scalar steps (only B-x and I-x of the same type reach them). Only
            // the best scores are kept, over each position's emissions (no longer needed once read):
            // the way back is found again from them, one lane per position, instead of recording
            // every lane's predecessor at every step.
            var score = em[0] + startAllowed
            em[0] = score
            let inside = transitionsInside
            // The closing lanes' rows into the opening lanes, in registers for the whole text: the
            // step below is unrolled over them with fixed lane indices (a loop over a lane table
            // read each lane through memory).
            let from0 = intoOpen[0], from2 = intoOpen[2], from4 = intoOpen[4], from6 = intoOpen[6]
            let from9 = intoOpen[9], from11 = intoOpen[11], from13 = intoOpen[13]
            let bi0 = inside[0], ii0 = inside[1], be0 = inside[2], ie0 = inside[3]
            let bi1 = inside[4], ii1 = inside[5], be1 = inside[6], ie1 = inside[7]
            let bi2 = inside[8], ii2 = inside[9], be2 = inside[10], ie2 = inside[11]
            for i in 1..<max(n, 1) {
                // A tree of maxima, not a chain: the step is the loop's critical path, and the
                // maximum of seven sums is the same value taken in any order.
                let pair02 = Self.larger(from0 + Open(repeating: score[0]), from2 + Open(repeating: score[2]))
                let pair46 = Self.larger(from4 + Open(repeating: score[4]), from6 + Open(repeating: score[6]))
                let pair911 = Self.larger(from9 + Open(repeating: score[9]), from11 + Open(repeating: score[11]))
                let last13 = from13 + Open(repeating: score[13])
                var best = Self.larger(Self.larger(pair02, pair46), Self.larger(pair911, last13))
                best[7] = Self.forbidden
                // Into I-x from B-x or I-x, into E-x from B-x or I-x (lanes 8 + 2t, 9 + 2t).
                let b = Open(score[1], score[1], score[3], score[3], score[5], score[5], 0, 0)
                let k = Open(score[8], score[8], score[10], score[10], score[12], score[12], 0, 0)
                let fromB = b + Open(bi0, be0, bi1, be1, bi2, be2, 0, 0)
                let fromI = k + Open(ii0, ie0, ii1, ie1, ii2, ie2, 0, 0)
                var high = Self.atLeast(fromB, fromI)
                high[6] = Self.forbidden; high[7] = Self.forbidden
                score = TaggerModel.Row(lowHalf: best, highHalf: high) + em[i]
                em[i] = score
            }
            score += endAllowed
            var lane = 0
            var top = score[0]
            for k in 1..<16 where score[k] > top { top = score[k]; lane = k }
            var i = n - 1
            while true {
                labels[i] = UInt8(lane)
                if i == 0 { break }
                lane = predecessor(of: lane, after: em[i - 1], inside: inside)
                i -= 1
            }
        }}}}}}}}}}}
        // Spans, from lanes: 1 + 2t B, 2 + 2t S, 8 + 2t I, 9 + 2t E.
        var start = -1
        for i in 0..<n {
            let k = Int(scratch.labels[i])
            if k == 0 { start = -1; continue }
            let type = k < 8 ? (k - 1) / 2 : (k - 8) / 2
            switch k {
            case 1, 3, 5: start = i
            case 2, 4, 6: Self.append(type, s, i, i + 1, to: &out); start = -1
            case 9, 11, 13:
                if start >= 0 { Self.append(type, s, start, i + 1, to: &out) }
                start = -1
            default: break
            }
        }
    }

    /// Lane by lane, `b` where it is greater than `a`, else `a` (the forward step's choice;
    /// written so that it compiles to one max instruction per half, not masks).
    @inline(__always)
    static func larger(_ a: Open, _ b: Open) -> Open {
        var r = Open()
        for k in 0..<8 { r[k] = b[k] > a[k] ? b[k] : a[k] }
        return r
    }

    /// Lane by lane, `a` where it is at least `b`, else `b` (B-x over I-x on a tie).
    @inline(__always)
    static func atLeast(_ a: Open, _ b: Open) -> Open {
        var r = Open()
        for k in 0..<8 { r[k] = a[k] >= b[k] ? a[k] : b[k] }
        return r
    }

    /// The lane before `lane` on the best path, from the best scores of the position before: the
    /// same choice as the forward step (the first closing lane with the highest score into an
    /// opening lane; B-x over I-x on a tie into an inside lane).
    @inline(__always)
    func predecessor(of lane: Int, after score: TaggerModel.Row, inside: [Float]) -> Int {
        if lane < 8 {
            let closing = Open(score[0], score[2], score[4], score[6], score[9], score[11], score[13], 0)
            let cand = fromClosing[lane] + closing
            // Lane 7 is −∞: the first of the seven with the top score (the generic `max()` is a
            // call), in one pass: a later lane replaces it only when strictly higher.
            var top = cand[0], at = 0
            for j in 1..<7 where cand[j] > top { top = cand[j]; at = j }
            // closingLanes[at] (0, 2, 4, 6, 9, 11, 13) without reading the lazy global per position.
            return at < 4 ? 2 * at : 2 * at + 1
        }
        guard lane < 14 else { return 0 }
        let t = (lane - 8) / 2, b = 1 + 2 * t, k = 8 + 2 * t
        let toEnd = (lane - 8) % 2 == 1
        let fromB = score[b] + inside[4 * t + (toEnd ? 2 : 0)], fromI = score[k] + inside[4 * t + (toEnd ? 3 : 1)]
        return fromB >= fromI ? b : k
    }

    /// Appends a name of type `t` over [start, end) less the spaces at its ends (趙一 in a byline
    /// "趙一 本报记者 崔治" was tagged with the space after it).
    @inline(__always)
    static func append(_ t: Int, _ s: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int, to out: inout [Candidate]) {
        var a = start, b = end
        while a < b && (s[a] == 0x20 || s[a] == 0x09) { a += 1 }
        while b > a && (s[b - 1] == 0x20 || s[b - 1] == 0x09) { b -= 1 }
        guard a < b else { return }
        out.append(Candidate(type: entityType(t), start: a, end: b, rank: Rank.context))
    }

    static func entityType(_ t: Int) -> Folio_V1_EntityType {
        t == 0 ? .person : t == 1 ? .place : .organization
    }
}
