import Foundation

public enum SnapshotError: Error, Equatable, CustomStringConvertible {
    case missing(String)
    case stale
    case corrupt(String)
    case io(String)
    /// The key matches, but what it stands for changed (a page skipped then reads now).
    case outdated(String)
    /// A snapshot of another format version (written by an older or newer foliod).
    case otherFormat(String)

    public var description: String {
        switch self {
        case .missing(let path): return "no snapshot at \(path)"
        case .stale: return "the snapshot was written by another build or with other settings"
        case .corrupt(let why): return "the snapshot is damaged: \(why)"
        case .io(let why): return "snapshot I/O failed: \(why)"
        case .outdated(let why): return "the snapshot is out of date: \(why)"
        case .otherFormat(let found): return "the snapshot was written by another version of foliod (format \(found), this one reads \(String(decoding: SearchIndex.snapshotMagic, as: UTF8.self)))"
        }
    }
}

/// A binary image of the index (segments and deletions) plus an opaque payload the caller may use
/// for its parsed model, keyed by the state of the source files so a stale image is never used.
extension SearchIndex {
    /// 7: foliod's page records hold the ids a page retired (an older foliod's snapshot is not read).
    static let snapshotMagic: [UInt8] = Array("FOLIOIX7".utf8)
    /// The snapshot's format, as the start-up log names it.
    public static var snapshotFormat: String { String(decoding: snapshotMagic, as: UTF8.self) }

    /// Writes atomically (temporary file, then rename).
    public func writeSnapshot(to path: String, key: String, payload: [UInt8] = []) throws(SnapshotError) {
        try writeSnapshot(to: path, key: key) { (out: inout BinaryWriter) throws(SnapshotError) in out.writeRaw(payload) }
    }

