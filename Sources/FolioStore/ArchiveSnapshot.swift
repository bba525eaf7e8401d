import FolioIndex
import FolioModel
import Foundation

/// The daemon's start-up image: the index and the daemon's stored model in one file, so a large
/// archive starts without re-parsing or re-indexing. Keyed by what the caller says it must have
/// been written by (foliod: this build, see SnapshotFile): a missing or stale image is rebuilt.
///
/// Payload format (inside the index snapshot, which checksums the whole file): a little-endian
/// UInt64 record count, then per record a little-endian UInt64 length and that many bytes. What a
/// record holds is the caller's business (foliod: one stored page with its articles).
public enum ArchiveSnapshot {
    /// Writes atomically (the index snapshot writes a temporary file, then renames it).
    public static func write(index: SearchIndex, records: [[UInt8]], to path: String, key: String) throws(SnapshotError) {
        try write(index: index, recordCount: records.count, to: path, key: key) { number throws(SnapshotError) in records[number] }
    }

    /// Same, with records made one at a time by `record(0..<recordCount)` and streamed to the file:
    /// only one record is in memory at once, never the whole payload.
    package static func write(index: SearchIndex, state: IndexState? = nil, recordCount: Int, to path: String, key: String,
                             record: (Int) throws(SnapshotError) -> [UInt8]) throws(SnapshotError) {
        try index.writeSnapshot(to: path, key: key, state: state) { (out: inout BinaryWriter) throws(SnapshotError) in
            out.write(UInt64(recordCount))
            for number in 0..<recordCount {
                let bytes = try record(number)
                out.write(UInt64(bytes.count))
                out.writeRaw(bytes)
            }
        }
    }

    /// Reads a snapshot whose key is `key`, hands its records to `decode` and, only when that
    /// succeeds, replaces the state of `index` by the snapshot's: a damaged file leaves `index`
    /// untouched. The file is mapped, not read: each record is copied out of the mapping when
    /// `decode` asks for it. Throws `.missing`, `.stale` or `.corrupt`.
    public static func read<T>(into index: SearchIndex, from path: String, key: String,
                               decode: (SnapshotRecords) throws(SnapshotError) -> T) throws(SnapshotError) -> T {
        let file = try MappedFile(path)
        let scratch = SearchIndex()
        if let articles = index.articleLookup { scratch.readTexts(from: articles) }
        let payload = try scratch.loadSnapshot(from: file, expectedKey: key)
        let records = try SnapshotRecords(file: file, payload: payload)
        let decoded = try decode(records)
        index.replaceState(with: scratch.state)
        return decoded
    }

    /// Pages as records (serialized `Folio_V1_Page`s): the simplest model a caller can keep.
    public static func write(index: SearchIndex, pages: [Folio_V1_Page], to path: String, key: String) throws(SnapshotError) {
        var records: [[UInt8]] = []
        records.reserveCapacity(pages.count)
        for page in pages {
            guard let bytes = try? page.serializedBytes() as [UInt8] else { throw .io("cannot serialize page \(page.id)") }
            records.append(bytes)
        }
        try write(index: index, records: records, to: path, key: key)
    }

    /// Loads the index into `index` and returns the pages; throws `.missing`, `.stale` or `.corrupt`.
    public static func read(into index: SearchIndex, from path: String, key: String) throws(SnapshotError) -> [Folio_V1_Page] {
        try read(into: index, from: path, key: key) { records throws(SnapshotError) in
            var pages: [Folio_V1_Page] = []
            pages.reserveCapacity(records.count)
            for record in records {
                guard let page = try? Folio_V1_Page(serializedBytes: Array(record)) else { throw .corrupt("a page does not decode") }
                pages.append(page)
            }
            return pages
        }
    }

}

/// The records of a snapshot's payload, each copied out of the mapped file when read (in order,
/// the parts already read are dropped from memory as the reading goes on).
public struct SnapshotRecords: RandomAccessCollection {
    private let file: MappedFile
    private let ranges: [Range<Int>]

    init(file: MappedFile, payload: Range<Int>) throws(SnapshotError) {
        self.file = file
        let bytes = file.bytes
        var position = payload.lowerBound
        func next() throws(SnapshotError) -> UInt64 {
            guard payload.upperBound - position >= 8 else { throw .corrupt("truncated record list") }
            defer { position += 8 }
            return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        }
        let count = try next()
        guard count <= UInt64(payload.count / 8) else { throw .corrupt("bad record count") }
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(Int(count))
        for _ in 0..<count {
            let length = try next()
            guard length <= UInt64(payload.upperBound - position) else { throw .corrupt("truncated record") }
            ranges.append(position..<(position + Int(length)))
            position += Int(length)
        }
        guard position == payload.upperBound else { throw .corrupt("trailing bytes in the record list") }
        self.ranges = ranges
        // The scan above touched nearly every page of the records; each is read again when its record is.
        file.restartRelease(at: payload.lowerBound)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ranges.count }

    public subscript(position: Int) -> ArraySlice<UInt8> {
        let range = ranges[position]
        let record = Array(UnsafeRawBufferPointer(rebasing: file.bytes[range]))
        file.release(upTo: range.lowerBound)
        return record[...]
    }
}
