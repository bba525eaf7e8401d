import FolioIndex
import FolioModel
import FolioText
import Foundation
import NIOConcurrencyHelpers

/// One page as stored on disk: its raw text (the source of truth) and ingest metadata.
public struct StoredPageFile: Sendable, Equatable {
    public var pageID: String
    public var text: String
    public var source: String
    public var info: Folio_V1_PageInfo?
    /// The ids its articles were given at ingest (see ArticleAnchors).
    var anchors: [ArticleAnchor] = []

    public init(pageID: String, text: String, source: String, info: Folio_V1_PageInfo?) {
        self.pageID = pageID
        self.text = text
        self.source = source
        self.info = info
    }
}

/// Ingest metadata: the first line of <pageId>.page (legacy archives: <pageId>.json beside <pageId>.txt).
struct PageMetadata: Codable, Equatable {
    var source: String
    var publication: String?
    var date: String?
    var pageLabel: String?
    var section: String?
    var ingestedUnixMs: UInt64?
    /// The text's length in bytes and its FNV-1a hash (hex): a file cut short or spoilt after it
    /// was written is told at its next read (files written before these were kept have neither).
    var textBytes: Int?
    var textHash: String?
    var articles: [ArticleAnchor]?
}

/// DATA/pages/<pageId>.page: one file per page, a metadata line then the raw text, so one
/// rename replaces both at once (a crash or a full disk leaves the old page or the new one,
/// never new metadata with old text). Archives written before hold <pageId>.txt + <pageId>.json;
/// they are read as they are and replaced by a .page file on the next write of that page.
/// Writes are durable before they return: temporary file, fsync, rename, fsync of the
/// directory. Temporary names start with ".tmp-" and are removed at start-up.
public struct PageRepository: Sendable {
    public let root: String
    public var pagesDirectory: String { root + "/pages" }
    static let temporaryPrefix = ".tmp-"
    static let recordExtension = ".page"
    /// First bytes of a .page file, then the metadata JSON on the same line.
    static let recordMagic = "folio-page/1 "
    /// The page files' format, as the start-up log names it.
    public static var format: String { recordMagic.trimmingCharacters(in: .whitespaces) }
    /// Files of one page, newest format first.
    static func fileNames(_ id: String) -> [String] { [id + recordExtension, id + ".txt", id + ".json"] }

    /// The directory `root` named when it was first prepared (device and inode): see `checkStillServed`.
    private let servedDirectory = NIOLockedValueBox<DirectoryID?>(nil)

    public init(root: String) {
        self.root = root
    }