    /// Same, with the payload written by `payload` straight into the file: the image is streamed
    /// through a small buffer, never built in memory (it is as large as the index and the model).
    /// The payload's length and the checksum are filled in at the end.
    /// `state`: one taken earlier (with the model it goes with), else the current one.
    package func writeSnapshot(to path: String, key: String, state: IndexState? = nil,
                       payload: (inout BinaryWriter) throws(SnapshotError) -> Void) throws(SnapshotError) {
        let state = state ?? self.state
        let temporary = path + ".tmp-\(getpid())"
        // Not world-readable: the image holds the archive's text.
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw .io("cannot write \(temporary): errno \(errno)") }
        var committed = false
        defer {
            close(descriptor)
            if !committed { unlink(temporary) }
        }
        var writer = BinaryWriter(streamingTo: descriptor)
        writer.write(Self.snapshotMagic)
        let checksumOffset = writer.offset
        writer.write(UInt64(0))
        let bodyStart = writer.offset
        writer.write(key)
        let payloadLengthOffset = writer.offset
        writer.write(UInt64(0))
        try payload(&writer)
        let payloadLength = writer.offset - payloadLengthOffset - 8
        writer.write(UInt64(state.segments.count))
        for (index, segment) in state.segments.enumerated() {
            segment.write(to: &writer)
            writer.write(state.tombstones[index].bits)
            let deleted = state.tombstones[index].frequencies.sorted
            writer.write(deleted.termIDs)
            writer.write(deleted.counts)
        }
        guard writer.flush(), Self.patch(UInt64(payloadLength), at: payloadLengthOffset, in: descriptor) else {
            throw .io("cannot write \(temporary): errno \(errno)")
        }
        let sum = Self.checksum(of: try MappedFile(temporary), from: bodyStart)
        guard Self.patch(sum, at: checksumOffset, in: descriptor) else { throw .io("cannot write \(temporary): errno \(errno)") }
        guard rename(temporary, path) == 0 else { throw .io("cannot rename to \(path): errno \(errno)") }
        committed = true
    }

    private static func patch(_ value: UInt64, at offset: Int, in descriptor: Int32) -> Bool {
        withUnsafeBytes(of: value.littleEndian) { pwrite(descriptor, $0.baseAddress, 8, off_t(offset)) == 8 }
    }

    /// Loads a snapshot whose key equals `expectedKey`; returns the caller's payload.
    public func loadSnapshot(from path: String, expectedKey: String) throws(SnapshotError) -> [UInt8] {
        let file = try MappedFile(path)
        let payload = try loadSnapshot(from: file, expectedKey: expectedKey)
        return Array(UnsafeRawBufferPointer(rebasing: file.bytes[payload]))
    }

    /// Same, from a mapped file; returns where the payload lies in it. Segments are decoded straight
    /// from the mapping, and each part is dropped from memory once checked or decoded.
    package func loadSnapshot(from file: MappedFile, expectedKey: String) throws(SnapshotError) -> Range<Int> {
        var reader = BinaryReader(file.bytes)
        let payload = try Self.checkedPayload(of: file, expectedKey: expectedKey, reader: &reader)
        let count = try reader.read(UInt64.self)
        guard count < 1 << 20 else { throw .corrupt("bad segment count") }
        var segments: [Segment] = []
        var tombstones: [Tombstones] = []
        for _ in 0..<count {
            let segment = try Segment.read(from: &reader, articles: articleLookup)
            let bits = try reader.readArray(UInt64.self)
            guard bits.count == (segment.docCount + 63) / 64 else { throw .corrupt("deletion set size") }
            guard let deleted = DeletedFrequencies(termIDs: try reader.readArray(UInt32.self), counts: try reader.readArray(UInt32.self),
                                                   of: segment) else { throw .corrupt("deleted term counts") }
            segments.append(segment)
            tombstones.append(Tombstones(bits: bits, frequencies: deleted))
            file.release(upTo: reader.position, step: 0)
        }
        guard reader.isAtEnd else { throw .corrupt("trailing bytes") }
        replaceState(with: IndexState.restoring(segments: segments, tombstones: tombstones))
        return payload
    }

    /// Checks the magic, checksum and key and returns the caller's payload; `reader` is left after it.
    static func checkedPayload(of file: MappedFile, expectedKey: String,
                               reader: inout BinaryReader) throws(SnapshotError) -> Range<Int> {
        let bytes = file.bytes
        guard bytes.count >= 8 + Self.snapshotMagic.count + 8 else { throw .corrupt("not a Folio index snapshot") }
        let magic = try reader.readArray(UInt8.self)
        guard magic == Self.snapshotMagic else {
            // FOLIOIX and another version digit: an intact snapshot of an older or newer foliod.
            if magic.count == Self.snapshotMagic.count, magic.starts(with: Self.snapshotMagic.dropLast()) {
                throw .otherFormat(String(decoding: magic, as: UTF8.self))
            }
            throw .corrupt("not a Folio index snapshot")
        }
        let expectedSum = try reader.read(UInt64.self)
        guard Self.checksum(of: file, from: reader.position) == expectedSum else { throw .corrupt("checksum mismatch") }
        guard try reader.readString() == expectedKey else { throw .stale }
        let payloadCount = try reader.read(UInt64.self)
        guard payloadCount <= UInt64(bytes.count) else { throw .corrupt("bad payload length") }
        return try reader.take(Int(payloadCount))
    }

    /// The checksum of the file from `start` on, computed in chunks that are dropped from memory
    /// once summed (the whole file is never resident for it).
    static func checksum(of file: MappedFile, from start: Int) -> UInt64 {
        var sum = Checksum()
        let chunk = 8 << 20
        var position = start
        while file.bytes.count - position >= chunk {
            sum.add(UnsafeRawBufferPointer(rebasing: file.bytes[position..<(position + chunk)]))
            position += chunk
            file.release(upTo: position)
        }
        sum.add(UnsafeRawBufferPointer(rebasing: file.bytes[position...]))
        file.releaseAll()
        return sum.value
    }

    /// A fast 64-bit checksum (8 bytes at a time) against truncated or damaged files.
    static func checksum(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        var sum = Checksum()
        sum.add(raw)
        return sum.value
    }
}

