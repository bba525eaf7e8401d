import FolioModel

/// The daemon's start-up image: the parsed pages (the model) and the index over their articles in
/// one file, so a large archive starts without re-parsing or re-indexing. Keyed by the state of the
/// page files (`SearchIndex.snapshotKey(forFilesIn:)`): a missing or stale image is rebuilt.
public enum ArchiveSnapshot {
    public static func write(index: SearchIndex, pages: [Folio_V1_Page], to path: String, key: String) throws(SnapshotError) {
        var writer = BinaryWriter()
        writer.write(UInt64(pages.count))
        for page in pages {
            guard let bytes = try? page.serializedBytes() as [UInt8] else {
                throw .io("cannot serialize page \(page.id)")
            }
            writer.write(bytes)
        }
        try index.writeSnapshot(to: path, key: key, payload: writer.bytes)
    }

    /// Loads the index into `index` and returns the pages; throws `.missing`, `.stale` or `.corrupt`.
    public static func read(into index: SearchIndex, from path: String, key: String) throws(SnapshotError) -> [Folio_V1_Page] {
        let scratch = SearchIndex()
        let payload = try scratch.loadSnapshot(from: path, expectedKey: key)
        var reader = BinaryReader(payload)
        let count = try reader.read(UInt64.self)
        guard count <= UInt64(payload.count) else { throw .corrupt("bad page count") }
        var pages: [Folio_V1_Page] = []
        pages.reserveCapacity(Int(count))
        for _ in 0..<count {
            let bytes = try reader.readArray(UInt8.self)
            guard let page = try? Folio_V1_Page(serializedBytes: bytes) else { throw .corrupt("a page does not decode") }
            pages.append(page)
        }
        guard reader.isAtEnd else { throw .corrupt("trailing bytes in the page list") }
        index.replaceState(with: scratch.state)  // all or nothing: a damaged file leaves `index` untouched
        return pages
    }
}
