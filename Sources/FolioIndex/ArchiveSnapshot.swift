import FolioModel
import Foundation

/// The daemon's start-up image: the index and the daemon's stored model in one file, so a large
/// archive starts without re-parsing or re-indexing. Keyed by the state of the page files
/// (`SearchIndex.snapshotKey(forFilesIn:)`): a missing or stale image is rebuilt.
///
/// Payload format (inside the index snapshot, which checksums the whole file): a little-endian
/// UInt64 record count, then per record a little-endian UInt64 length and that many bytes. What a
/// record holds is the caller's business (foliod: one stored page with its articles).
public enum ArchiveSnapshot {
    /// Writes atomically (the index snapshot writes a temporary file, then renames it).
    public static func write(index: SearchIndex, records: [[UInt8]], to path: String, key: String) throws(SnapshotError) {
        try write(index: index, recordCount: records.count, to: path, key: key) { number throws(SnapshotError) in records[number] }
    }

    /// Same, with records made one at a time by `record(0..<recordCount)`: only the payload and one
    /// record are in memory at once, never every record a second time.
    public static func write(index: SearchIndex, recordCount: Int, to path: String, key: String,
                             record: (Int) throws(SnapshotError) -> [UInt8]) throws(SnapshotError) {
        var payload: [UInt8] = []
        append(UInt64(recordCount), to: &payload)
        for number in 0..<recordCount {
            let bytes = try record(number)
            append(UInt64(bytes.count), to: &payload)
            payload.append(contentsOf: bytes)
        }
        try index.writeSnapshot(to: path, key: key, payload: payload)
    }

    /// Reads a snapshot whose key is `key`, hands its records to `decode` (slices of one buffer, not
    /// copies) and, only when that succeeds, replaces the state of `index` by the snapshot's: a
    /// damaged file leaves `index` untouched. Throws `.missing`, `.stale` or `.corrupt`.
    public static func read<T>(into index: SearchIndex, from path: String, key: String,
                               decode: ([ArraySlice<UInt8>]) throws(SnapshotError) -> T) throws(SnapshotError) -> T {
        let scratch = SearchIndex()
        let payload = try scratch.loadSnapshot(from: path, expectedKey: key)
        var position = 0
        func next() throws(SnapshotError) -> UInt64 {
            guard payload.count - position >= 8 else { throw .corrupt("truncated record list") }
            var value: UInt64 = 0
            for shift in 0..<8 { value |= UInt64(payload[position + shift]) << (8 * UInt64(shift)) }
            position += 8
            return value
        }
        let count = try next()
        guard count <= UInt64(payload.count / 8) else { throw .corrupt("bad record count") }
        var records: [ArraySlice<UInt8>] = []
        records.reserveCapacity(Int(count))
        for _ in 0..<count {
            let length = try next()
            guard length <= UInt64(payload.count - position) else { throw .corrupt("truncated record") }
            records.append(payload[position..<(position + Int(length))])
            position += Int(length)
        }
        guard position == payload.count else { throw .corrupt("trailing bytes in the record list") }
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

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(shift)))) }
    }
}
