#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a whole file that must be a regular file, and nothing else: not through a symbolic
/// link, and never blocking on a FIFO or a device someone put in its place.
public enum RegularFile {
    public enum Failure: Error, Equatable, Sendable {
        case missing
        /// What is there instead of a regular file: "a symbolic link", "a directory", "a FIFO", …
        case notRegular(String)
        case tooLarge(limit: Int)
        case unreadable(errno: Int32)

        public var message: String {
            switch self {
            case .missing: return "no such file"
            case .notRegular(let kind): return "is \(kind), not a regular file"
            case .tooLarge(let limit): return "larger than \(limit) bytes"
            case .unreadable(let code): return String(cString: strerror(code))
            }
        }
    }

    /// The bytes of the regular file at `path` (at most `limit`).
    public static func read(_ path: String, limit: Int = Int.max) -> Result<[UInt8], Failure> {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .failure(errno == ENOENT ? .missing : .unreadable(errno: errno)) }
        if let kind = kindOtherThanRegular(info.st_mode) { return .failure(.notRegular(kind)) }
        // O_NONBLOCK: a FIFO swapped in after the lstat does not block the open; fstat tells.
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .failure(errno == ELOOP ? .notRegular("a symbolic link") : .unreadable(errno: errno)) }
        defer { close(fd) }
        guard fstat(fd, &info) == 0 else { return .failure(.unreadable(errno: errno)) }
        if let kind = kindOtherThanRegular(info.st_mode) { return .failure(.notRegular(kind)) }
        if Int(info.st_size) > limit { return .failure(.tooLarge(limit: limit)) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.unreadable(errno: errno))
            }
            if n == 0 { return .success(bytes) }
            if bytes.count + n > limit { return .failure(.tooLarge(limit: limit)) }  // grew while read
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    private static func kindOtherThanRegular(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFLNK: return "a symbolic link"
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        default: return "an unknown kind of file"
        }
    }
}
