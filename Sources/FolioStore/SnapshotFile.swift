import FolioBuildInfo
import FolioIndex
import FolioText
import FolioWire
import Foundation

/// The start-up snapshot of a data directory: DATA/snapshot/archive.folio, holding the index and
/// the stored model (one `StoreRecord` per page), keyed so that it is only ever used for exactly
/// the page files it was built from, by exactly this build of foliod.
struct SnapshotFile: Sendable {
    let path: String
    let pagesDirectory: String
    /// What else a snapshot depends on besides the files: the record format, the index kind, the
    /// parser's configuration (`PageParsing.modelIdentity`) and this very binary (a new parser
    /// must not serve pages parsed by the old one).
    let buildTag: String

    init(dataDirectory: String, indexKind: String, parser: String = "") {
        path = dataDirectory + "/snapshot/archive.folio"
        pagesDirectory = dataDirectory + "/pages"
        let fold = String(CharacterFold.shared.withTableBytes { WordHash.fnv1a($0) }, radix: 16)
        buildTag = "store:\(StoreRecord.formatVersion)|index:\(indexKind)|parser:\(parser)|fold:\(fold)|build:\(FolioBuildInfo.packageVersion)-\(Self.executableIdentity())"
    }

    var directory: String { (path as NSString).deletingLastPathComponent }

    /// The key of the page files as they are now (names, sizes, modification times).
    func currentKey() -> String {
        SearchIndex.snapshotKey(forFilesIn: pagesDirectory, extensions: ["page", "txt", "json"]) + "|" + buildTag
    }

    /// Reads the snapshot into `index` (only when every record decodes) and returns the problems
    /// of the load that wrote it (pages it skipped) and the corpus.
    func read(key: String, into index: SearchIndex, limits: WireLimits) throws(SnapshotError) -> (problems: [String], corpus: Corpus) {
        try ArchiveSnapshot.read(into: index, from: path, key: key) { records throws(SnapshotError) in
            try Self.decode(records, limits: limits)
        }
    }

    private static func decode(_ records: SnapshotRecords, limits: WireLimits) throws(SnapshotError) -> (problems: [String], corpus: Corpus) {
        guard let header = records.first else { throw .corrupt("no header record") }
        do {
            var input = RecordReader(header)
            guard try input.varint() == UInt64(StoreRecord.formatVersion) else { throw StoreRecordError.damaged("record format") }
            let problems = try input.strings()
            let articleCount = try input.count()
            let dictionaryBytes = try input.bytes()
            var corpus = Corpus()
            corpus.dictionary = dictionaryBytes.isEmpty ? nil : ArticleDictionary(bytes: Array(dictionaryBytes))
            corpus.reserveCapacity(pages: records.count - 1, articles: min(articleCount, records.count * 64))
            for record in records.dropFirst() {
                try StoreRecord.decode(record, limits: limits, dictionary: corpus.dictionary, into: &corpus)
            }
            return (problems, corpus)
        } catch {
            throw .corrupt("\(error)")
        }
    }

    /// Writes the problems of the load, the corpus and `index` to a temporary file beside the
    /// snapshot and returns its path; `commit` renames it into place. Two steps, so the caller can
    /// drop a write that raced a change.
    func writeTemporary(header problems: [String], corpus: Corpus, index: SearchIndex, key: String,
                        limits: WireLimits = .default) throws -> String {
        try prepareDirectory()
        var corpus = corpus
        var header = RecordWriter()
        header.varint(UInt64(StoreRecord.formatVersion))
        header.strings(problems)
        header.varint(UInt64(corpus.articleCount))
        let order = corpus.orderedPageIDs()
        // Built once per parsed corpus (in the background write that follows the parse), then kept.
        let dictionary = corpus.dictionary ?? ArticleDictionaryBuilder.build(from: corpus, order: order, limits: limits)
        header.bytes(dictionary?.bytes ?? [])
        let temporary = path + ".new"
        try ArchiveSnapshot.write(index: index, recordCount: order.count + 1, to: temporary, key: key) { number throws(SnapshotError) in
            guard number > 0 else { return header.bytes }
            do {
                return try StoreRecord.encode(corpus.pages[order[number - 1]]!, from: corpus, dictionary: dictionary,
                                              limits: limits)
            } catch {
                throw .io("cannot encode page \(order[number - 1]): \(error)")
            }
        }
        return temporary
    }

    /// The snapshot holds every page's text: like the pages, it is not for other users (0750,
    /// and a directory an earlier foliod made world-readable or group-writable loses those bits).
    private func prepareDirectory() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o750])
        var info = stat()
        if lstat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_mode & 0o027 != 0, info.st_uid == geteuid() {
            chmod(directory, info.st_mode & 0o750)
        }
    }

    func commit(_ temporary: String) throws {
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw StatusError(.internal, "cannot rename \(temporary) to \(path): \(reason)")
        }
    }

    func discard(_ temporary: String) { unlink(temporary) }

    /// Removes temporary files a crash left in the snapshot directory (best effort).
    func removeLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let keep = (path as NSString).lastPathComponent
        for name in names where name != keep && name.hasPrefix(keep) { unlink(directory + "/" + name) }
    }

    /// Size and modification time of the running executable ("" where /proc is missing).
    static func executableIdentity() -> String {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return "" }
        return "\(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }
}

/// Size and modification time of every page file (.page, legacy .txt and .json) the stored model was built
/// from. A snapshot is only written when the directory still looks exactly like this, so a file
/// changed behind foliod's back (and not reloaded) never gets a fresh key on a stale model.
struct PageFileManifest: Equatable, Sendable {
    struct Stamp: Equatable, Sendable {
        var size: Int64
        var seconds: Int
        var nanoseconds: Int
    }

    private(set) var stamps: [String: Stamp] = [:]

    static func scan(_ directory: String) -> PageFileManifest {
        var manifest = PageFileManifest()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasSuffix(PageRepository.recordExtension) || name.hasSuffix(".txt") || name.hasSuffix(".json") {
            if let stamp = stamp(directory + "/" + name) { manifest.stamps[name] = stamp }
        }
        return manifest
    }

    static func stamp(_ path: String) -> Stamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Stamp(size: Int64(info.st_size), seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec)
    }

    /// Records the files of one page as they are now on disk (after a write or a delete).
    mutating func refresh(pageID: String, in directory: String) {
        for name in PageRepository.fileNames(pageID) {
            stamps[name] = Self.stamp(directory + "/" + name)
        }
    }
}