/// The snapshot checksum, fed in parts: every part but the last must be a multiple of 8 bytes long.
struct Checksum {
    private var sum: UInt64 = 0x9E3779B97F4A7C15
    private var count = 0

    mutating func add(_ raw: UnsafeRawBufferPointer) {
        let words = raw.count / 8
        for index in 0..<words {
            let word = raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
            sum = (sum ^ word) &* 0x100000001b3
            sum ^= sum >> 29
        }
        for index in (words * 8)..<raw.count {
            sum = (sum ^ UInt64(raw[index])) &* 0x100000001b3
        }
        count += raw.count
    }

    var value: UInt64 { sum ^ UInt64(count) }
}

extension IndexState {
    /// A state over loaded segments: locator, pages and entities rebuilt from the live documents.
    /// `locator`, `entities`: those of the live documents, when the caller has them already.
    static func restoring(segments: [Segment], tombstones: [Tombstones], locator known: [String: DocRef]? = nil,
                          entities counted: EntityCatalog? = nil) -> IndexState {
        var locator = known ?? [:]
        if known == nil { locator.reserveCapacity(segments.reduce(0) { $0 + $1.docCount }) }
        var pages: [String: [String]] = [:]
        var entities = counted ?? EntityCatalog()
        for (index, segment) in segments.enumerated() {
            let live = (0..<segment.docCount).filter { !tombstones[index].contains($0) }
            for doc in live {
                let articleID = segment.articleIDs[doc]
                if known == nil { locator[articleID] = DocRef(segment: index, doc: doc) }
                pages[segment.pageID(of: doc), default: []].append(articleID)
            }
            if counted == nil { entities.add(segment: segment, docs: live) }
        }
        return IndexState(segments: segments, tombstones: tombstones, locator: locator, pages: pages, entities: entities)
    }
}

extension Segment {
    func write(to writer: inout BinaryWriter) {
        writer.write(articleIDs)
        writer.write(pageIDRefs)
        writer.write(textStarts.map { UInt64($0) })
        writer.write(textCodec.units)
        writer.write(textBytes)
        writer.write(docUnits)
        writer.write(headlineUnits)
        writer.write(blockCounts)
        writer.write(sectionIDs)
        writer.write(sectionKeyIDs)
        writer.write(dates)
        writer.write(authorStarts)
        writer.write(authorIDs)
        writer.write(entityStarts)
        writer.write(entityKeys)
        writer.write(entityDataStarts)
        writer.write(entityData)
        writer.write(strings)
        // As two arrays, written slot by slot: the snapshot write adds no copy of the table.
        writer.write(UInt64(cjkTerms.count))
        cjkTerms.forEachKey { writer.write($0) }
        writer.write(UInt64(cjkTerms.count))
        cjkTerms.forEachValue { writer.write($0) }
        writer.write(termStarts.map { UInt64($0) })
        writer.write(termDocFrequency)
        writer.write(skipStarts)
        writer.write(skips)
        writer.write(postings)
    }

    /// Offsets as stored (UInt64); one beyond Int.max is damage, not a value to convert.
    private static func offsets(_ values: [UInt64]) throws(SnapshotError) -> [Int] {
        guard values.allSatisfy({ $0 <= UInt64(Int.max) }) else { throw .corrupt("offset out of range") }
        return values.map { Int($0) }
    }

