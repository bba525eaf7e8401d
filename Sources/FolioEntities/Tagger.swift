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
/// (u8 type, u8 length, u32[length]). A weight is i16 × scale. Absent features weigh nothing.
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
    var unigram: [Row] = []
    var bigramIndex = FlatMap(capacity: 16)
    var bigram: [Row] = []
    var skipIndex = FlatMap(capacity: 16)
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
    var skip16: [Packed] = []
    var classRows16: [Packed] = []
    var bias16 = Packed()
    var emissionScale: Float = 1
    static let packedLimit: Float = 1365

    var names = ScalarTrie()
    var hasNames = false
    /// Per BMP code: some listed name starts with it (one load before the trie's hash probe).
    var nameStart: [Bool] = []
    /// First of the 5 unigram rows of a character absent from the table (−1: none).
    var unknownRow: Int32 = -1
    var bytes = 0

    static func pairKey(_ a: UInt32, _ b: UInt32) -> UInt64 { UInt64(a) << 32 | UInt64(b) }

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
              let version = reader.u32(), version == 1 || version == 2,
              let labels = reader.u32(), labels == UInt32(Self.labelCount),
              let scaleBits = reader.u32() else { return nil }
        let scale = Float(bitPattern: scaleBits)
        guard scale.isFinite, scale > 0 else { return nil }
        let L = Self.labelCount
        func row(_ count: Int) -> [Row]? {
            var rows: [Row] = []
            rows.reserveCapacity(count)
            for _ in 0..<count {
                var r = Row(repeating: 0)
                for k in 0..<L {
                    guard let w = reader.i16() else { return nil }
                    r[k] = Float(w) * scale
                }
                rows.append(r)
            }
            return rows
        }
        guard let t = row(L), let b = row(1) else { return nil }
        transitions = t
        bias = b[0]
        // Characters.
        charRow = [Int32](repeating: -1, count: 0x10002)
        guard let nU = reader.count(rowBytes: 4 + 10 * L) else { return nil }
        unigram.reserveCapacity(5 * nU)
        for _ in 0..<nU {
            guard let c = reader.u32(), let rows = row(5) else { return nil }
            if let slot = Self.charSlot(c) { charRow[slot] = Int32(unigram.count) }
            unigram.append(contentsOf: rows)
        }
        guard let nB = reader.count(rowBytes: 8 + 8 * L) else { return nil }
        bigramIndex = FlatMap(capacity: nB)
        bigram.reserveCapacity(4 * nB)
        for _ in 0..<nB {
            guard let a = reader.u32(), let c = reader.u32(), let rows = row(4) else { return nil }
            bigramIndex.set(Self.pairKey(a, c), UInt32(bigram.count))
            bigram.append(contentsOf: rows)
        }
        guard let nK = reader.count(rowBytes: 8 + 2 * L) else { return nil }
        skipIndex = FlatMap(capacity: nK)
        skip.reserveCapacity(nK)
        for _ in 0..<nK {
            guard let a = reader.u32(), let c = reader.u32(), let rows = row(1) else { return nil }
            skipIndex.set(Self.pairKey(a, c), UInt32(skip.count))
            skip.append(rows[0])
        }
        classRows = [Row](repeating: Row(), count: 512)
        guard let nC = reader.count(rowBytes: 4 + 2 * L) else { return nil }
        for _ in 0..<nC {
            guard let key = reader.u32(), let rows = row(1) else { return nil }
            if key < 512 { classRows[Int(key)] = rows[0] }
        }
        nameRows = [Row](repeating: Row(), count: 64 * Self.types)
        guard let nG = reader.count(rowBytes: 4 + 2 * L) else { return nil }
        for _ in 0..<nG {
            guard let key = reader.u32(), let rows = row(1) else { return nil }
            if key < 64 * UInt32(Self.types) { nameRows[Int(key)] = rows[0] }
        }
        guard let nN = reader.count(rowBytes: 2) else { return nil }
        for _ in 0..<nN {
            guard let type = reader.u8(), let length = reader.u8(), type < Self.types else { return nil }
            var w: [UInt32] = []
            w.reserveCapacity(Int(length))
            for _ in 0..<length {
                guard let v = reader.u32() else { return nil }
                w.append(v)
            }
            guard w.count >= 2 else { continue }
            names.insert(w, payload: 1 << UInt32(type))
            if nameStart.isEmpty { nameStart = [Bool](repeating: false, count: 0x10000) }
            if w[0] < 0x10000 { nameStart[Int(w[0])] = true }
            hasNames = true
        }
        if version >= 2 {
            // Share features: per offset −1…1 and kind (PER, LOC, ORG, surname), a row per bucket of
            // the character's share; folded into the characters' unigram rows here, so that they
            // cost nothing per character when tagging.
            var shares = [Row](repeating: Row(), count: 3 * 64)
            guard let nP = reader.count(rowBytes: 4 + 2 * L) else { return nil }
            for _ in 0..<nP {
                guard let key = reader.u32(), let rows = row(1) else { return nil }
                if key < 3 * 64 { shares[Int(key)] = rows[0] }
            }
            func add(_ first: Int, _ buckets: [Int]) {
                for o in 0..<3 {
                    for (k, b) in buckets.enumerated() where b < 8 { unigram[first + o + 1] += shares[o * 64 + k * 8 + b] }
                }
            }
            guard let nS = reader.count(rowBytes: 8) else { return nil }
            var counted = [Bool](repeating: false, count: 0x10000)
            for _ in 0..<nS {
                guard let c = reader.u32(), let b0 = reader.u8(), let b1 = reader.u8(), let b2 = reader.u8(), let b3 = reader.u8() else { return nil }
                guard let slot = Self.charSlot(c), slot < 0x10000 else { continue }
                if charRow[slot] < 0 {
                    charRow[slot] = Int32(unigram.count)
                    unigram.append(contentsOf: [Row](repeating: Row(), count: 5))
                }
                add(Int(charRow[slot]), [Int(b0), Int(b1), Int(b2), Int(b3)])
                counted[slot] = true
            }
            // Characters with weights but no shares were never seen in training text at all.
            for v in 0..<0x10000 where charRow[v] >= 0 && !counted[v] { add(Int(charRow[v]), [0, 0, 0, 0]) }
            // Every other character: never seen in training (bucket 0 of every kind).
            unknownRow = Int32(unigram.count)
            unigram.append(contentsOf: [Row](repeating: Row(), count: 5))
            add(Int(unknownRow), [0, 0, 0, 0])
            for v in 0..<0x10000 where charRow[v] < 0 { charRow[v] = unknownRow }
        }
        pack()
        bytes = data.count
    }

    private mutating func pack() {
        var biggest: Float = 0
        for rows in [unigram, bigram, skip, classRows, [bias]] {
            for r in rows { biggest = max(biggest, max(r.max(), -r.min())) }
        }
        emissionScale = biggest > 0 ? biggest / Self.packedLimit : 1
        let k = 1 / emissionScale
        func q(_ r: Row) -> Packed {
            var out = Packed()
            for i in 0..<16 { out[i] = Int16(max(-Self.packedLimit, min(Self.packedLimit, (r[i] * k).rounded()))) }
            return out
        }
        unigram16 = unigram.map(q)
        bigram16 = bigram.map(q)
        skip16 = skip.map(q)
        classRows16 = classRows.map(q)
        bias16 = q(bias)
        // Only the packed rows are read when tagging.
        unigram = []; bigram = []; skip = []; classRows = []
    }

    /// Bounds-checked little-endian reads.
    struct Reader {
        let data: Data
        var offset: Int

        init(data: Data) { self.data = data; offset = data.startIndex }

        mutating func u8() -> UInt8? {
            guard offset < data.endIndex else { return nil }
            defer { offset += 1 }
            return data[offset]
        }

        mutating func u32() -> UInt32? {
            guard data.endIndex - offset >= 4 else { return nil }
            var v: UInt32 = 0
            for k in 0..<4 { v |= UInt32(data[offset + k]) << (8 * UInt32(k)) }
            offset += 4
            return v
        }

        mutating func i16() -> Int16? {
            guard data.endIndex - offset >= 2 else { return nil }
            let v = UInt16(data[offset]) | UInt16(data[offset + 1]) << 8
            offset += 2
            return Int16(bitPattern: v)
        }

        /// A row count, refused when even that many minimal rows cannot fit in the bytes left.
        mutating func count(rowBytes: Int) -> Int? {
            guard let n = u32() else { return nil }
            let (need, overflow) = Int(n).multipliedReportingOverflow(by: rowBytes)
            guard !overflow, need <= data.endIndex - offset else { return nil }
            return Int(n)
        }
    }
}

