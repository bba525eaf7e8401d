import FolioModel
import Foundation

/// One page as stored on disk: its raw text (the source of truth) and ingest metadata.
public struct StoredPageFile: Sendable, Equatable {
    public var pageID: String
    public var text: String
    public var source: String
    public var info: Folio_V1_PageInfo?

    public init(pageID: String, text: String, source: String, info: Folio_V1_PageInfo?) {
        self.pageID = pageID
        self.text = text
        self.source = source
        self.info = info
    }
}

/// Ingest metadata, kept beside the text as <pageId>.json.
struct PageMetadata: Codable, Equatable {
    var source: String
    var publication: String?
    var date: String?
    var pageLabel: String?
    var ingestedUnixMs: UInt64?
}

/// DATA/pages/<pageId>.txt + <pageId>.json. Writes are durable before they return: temporary
/// file, fsync, rename, fsync of the directory. Temporary names start with ".tmp-" and are
/// removed at start-up (a daemon killed mid-write leaves only those).
public struct PageRepository: Sendable {
    public let root: String
    public var pagesDirectory: String { root + "/pages" }
    static let temporaryPrefix = ".tmp-"

    public init(root: String) {
        self.root = root
    }

    /// Page ids become file names: 1–128 of [A-Za-z0-9_.-], not starting with a dot.
    public static func isValidPageID(_ id: String) -> Bool {
        guard !id.isEmpty, id.utf8.count <= 128, id.first != "." else { return false }
        return id.utf8.allSatisfy { b in
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
                || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
        }
    }

    /// Creates pages/ and removes half-written temporary files. Returns how many were removed.
    @discardableResult
    public func prepare() throws -> Int {
        try FileManager.default.createDirectory(atPath: pagesDirectory, withIntermediateDirectories: true)
        var removed = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: pagesDirectory)
        where name.hasPrefix(Self.temporaryPrefix) {
            try? FileManager.default.removeItem(atPath: pagesDirectory + "/" + name)
            removed += 1
        }
        return removed
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
                unreadable.append("\(id).txt: \(error)")
            }
        }
        return (pages, unreadable)
    }

    /// Ids of the stored pages, sorted, plus file names that are not valid page ids.
    public func pageIDs() throws -> (ids: [String], problems: [String]) {
        let names = try FileManager.default.contentsOfDirectory(atPath: pagesDirectory)
        var ids: [String] = []
        var problems: [String] = []
        for name in names.sorted() where name.hasSuffix(".txt") && !name.hasPrefix(".") {
            let id = String(name.dropLast(4))
            if Self.isValidPageID(id) { ids.append(id) } else { problems.append("\(name): not a valid page id") }
        }
        return (ids, problems)
    }

    public func load(_ id: String) throws -> StoredPageFile {
        let textURL = URL(fileURLWithPath: pagesDirectory + "/" + id + ".txt")
        let data = try Data(contentsOf: textURL)
        guard let text = String(data: data, encoding: .utf8) else {
            throw StatusError(.dataLoss, "page text is not UTF-8")
        }
        var file = StoredPageFile(pageID: id, text: text, source: id + ".txt", info: nil)
        let metaPath = pagesDirectory + "/" + id + ".json"
        if FileManager.default.fileExists(atPath: metaPath) {
            let meta = try JSONDecoder().decode(PageMetadata.self, from: Data(contentsOf: URL(fileURLWithPath: metaPath)))
            file.source = meta.source
            if meta.publication != nil || meta.date != nil || meta.pageLabel != nil {
                var info = Folio_V1_PageInfo()
                info.publication = meta.publication ?? ""
                info.date = meta.date ?? ""
                info.pageLabel = meta.pageLabel ?? ""
                file.info = info
            }
        }
        return file
    }

    /// Writes metadata then text, each durably; returns whether the page existed before.
    @discardableResult
    public func save(_ file: StoredPageFile) throws -> Bool {
        precondition(Self.isValidPageID(file.pageID))
        let base = pagesDirectory + "/" + file.pageID
        let existed = FileManager.default.fileExists(atPath: base + ".txt")
        var meta = PageMetadata(source: file.source)
        if let info = file.info {
            meta.publication = info.publication.isEmpty ? nil : info.publication
            meta.date = info.date.isEmpty ? nil : info.date
            meta.pageLabel = info.pageLabel.isEmpty ? nil : info.pageLabel
        }
        meta.ingestedUnixMs = UInt64(Date().timeIntervalSince1970 * 1000)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try writeDurably(Array(encoder.encode(meta)), to: base + ".json", name: file.pageID)
        try writeDurably(Array(file.text.utf8), to: base + ".txt", name: file.pageID)
        try syncDirectory()
        return existed
    }

    /// Removes a page's files; returns false when there was none.
    public func delete(_ id: String) throws -> Bool {
        let base = pagesDirectory + "/" + id
        guard FileManager.default.fileExists(atPath: base + ".txt") else { return false }
        try FileManager.default.removeItem(atPath: base + ".txt")
        try? FileManager.default.removeItem(atPath: base + ".json")
        try syncDirectory()
        return true
    }

    private func writeDurably(_ bytes: [UInt8], to path: String, name: String) throws {
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

    private func syncDirectory() throws {
        let fd = open(pagesDirectory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw posixError("open \(pagesDirectory)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw posixError("fsync \(pagesDirectory)") }
    }

    private func posixError(_ what: String) -> StatusError {
        StatusError(.internal, "cannot \(what): \(String(cString: strerror(errno)))")
    }
}

import FolioWire