    struct DirectoryID: Equatable {
        let device: UInt64
        let inode: UInt64
        init?(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    /// Refuses a write or a reload once `root` names another directory than the one prepared first
    /// (moved away, replaced, unmounted): a page would land where the served archive is not, and a
    /// second foliod could start there (the lock stays with the moved directory).
    public func checkStillServed() throws {
        guard let served = servedDirectory.withLockedValue({ $0 }) else { return }
        guard DirectoryID(root) == served else {
            throw StatusError(.failedPrecondition, "the data directory \(root) was moved, removed or replaced while foliod served it: nothing was written; restart foliod on the archive's path")
        }
    }

    /// Page ids become file names: 1–128 of [A-Za-z0-9_.-], not starting with a dot.
    public static func isValidPageID(_ id: String) -> Bool {
        guard !id.isEmpty, id.utf8.count <= 128, id.first != "." else { return false }
        return id.utf8.allSatisfy { b in
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
                || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
        }
    }

    struct PrepareError: Error, LocalizedError {
        let description: String
        var errorDescription: String? { description }
    }

    /// Creates pages/ (0750: page text is not for every local user) and removes half-written
    /// temporary files. Returns how many were removed. With `create` false (a reload) a missing
    /// folder is an error: the archive's disk unmounted or its folder moved away is no empty archive.
    @discardableResult
    public func prepare(create: Bool = true) throws -> Int {
        for dir in [root, pagesDirectory] {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else { throw PrepareError(description: "\(dir) is not a directory") }
                continue
            }
            guard create else { throw PrepareError(description: "\(dir) does not exist (any more)") }
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o750])
        }
        let first = DirectoryID(root).map { id in servedDirectory.withLockedValue { served in
            if served == nil { served = id; return true }
            return false
        } } ?? false
        if !first { try checkStillServed() }
        var removed = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: pagesDirectory)
        where name.hasPrefix(Self.temporaryPrefix) {
            try? FileManager.default.removeItem(atPath: pagesDirectory + "/" + name)
            removed += 1
        }
        return removed
    }

    /// The data and pages directories writable by the group (the readers) or by anyone lose those
    /// bits when foliod's user owns them (returns what was changed, for a warning); owned by someone
    /// else, they are refused: whoever can write there decides what every reader is served.
    public func closeToOtherWriters() throws -> [String] {
        var changed: [String] = []
        for dir in [root, pagesDirectory] {
            var info = stat()
            guard lstat(dir, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_mode & 0o022 != 0 else { continue }
            let mode = String(info.st_mode & 0o7777, radix: 8)
            guard info.st_uid == geteuid(), chmod(dir, info.st_mode & 0o7755) == 0 else {
                throw PrepareError(description: "\(dir) is writable by its group or others (mode \(mode)) and foliod cannot close it: anyone who can write there decides what every reader is served")
            }
            changed.append("\(dir) was writable by its group or others (mode \(mode)); now \(String(info.st_mode & 0o7755, radix: 8))")
        }
        return changed + closePageFiles()
    }

    /// Page files (and retired ids) a loose restore left writable by the group or others, or readable
    /// by anyone, get foliod's own mode, 0640, when foliod's user owns them: a writer could rewrite
    /// what every reader is served (the checksum is in the same file), and data files are not
    /// world-readable (SPEC §4). Those it does not own are named: foliod cannot close them.
    private func closePageFiles() -> [String] {
        guard let stream = opendir(pagesDirectory) else { return [] }
        defer { closedir(stream) }
        let folder = dirfd(stream)
        var closed: [String] = [], foreign: [String] = []
        while let entry = readdir(stream) {
            let name = String(decoding: DirectoryEntry.nameBytes(entry), as: UTF8.self)
            guard PageFileManifest.isPageFile(name) || name.hasPrefix(Self.retiredPrefix) else { continue }
            var info = stat()
            guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFREG,
                  info.st_mode & 0o027 != 0 else { continue }
            if info.st_uid == geteuid(), fchmodat(folder, name, info.st_mode & 0o7740, 0) == 0 {
                closed.append(name)
            } else {
                foreign.append(name)
            }
        }
        var notes: [String] = []
        if !closed.isEmpty {
            notes.append("\(closed.count) files in \(pagesDirectory) were open to others or writable by their group "
                         + "(copied or restored with a loose umask?); now 640: \(closed.sorted().prefix(10).joined(separator: ", "))")
        }
        if !foreign.isEmpty {
            notes.append("\(foreign.count) files in \(pagesDirectory) are writable by their group or open to others and not "
                         + "foliod's to close (whoever can write them decides what readers are served): "
                         + "\(foreign.sorted().prefix(10).joined(separator: ", "))")
        }
        return notes
    }

    /// Every stored page, sorted by id, plus the files that could not be read (with why).
    public func loadAll() throws -> (pages: [StoredPageFile], problems: [String]) {
        let (ids, problems) = try pageIDs()
        var pages: [StoredPageFile] = []
        var unreadable = problems
        for id in ids {
            do {
                pages.append(try load(id))
            } catch {
                unreadable.append("\(id): \(error)")
            }
        }
        return (pages, unreadable)
    }

    /// Ids of the stored pages, sorted, plus file names that are not valid page ids.
    public func pageIDs() throws -> (ids: [String], problems: [String]) {
        let names = try FileManager.default.contentsOfDirectory(atPath: pagesDirectory)
        var ids: [String] = []
        var problems: [String] = []
        var seen = Set<String>()
        for name in names.sorted() where !name.hasPrefix(".") {
            let id: String
            if name.hasSuffix(Self.recordExtension) { id = String(name.dropLast(Self.recordExtension.count)) }
            else if name.hasSuffix(".txt") { id = String(name.dropLast(4)) }
            else { continue }
            guard seen.insert(id).inserted else { continue }
            if Self.isValidPageID(id) { ids.append(id) } else { problems.append("\(name): not a valid page id") }
        }
        return (ids.sorted(), problems)
    }

    /// Pages read from a `.txt` alone (no `.page`, no `.json` beside it): an archive older than
    /// `.page` files, or a file someone left in pages/ (README.txt) that is served as a page.
    public func loneTextPages(among ids: [String]) -> [String] {
        ids.filter { id in
            !Self.isListed(pagesDirectory + "/" + id + Self.recordExtension)
                && !FileManager.default.fileExists(atPath: pagesDirectory + "/" + id + ".json")
        }
    }

    /// Pages with a `.txt` beside their `.page`: the `.page` is read and the `.txt` never is (a crash
    /// between writing a page and removing its older text, or a file someone put there).
    public func shadowedTextFiles(among ids: [String]) -> [String] {
        ids.filter { id in
            Self.isListed(pagesDirectory + "/" + id + Self.recordExtension)
                && FileManager.default.fileExists(atPath: pagesDirectory + "/" + id + ".txt")
        }
    }

    /// A stored page, with the retired anchors a delete of its id left (a page file put back behind
    /// foliod's back after a DeletePage gives the deleted stories' ids to none but them).
    public func load(_ id: String) throws -> StoredPageFile {
        var file = try loadFile(id)
        // The page is served whatever becomes of the ids a delete left (a write of its id reports them).
        file.anchors = Self.adding((try? retiredAnchors(of: id)) ?? [], to: file.anchors)
        return file
    }

    func loadFile(_ id: String) throws -> StoredPageFile {
        let recordPath = pagesDirectory + "/" + id + Self.recordExtension
        if Self.isListed(recordPath) {
            return try Self.decodeRecord(try Self.contents(recordPath, id: id), id: id)
        }
        let data = Data(try Self.contents(pagesDirectory + "/" + id + ".txt", id: id))
        guard let text = String(data: data, encoding: .utf8) else {
            throw StatusError(.dataLoss, "page text is not UTF-8")
        }
        let metaPath = pagesDirectory + "/" + id + ".json"
        var meta: PageMetadata?
        if FileManager.default.fileExists(atPath: metaPath) {
            meta = try JSONDecoder().decode(PageMetadata.self, from: Data(Self.contents(metaPath, id: id)))
        }
        return Self.file(id: id, text: text, meta: meta)
    }

    /// Whether a directory entry is there, be it a file, a directory or a symbolic link to nothing.
    static func isListed(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// A page file's bytes; what keeps it from being read is a DATA_LOSS error naming the file.
    static func contents(_ path: String, id: String) throws -> [UInt8] {
        let name = (path as NSString).lastPathComponent
        // Only regular files are read: a symbolic link in pages/ (planted by anyone who could write
        // there) would serve whatever foliod can read, /etc/shadow under root, to every reader; a
        // FIFO would block the reading thread.
        switch RegularFile.read(path) {
        case .success(let bytes): return bytes
        case .failure(.notRegular(let kind)):
            throw StatusError(.dataLoss, "page file \(name) of \(id) is \(kind): not read (foliod reads only regular files in pages/)")
        case .failure(let failure):
            throw StatusError(.dataLoss, "page file \(name) of \(id) cannot be read: \(failure.message)")
        }
    }

    static func file(id: String, text: String, meta: PageMetadata?) -> StoredPageFile {
        var file = StoredPageFile(pageID: id, text: text, source: meta?.source ?? id + ".txt", info: nil)
        file.anchors = meta?.articles ?? []
        if let meta, meta.publication != nil || meta.date != nil || meta.pageLabel != nil || meta.section != nil {
            var info = Folio_V1_PageInfo()
            info.publication = meta.publication ?? ""
            info.date = meta.date ?? ""
            info.pageLabel = meta.pageLabel ?? ""
            info.section = meta.section ?? ""
            file.info = info
        }
        return file
    }

    /// `folio-page/1 {metadata JSON}\n` then the page text, all UTF-8.
    static func encodeRecord(_ file: StoredPageFile, ingestedUnixMs: UInt64) throws -> [UInt8] {
        var meta = PageMetadata(source: file.source)
        if let info = file.info {
            meta.publication = info.publication.isEmpty ? nil : info.publication
            meta.date = info.date.isEmpty ? nil : info.date
            meta.pageLabel = info.pageLabel.isEmpty ? nil : info.pageLabel
            meta.section = info.section.isEmpty ? nil : info.section
        }
        meta.ingestedUnixMs = ingestedUnixMs
        meta.articles = file.anchors.isEmpty ? nil : file.anchors
        meta.textBytes = file.text.utf8.count
        meta.textHash = textHash(ArraySlice(file.text.utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = Array(recordMagic.utf8)
        bytes += try encoder.encode(meta)   // one line: JSON escapes control characters in strings
        bytes.append(0x0A)
        bytes += file.text.utf8
        return bytes
    }

    /// Reads a .page file; a damaged one is a DATA_LOSS error naming the page, never a trap.
    static func decodeRecord(_ bytes: [UInt8], id: String) throws -> StoredPageFile {
        let (meta, bodyStart) = try decodeHeader(bytes, id: id)
        let body = bytes[bodyStart...]
        if let expected = meta.textBytes, expected != body.count {
            throw StatusError(.dataLoss, "page file of \(id) holds \(body.count) bytes of text where \(expected) were written: "
                              + "it was cut short or added to")
        }
        if let expected = meta.textHash, expected != textHash(body) {
            throw StatusError(.dataLoss, "page file of \(id) does not hold the text written (its checksum differs): it was damaged")
        }
        guard let text = String(validating: body, as: UTF8.self) else {
            throw StatusError(.dataLoss, "page text of \(id) is not UTF-8")
        }
        return file(id: id, text: text, meta: meta)
    }

    /// A .page file's metadata line and where its text starts.
    static func decodeHeader(_ bytes: [UInt8], id: String) throws -> (PageMetadata, Int) {
        let magic = Array(recordMagic.utf8)
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic,
              let newline = bytes[magic.count...].firstIndex(of: 0x0A) else {
            let header = Array("folio-page/".utf8)
            if bytes.starts(with: header), let end = bytes.firstIndex(of: 0x20) ?? bytes.firstIndex(of: 0x0A),
               case let version = String(decoding: bytes[header.count..<end], as: UTF8.self), version != "1" {
                throw StatusError(.dataLoss, "page file of \(id) is folio-page/\(version.prefix(16)), a format this foliod "
                                  + "does not read (it reads folio-page/1): was it written by a newer foliod?")
            }
            throw StatusError(.dataLoss, "page file of \(id) has no folio-page header")
        }
        do {
            return (try JSONDecoder().decode(PageMetadata.self, from: Data(bytes[magic.count..<newline])), newline + 1)
        } catch {
            throw StatusError(.dataLoss, "page file of \(id) has unreadable metadata: \(error)")
        }
    }

    /// The text's checksum in hex (WordHash: a cold start reads every page).
    static func textHash(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBytes { String(WordHash.fnv1a($0), radix: 16) }
    }

    /// Whether a page with this id is stored.
    public func exists(_ id: String) -> Bool {
        Self.fileNames(id).prefix(2).contains { FileManager.default.fileExists(atPath: pagesDirectory + "/" + $0) }
    }

    /// Writes the page as one file, durably, then drops its legacy .txt/.json if any; returns
    /// whether the page existed before.
    @discardableResult
    public func save(_ file: StoredPageFile) throws -> Bool {
        guard Self.isValidPageID(file.pageID) else {
            throw StatusError(.invalidArgument, "page id \"\(file.pageID)\" is not usable as a file name")
        }
        try checkStillServed()
        let base = pagesDirectory + "/" + file.pageID
        let existed = exists(file.pageID)
        let record = try Self.encodeRecord(file, ingestedUnixMs: UInt64(Date().timeIntervalSince1970 * 1000))
        try writeDurably(record, to: base + Self.recordExtension, name: file.pageID)
        // The .page file wins at load, so a crash before these removals changes nothing.
        for legacy in [".txt", ".json"] where FileManager.default.fileExists(atPath: base + legacy) { unlink(base + legacy) }
        try syncDirectory(existed: existed)
        return existed
    }

    /// The change is in the directory (renamed or unlinked) but the directory could not be synced:
    /// it is what the next start reads, though a crash before the disk settles may undo it.
    public struct UnsyncedChange: Error {
        public let existed: Bool
        public let error: StatusError
    }

    /// Removes a page's files; returns false when there was none.
    public func delete(_ id: String) throws -> Bool {
        try checkStillServed()
        guard exists(id) else { return false }
        for name in Self.fileNames(id) {
            let path = pagesDirectory + "/" + name
            if unlink(path) != 0 && errno != ENOENT { throw posixError("remove \(path)") }
        }
        try syncDirectory(existed: true)
        return true
    }

    func writeDurably(_ bytes: [UInt8], to path: String, name: String) throws {
        let temporary = pagesDirectory + "/" + Self.temporaryPrefix + name + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw posixError("create \(temporary)") }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw posixError("write \(temporary)")
                }
                offset += written
            }
            guard fsync(fd) == 0 else { throw posixError("fsync \(temporary)") }
        }
        guard rename(temporary, path) == 0 else { throw posixError("rename to \(path)") }
        ok = true
    }

    func syncDirectory(existed: Bool) throws {
        let fd = open(pagesDirectory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw UnsyncedChange(existed: existed, error: posixError("open \(pagesDirectory)")) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw UnsyncedChange(existed: existed, error: posixError("fsync \(pagesDirectory)")) }
    }

    /// A full disk, a quota or a file-size limit (LimitFSIZE=, `ulimit -f`) is RESOURCE_EXHAUSTED
    /// (the client may retry later; nothing stored before is touched); anything else INTERNAL.
    func posixError(_ what: String) -> StatusError {
        let code = errno
        if code == EROFS {
            return StatusError(.failedPrecondition, "cannot \(what): the data directory is read-only (the page was not stored)")
        }
        // A directory foliod's user may not write (restored with another owner or mode) is read-only to it.
        if code == EACCES || code == EPERM {
            return StatusError(.failedPrecondition, "cannot \(what): \(String(cString: strerror(code))): the data directory is "
                               + "read-only to foliod's user (its owner or mode; the page was not stored)")
        }
        let full = code == ENOSPC || code == EDQUOT || code == EFBIG
        return StatusError(full ? .resourceExhausted : .internal,
                           "cannot \(what): \(String(cString: strerror(code)))\(full ? " (the page was not stored)" : "")")
    }
}

import FolioWire