/// Per-text working memory of the tagger, grown as needed and reused across fields.
struct TaggerScratch {
    var codes: [UInt32] = []          // padded: 2 × bos, text, 2 × eos
    var charRows: [Int32] = []        // per padded position
    var bigramRows: [Int32] = []      // per padded position q: the pair (q, q+1)
    var emissions: [TaggerModel.Row] = []
    var back: [SIMD16<Int32>] = []
    var labels: [UInt8] = []

    mutating func reserve(_ n: Int) {
        let padded = n + 4
        if codes.count < padded {
            // Every slot is written before it is read: no need to fill.
            let size = max(padded, 2 * codes.count, 256)
            func fresh<T>(_: T.Type) -> [T] { [T](unsafeUninitializedCapacity: size) { _, count in count = size } }
            codes = fresh(UInt32.self)
            charRows = fresh(Int32.self)
            bigramRows = fresh(Int32.self)
            emissions = fresh(TaggerModel.Row.self)
            back = fresh(SIMD16<Int32>.self)
            labels = fresh(UInt8.self)
        }
    }
}

/// Viterbi decoding of the tagger over one text of folded scalars.
struct Tagger: Sendable {
    let model: TaggerModel
    /// Transition scores with invalid BIOES moves forbidden (−∞), per from-label.
    let allowed: [TaggerModel.Row]
    let startAllowed: TaggerModel.Row
    let endAllowed: TaggerModel.Row