    /// A segment written without its text reads it from `articles`; without them it is refused.
    static func read(from reader: inout BinaryReader, articles: ArticleLookup?) throws(SnapshotError) -> Segment {
        let articleIDs = try reader.readStrings()
        let pageIDRefs = try reader.readArray(UInt32.self)
        let textStarts = try offsets(reader.readArray(UInt64.self))
        let codeUnits = try reader.readArray(UInt16.self)
        let textBytes = try reader.readArray(UInt8.self)
        let docUnits = try reader.readArray(UInt32.self)
        let headlineUnits = try reader.readArray(UInt32.self)
        let blockCounts = try reader.readArray(UInt16.self)
        let sectionIDs = try reader.readArray(UInt32.self)
        let sectionKeyIDs = try reader.readArray(UInt32.self)
        let dates = try reader.readArray(UInt32.self)
        let authorStarts = try reader.readArray(UInt32.self)
        let authorIDs = try reader.readArray(UInt32.self)
        let entityStarts = try reader.readArray(UInt32.self)
        let entityKeys = try reader.readArray(UInt32.self)
        let entityDataStarts = try reader.readArray(UInt32.self)
        let entityData = try reader.readArray(UInt8.self)
        let strings = try reader.readStrings()
        let cjkKeys = try reader.readArray(UInt64.self)
        let cjkIDs = try reader.readArray(UInt32.self)
        let termStarts = try offsets(reader.readArray(UInt64.self))
        let termDocFrequency = try reader.readArray(UInt32.self)
        let skipStarts = try reader.readArray(UInt32.self)
        let skips = try reader.readArray(UInt32.self)
        let postings = try reader.readArray(UInt8.self)

        let docCount = articleIDs.count
        let termCount = termDocFrequency.count
        // Every cross reference is checked, so a damaged file is refused rather than trusted.
        let consistent = [pageIDRefs.count, docUnits.count, headlineUnits.count, blockCounts.count, sectionIDs.count,
                          sectionKeyIDs.count, dates.count].allSatisfy { $0 == docCount }
            && textStarts.count == docCount + 1 && textStarts.first == 0 && textStarts.last == textBytes.count
            && zip(textStarts, textStarts.dropFirst()).allSatisfy { $0 <= $1 }
            && codeUnits.count == TextCodec.tableCount && codeUnits[Int(TextCodec.newline)] == TextCodec.newline
            && textBytes.withUnsafeBufferPointer(TextCodec.isWellFormed)
            && textStarts.allSatisfy { $0 == textBytes.count || !TextCodec.isTrail(textBytes[$0]) }
            && authorStarts.count == docCount + 1 && Int(authorStarts.last ?? 0) == authorIDs.count
            && (pageIDRefs + sectionIDs + sectionKeyIDs + authorIDs).allSatisfy { Int($0) < strings.count }
            && cjkKeys.count == cjkIDs.count && !cjkKeys.contains(UInt64.max)
            && cjkIDs.allSatisfy { Int($0) < termCount }
            && termStarts.count == termCount + 1 && termStarts.first == 0 && termStarts.last == postings.count
            && zip(termStarts, termStarts.dropFirst()).allSatisfy { $0 <= $1 }
            && skipStarts.count == termCount + 1 && Int(skipStarts.last ?? 0) == skips.count
            && zip(skipStarts, skipStarts.dropFirst()).allSatisfy { $0 <= $1 && ($1 - $0) % 2 == 0 }
        guard consistent else { throw .corrupt("inconsistent segment") }
        // Every document's text holds at least the newlines between its fields.
        let textless = docCount > 0 && textBytes.isEmpty
        guard !textless || articles != nil else { throw .corrupt("a segment without text and no store to read it from") }
        let segment = Segment(docCount: docCount, articleIDs: articleIDs, pageIDRefs: pageIDRefs, textStarts: textStarts,
                       textBytes: textBytes, textCodec: TextCodec(units: codeUnits), docUnits: docUnits, headlineUnits: headlineUnits, blockCounts: blockCounts,
                       sectionIDs: sectionIDs, sectionKeyIDs: sectionKeyIDs, dates: dates, authorStarts: authorStarts,
                       authorIDs: authorIDs, entityStarts: entityStarts, entityKeys: entityKeys,
                       entityDataStarts: entityDataStarts, entityData: entityData, strings: strings, cjkTerms: TermTable(keys: cjkKeys, values: cjkIDs),
                       termStarts: termStarts,
                       termDocFrequency: termDocFrequency, skipStarts: skipStarts, skips: skips, postings: postings,
                       articles: textless ? articles : nil)
        guard segment.entitiesAreIntact() else { throw .corrupt("damaged entity records") }
        return segment
    }
}
