import FolioText
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The page files of a folder tree: every *.txt and *.pdf (any case), hidden entries skipped,
/// symbolic links followed — to files, and to folders once each, so a link back up is no loop (a
/// folder of links to today's pages, a git-annex archive). What cannot be ingested is said, never
/// skipped in silence: a page whose name is not UTF-8 (folio names files in UTF-8), a broken link,
/// a folder that cannot be read.
struct PageFolder {
    /// Paths as `root` was given, and each file's path inside `root` (its page id's source).
    private(set) var files: [(path: String, source: String)] = []
    private(set) var refused: [String] = []
    private var visited: Set<[UInt64]> = []

    init(root: String) {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        var info = stat()
        if stat(root, &info) == 0 { visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]) }
        walk(root, relative: "")
        files.sort { $0.path < $1.path }
    }

    static func isPageName(_ name: some Collection<UInt8>) -> Bool {
        let lower = name.suffix(4).map { $0 | 0x20 }  // ASCII lower case; "." stays "."
        return lower == Array(".txt".utf8) || lower == Array(".pdf".utf8)
    }

    private mutating func walk(_ directory: String, relative: String) {
        guard let handle = opendir(directory) else {
            refused.append("\(directory): cannot read the folder (\(String(cString: strerror(errno))))")
            return
        }
        var names: [String] = []
        while let entry = readdir(handle) {
            let bytes = DirectoryEntry.nameBytes(entry)
            guard bytes.first != UInt8(ascii: ".") else { continue }  // hidden, and . and ..
            guard let name = String(validating: bytes, as: UTF8.self) else {
                if Self.isPageName(bytes) || Self.isFolder(directory: directory, rawName: bytes) {
                    refused.append("\(directory)/\(Self.escaped(bytes)): the name is not UTF-8, so folio cannot name "
                        + "it (rename it, e.g. convmv -f gbk -t utf-8 -r --notest \(directory))")
                }
                continue
            }
            names.append(name)
        }
        closedir(handle)
        for name in names.sorted() {
            let path = directory + "/" + name
            var info = stat()
            guard stat(path, &info) == 0 else {
                if Self.isPageName(name.utf8) {
                    refused.append("\(path): cannot read it (\(String(cString: strerror(errno))); a broken link?)")
                }
                continue
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                if visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted {
                    walk(path, relative: relative + name + "/")
                }
            case S_IFREG where Self.isPageName(name.utf8):
                files.append((path, relative + name))
            default:
                continue
            }
        }
    }

    private static func isFolder(directory: String, rawName: [UInt8]) -> Bool {
        var path = Array(directory.utf8) + [UInt8(ascii: "/")] + rawName + [0]
        var info = stat()
        return path.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { stat($0.baseAddress!, &info) == 0 }
        } && info.st_mode & S_IFMT == S_IFDIR
    }

    /// A file name as one field of a line of output: control characters (a newline, a tab: legal in
    /// names) as \xNN, so that a script reading lines and tab-separated fields sees one page per line.
    static func oneField(_ name: String) -> String {
        guard name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return name }
        return name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? String(format: "\\x%02x", $0.value) : String($0) }.joined()
    }

    /// A name's bytes as text: printable ASCII as it is, \xNN for every other byte.
    static func escaped(_ bytes: [UInt8]) -> String {
        bytes.map { $0 >= 0x20 && $0 < 0x7F ? String(UnicodeScalar($0)) : String(format: "\\x%02x", $0) }.joined()
    }
}