    static let forbidden: Float = -1e30
    /// Labels after which a name may open: O, E-x, S-x.
    static let closedLabels = [0, 3, 4, 7, 8, 11, 12]
    /// Per type: B→I, I→I, B→E, I→E transition scores.
    let transitionsInside: [Float]

    init(model: TaggerModel) {
        self.model = model
        let L = TaggerModel.labelCount
        // Label k ≥ 1: type (k−1)/4, position B I E S = (k−1)%4.
        func kind(_ k: Int) -> (type: Int, pos: Int)? { k == 0 ? nil : ((k - 1) / 4, (k - 1) % 4) }
        func opens(_ k: Int) -> Bool { kind(k).map { $0.pos == 0 || $0.pos == 3 } ?? true }     // O, B, S
        func closes(_ k: Int) -> Bool { kind(k).map { $0.pos == 2 || $0.pos == 3 } ?? true }    // O, E, S
        var allowed: [TaggerModel.Row] = []
        for a in 0..<L {
            var r = TaggerModel.Row(repeating: Self.forbidden)
            for b in 0..<L {
                let ok: Bool
                if let ka = kind(a), ka.pos == 0 || ka.pos == 1 {
                    // Inside a name: only I or E of the same type follow.
                    ok = kind(b).map { $0.type == ka.type && ($0.pos == 1 || $0.pos == 2) } ?? false
                } else {
                    ok = opens(b)
                }
                if ok { r[b] = model.transitions[a][b] }
            }
            allowed.append(r)
        }
        var start = TaggerModel.Row(repeating: Self.forbidden), end = TaggerModel.Row(repeating: Self.forbidden)
        for k in 0..<L {
            if opens(k) { start[k] = 0 }
            if closes(k) { end[k] = 0 }
        }
        self.allowed = allowed
        var inside: [Float] = []
        for t in 0..<TaggerModel.types {
            let b = 1 + 4 * t, k = 2 + 4 * t, e = 3 + 4 * t
            inside += [model.transitions[b][k], model.transitions[k][k], model.transitions[b][e], model.transitions[k][e]]
        }
        transitionsInside = inside
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
        guard n > 0 else { return }
        scratch.reserve(n)
        let L = TaggerModel.labelCount
        let m = model
        scratch.codes.withUnsafeMutableBufferPointer { codes in
        scratch.charRows.withUnsafeMutableBufferPointer { charRows in
        scratch.bigramRows.withUnsafeMutableBufferPointer { bigramRows in
        scratch.emissions.withUnsafeMutableBufferPointer { em in
        scratch.back.withUnsafeMutableBufferPointer { back in
        scratch.labels.withUnsafeMutableBufferPointer { labels in
        m.charRow.withUnsafeBufferPointer { charRow in
        m.unigram16.withUnsafeBufferPointer { unigram in
        m.bigram16.withUnsafeBufferPointer { bigram in
        m.skip16.withUnsafeBufferPointer { skip in
        m.classRows16.withUnsafeBufferPointer { classRows in
        m.nameRows.withUnsafeBufferPointer { nameRows in
        allowed.withUnsafeBufferPointer { allowed in
            // Codes and per-position table rows (padded positions: text position i is i + 2).
            codes[0] = TaggerModel.bos; codes[1] = TaggerModel.bos
            for i in 0..<n { codes[i + 2] = Self.code(s[i]) }
            codes[n + 2] = TaggerModel.eos; codes[n + 3] = TaggerModel.eos
            for q in 0..<(n + 4) {
                charRows[q] = TaggerModel.charSlot(codes[q]).map { charRow[$0] } ?? m.unknownRow
            }
            for q in 0..<(n + 3) {
                bigramRows[q] = m.bigramIndex.get(TaggerModel.pairKey(codes[q], codes[q + 1])).map { Int32(bitPattern: $0) } ?? -1
            }
            // Emissions: packed rows summed with wrapping int16 adds (bounded by construction).
            let scale = TaggerModel.Row(repeating: m.emissionScale)
            for i in 0..<n {
                let p = i + 2
                var e = m.bias16
                for o in 0..<5 {
                    let r = charRows[p - 2 + o]
                    if r >= 0 { e &+= unigram[Int(r) + o] }
                }
                for o in 0..<4 {
                    let r = bigramRows[p - 2 + o]
                    if r >= 0 { e &+= bigram[Int(r) + o] }
                }
                if let r = m.skipIndex.get(TaggerModel.pairKey(codes[p - 1], codes[p + 1])) { e &+= skip[Int(r)] }
                e &+= classRows[Self.charClass(codes[p - 1]) * 64 + Self.charClass(codes[p]) * 8 + Self.charClass(codes[p + 1])]
                var f = TaggerModel.Row()
                for k in 0..<16 { f[k] = Float(e[k]) }
                em[i] = f * scale
            }
            // Name-list features: at each start, the longest listed name of each type.
            if m.hasNames {
                for i in 0..<n {
                    let c = codes[i + 2]
                    guard c < 0x10000 && m.nameStart[Int(c)] else { continue }
                    var longest = SIMD4<Int32>(repeating: 0)
                    // Names are matched on tagger codes (digits and letters folded), like training.
                    let view = UnsafeBufferPointer(rebasing: codes[2..<(n + 2)])
                    m.names.forEachLongMatch(view, from: i) { end, flags in
                        for t in 0..<TaggerModel.types where flags & (1 << UInt32(t)) != 0 { longest[t] = Int32(end - i) }
                    }
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
            // Viterbi.
            var score = em[0] + startAllowed
            // BIOES: O, E-x and S-x lead to O, B-y or S-y (vector steps); B-x and I-x lead only
            // to I-x or E-x (scalar steps), which nothing else reaches.
            let inside = transitionsInside
            let closed = Self.closedLabels
            for i in 1..<max(n, 1) {
                var best = TaggerModel.Row(repeating: -Float.infinity)
                var from = SIMD16<Int32>(repeating: 0)
                for a in closed {
                    let cand = allowed[a] + TaggerModel.Row(repeating: score[a])
                    let better = cand .> best
                    best.replace(with: cand, where: better)
                    from.replace(with: SIMD16<Int32>(repeating: Int32(a)), where: better)
                }
                for t in 0..<TaggerModel.types {
                    let b = 1 + 4 * t, k = 2 + 4 * t, e = 3 + 4 * t
                    let sb = score[b], sk = score[k]
                    let bi = sb + inside[4 * t], ii = sk + inside[4 * t + 1]
                    let be = sb + inside[4 * t + 2], ie = sk + inside[4 * t + 3]
                    if bi >= ii { best[k] = bi; from[k] = Int32(b) } else { best[k] = ii; from[k] = Int32(k) }
                    if be >= ie { best[e] = be; from[e] = Int32(b) } else { best[e] = ie; from[e] = Int32(k) }
                }
                back[i] = from
                score = best + em[i]
            }
            score += endAllowed
            var label = 0
            var top = score[0]
            for k in 1..<L where score[k] > top { top = score[k]; label = k }
            var i = n - 1
            while true {
                labels[i] = UInt8(label)
                if i == 0 { break }
                label = Int(back[i][label])
                i -= 1
            }
            _ = unigram; _ = skip
        }}}}}}}}}}}}}
        // Spans.
        var start = -1
        for i in 0..<n {
            let k = Int(scratch.labels[i])
            if k == 0 { start = -1; continue }
            let type = (k - 1) / 4, pos = (k - 1) % 4
            switch pos {
            case 0: start = i
            case 3: out.append(Candidate(type: Self.entityType(type), start: i, end: i + 1, rank: Rank.context)); start = -1
            case 2:
                if start >= 0 { out.append(Candidate(type: Self.entityType(type), start: start, end: i + 1, rank: Rank.context)) }
                start = -1
            default: break
            }
        }
    }

    static func entityType(_ t: Int) -> Folio_V1_EntityType {
        t == 0 ? .person : t == 1 ? .place : .organization
    }
}
