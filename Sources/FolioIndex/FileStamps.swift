#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Name, size, modification time and inode of the files under a directory, read with `readdir` and
/// `fstatat` (Foundation's enumerator and `attributesOfItem` took about half a second for 10,000
/// page files, single-threaded, before a cold or warm start could begin).
enum FileStamps {
    struct Stamp {
        let relativePath: String
        let size: UInt64
        let modifiedNanoseconds: Int64
        /// A file replaced by a rename is a new inode, whatever its size and time: on a file system
        /// with whole-second times a same-size replace in the second of a snapshot keeps both.
        let inode: UInt64
    }

    /// Regular files under `directory` (recursively, symbolic links not followed) whose extension
    /// is one of `extensions`; unreadable folders are left out.
    static func collect(under directory: String, extensions: Set<String>) -> [Stamp] {
        var stamps: [Stamp] = []
        walk(directory, prefix: "", extensions: extensions, into: &stamps)
        return stamps
    }

    private static func walk(_ directory: String, prefix: String, extensions: Set<String>, into stamps: inout [Stamp]) {
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        let folder = dirfd(stream)
        var subfolders: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            // The entry's own bytes (a name that is not UTF-8 would not survive the String).
            var info = stat()
            let found = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { fstatat(folder, $0, &info, AT_SYMLINK_NOFOLLOW) }
            }
            guard found == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                subfolders.append(name)
            case S_IFREG:
                guard let dot = name.lastIndex(of: "."), extensions.contains(String(name[name.index(after: dot)...])) else { continue }
                stamps.append(Stamp(relativePath: prefix + name, size: UInt64(info.st_size),
                                    modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                                    inode: UInt64(info.st_ino)))
            default:
                continue
            }
        }
        for name in subfolders { walk(directory + "/" + name, prefix: prefix + name + "/", extensions: extensions, into: &stamps) }
    }
}
