import FolioBuildInfo
import FolioIndex
import FolioText
import FolioWire
import Foundation

/// The start-up snapshot of a data directory: DATA/snapshot/archive.folio, holding the index and
/// the stored model (one `StoreRecord` per page) with the stamps of the page files it was built
/// from, keyed so that only exactly this build of foliod reads it. A start reads the pages whose
/// files changed since (`PageFileManifest.changedPages`) on top of it.
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
        // The parser's fold and the index's (which adds ○ → 〇 and passes variation selectors over).
        let fold = String(CharacterFold.shared.withTableBytes { WordHash.fnv1a($0) }, radix: 16)
            + "-" + String(IndexFold.shared.fingerprint, radix: 16)
        buildTag = "store:\(StoreRecord.formatVersion)|index:\(indexKind)|parser:\(parser)|fold:\(fold)|build:\(FolioBuildInfo.packageVersion)-\(Self.executableIdentity())"
    }

    var directory: String { (path as NSString).deletingLastPathComponent }

    /// What a snapshot must have been written with to be read (the files' stamps are inside).
    var key: String { "stamped|" + buildTag }

    /// What a snapshot holds besides the index.
    struct Contents {
        /// Problems of the load that wrote it (pages it skipped).
        var problems: [String]
        var corpus: Corpus
        /// The page files the corpus was built from.
        var files: PageFileManifest
    }

    /// Reads the snapshot into `index` (only when every record decodes). `check` sees the page
    /// files and problems it was written with before the records are decoded, and may refuse it.
    /// `key`: this build's unless given (the fuzzer reads whatever key a file carries).
    /// `outdated`: handed the page records (intact: checksum and key matched) when `check` refuses
    /// them as out of date, before the error is thrown (see `ServedAnchors`).
    func read(key: String? = nil, into index: SearchIndex, limits: WireLimits,
              check: (_ files: PageFileManifest, _ problems: [String]) throws(SnapshotError) -> Void = { _, _ in },
              outdated: (ServedAnchors.Records) -> Void = { _ in })
        throws(SnapshotError) -> Contents {
        try ArchiveSnapshot.read(into: index, from: path, key: key ?? self.key) { records throws(SnapshotError) in
            try Self.decode(records, limits: limits, check: check, outdated: outdated)
        }
    }

    private static func decode(_ records: SnapshotRecords, limits: WireLimits,
                               check: (PageFileManifest, [String]) throws(SnapshotError) -> Void,
                               outdated: (ServedAnchors.Records) -> Void) throws(SnapshotError) -> Contents {
        guard let header = records.first else { throw .corrupt("no header record") }
        let problems: [String], articleCount: Int, dictionaryBytes: ArraySlice<UInt8>, files: PageFileManifest
        do {
            var input = RecordReader(header)
            guard try input.varint() == UInt64(StoreRecord.formatVersion) else { throw StoreRecordError.damaged("record format") }
            problems = try input.strings()
            articleCount = try input.count()
            dictionaryBytes = try input.bytes()
            files = try PageFileManifest(from: &input)
        } catch {
            throw .corrupt("\(error)")
        }
        do {
            try check(files, problems)
        } catch {
            if case .outdated = error { outdated(ServedAnchors.Records(records: records, dictionary: dictionaryBytes, limits: limits)) }
            throw error
        }
        do {
            var corpus = Corpus()
            corpus.dictionary = dictionaryBytes.isEmpty ? nil : ArticleDictionary(bytes: Array(dictionaryBytes))
            corpus.reserveCapacity(pages: records.count - 1, articles: min(articleCount, records.count * 64))
            for record in records.dropFirst() {
                try StoreRecord.decode(record, limits: limits, dictionary: corpus.dictionary, into: &corpus)
            }
            return Contents(problems: problems, corpus: corpus, files: files)
        } catch {
            throw .corrupt("\(error)")
        }
    }

    /// Writes the problems of the load, the corpus and `index` to a temporary file beside the
    /// snapshot and returns its path; `commit` renames it into place. Two steps, so the caller can
    /// drop a write that raced a change.
    /// `state`: the index as it was when `corpus` was taken.
    func writeTemporary(header problems: [String], corpus: Corpus, files: PageFileManifest, index: SearchIndex,
                        state: IndexState, limits: WireLimits = .default) throws -> String {
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
        files.write(to: &header)
        let temporary = path + ".new"
        try ArchiveSnapshot.write(index: index, state: state, recordCount: order.count + 1, to: temporary, key: key) { number throws(SnapshotError) in
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

/// Size, status change time and inode of every page file (.page, legacy .txt and .json) the stored
/// model was built from, kept with it in the snapshot: a file that differs at the next start or
/// reload (written by foliod after the snapshot, or behind its back) has its page read again.
struct PageFileManifest: Equatable, Sendable {
    struct Stamp: Equatable, Sendable {
        var size: Int64
        /// The status change time (ctime), not the modification time: every write changes it, and
        /// so do a chmod or chown that makes the file unreadable and a restore that sets the old
        /// mtime back (`touch -d`, `rsync -a`), which leave size and mtime as they were.
        var seconds: Int
        var nanoseconds: Int
        /// A file replaced by a rename is a new inode, whatever its size and time: on a file system
        /// with whole-second times a same-size replace within the second of a snapshot keeps both.
        var inode: UInt64

        init(size: Int64, seconds: Int, nanoseconds: Int, inode: UInt64) {
            (self.size, self.seconds, self.nanoseconds, self.inode) = (size, seconds, nanoseconds, inode)
        }

        init(_ info: stat) {
            self.init(size: Int64(info.st_size), seconds: info.st_ctim.tv_sec, nanoseconds: info.st_ctim.tv_nsec,
                      inode: UInt64(info.st_ino))
        }
    }

    private(set) var stamps: [String: Stamp] = [:]
    /// Page files (not pages: a legacy page has two).
    var count: Int { stamps.count }

    /// The page files of `directory` (regular files, links not followed), read with `readdir` and
    /// `fstatat`: Foundation's listing and attributes took about half a second per 10,000 files.
    static func scan(_ directory: String) -> PageFileManifest {
        var manifest = PageFileManifest()
        guard let stream = opendir(directory) else { return manifest }
        defer { closedir(stream) }
        let folder = dirfd(stream)
        while let entry = readdir(stream) {
            let name = String(decoding: DirectoryEntry.nameBytes(entry), as: UTF8.self)
            guard isPageFile(name) else { continue }
            var info = stat()
            guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            manifest.stamps[name] = Stamp(info)
        }
        return manifest
    }

    /// The endings of a page's files, as the repository names them.
    private static let pageFileEndings = PageRepository.fileNames("")

    static func isPageFile(_ name: String) -> Bool { pageFileEndings.contains { name.hasSuffix($0) } }

    static func stamp(_ path: String) -> Stamp? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Stamp(info)
    }

    /// Pages `other` has a file of and this manifest has none: gone since. Cheap to read again (they
    /// leave, their ids kept retired), so they do not count against using the snapshot.
    func vanishedPages(since other: PageFileManifest) -> Set<String> {
        let here = Set(stamps.keys.map(Self.pageID(of:)))
        return Set(other.stamps.keys.map(Self.pageID(of:))).subtracting(here)
    }

    /// Pages with a file that is new, gone or stamped otherwise in `other`.
    func changedPages(since other: PageFileManifest) -> Set<String> {
        var changed = Set<String>()
        for (name, stamp) in stamps where other.stamps[name] != stamp { changed.insert(Self.pageID(of: name)) }
        for name in other.stamps.keys where stamps[name] == nil { changed.insert(Self.pageID(of: name)) }
        return changed
    }

    private static func pageID(of name: String) -> String {
        pageFileEndings.first { name.hasSuffix($0) }.map { String(name.dropLast($0.count)) } ?? name
    }

    func write(to out: inout RecordWriter) {
        out.varint(UInt64(stamps.count))
        for (name, stamp) in stamps.sorted(by: { $0.key < $1.key }) {
            out.string(name)
            out.varint(UInt64(bitPattern: stamp.size))
            out.varint(UInt64(bitPattern: Int64(stamp.seconds)))
            out.varint(UInt64(bitPattern: Int64(stamp.nanoseconds)))
            out.varint(stamp.inode)
        }
    }

    init() {}

    init(from input: inout RecordReader) throws {
        for _ in 0..<(try input.count()) {
            let name = try input.string()
            let size = Int64(bitPattern: try input.varint())
            let seconds = Int(Int64(bitPattern: try input.varint()))
            let nanoseconds = Int(Int64(bitPattern: try input.varint()))
            stamps[name] = Stamp(size: size, seconds: seconds, nanoseconds: nanoseconds, inode: try input.varint())
        }
    }

    /// Records the files of one page as they are now on disk (after a write or a delete).
    mutating func refresh(pageID: String, in directory: String) {
        for name in PageRepository.fileNames(pageID) {
            stamps[name] = Self.stamp(directory + "/" + name)
        }
    }
}
