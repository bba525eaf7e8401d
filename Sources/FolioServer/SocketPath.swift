import FolioWire
import Foundation

/// Errors of setting up the listening socket; foliod prints `message` and exits non-zero.
public struct SocketSetupError: Error, CustomStringConvertible {
    public enum Code: String, Sendable { case pathTooLong, socketInUse, notASocket, cannotCreateDirectory, permissions, bindFailed, activation }
    public let code: Code
    public let message: String
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { message }
}

/// Binding the listening socket. Where it lives is `FolioSocketPath`'s rule (FolioWire), shared by every program.
public enum SocketPath {
    /// sun_path holds 107 bytes and a NUL, but SwiftNIO, which binds the socket, takes at most 103
    /// (Darwin's size): a longer path must be refused here, not after the corpus is loaded.
    public static let maxPathBytes = 103

    /// Checks the length and prepares the path for bind(): creates the parent directory, and
    /// removes a stale socket file only after a connect() probe shows nobody listens on it.
    /// `runtimeDirectory`: the folder of a default socket path, which must be foliod's own
    /// (FolioSocketPath.runtimeDirectory); created 0700 (0755 for root's /run/folio, which
    /// group members reach through the socket's own 0660), refused when anyone else controls it.
    public static func prepareForBind(_ path: String, runtimeDirectory: String? = nil) throws {
        guard path.utf8.count <= maxPathBytes else {
            throw SocketSetupError(.pathTooLong,
                "socket path is \(path.utf8.count) bytes; foliod can listen on a path of at most \(maxPathBytes) bytes: \(path)")
        }
        let parent = (path as NSString).deletingLastPathComponent
        if let runtimeDirectory, let reason = FolioSocketPath.untrustedReason(directory: runtimeDirectory, isDaemon: true) {
            throw SocketSetupError(.permissions, "refusing the runtime folder: \(reason); remove it or pass --socket")
        }
        if !parent.isEmpty && !FileManager.default.fileExists(atPath: parent) {
            // A user's default runtime folder is theirs alone (0700). A path given by --socket, or
            // root's /run/folio, is shared: the socket file's mode and group decide who connects,
            // and a 0700 folder above it would shut out the --socket-group it was given (tmpfiles.d
            // makes /run/folio 0755 for the same reason).
            let shared = runtimeDirectory == nil || (getuid() == 0 && parent == "/run/folio")
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: shared ? 0o755 : 0o700])
            } catch {
                throw SocketSetupError(.cannotCreateDirectory, "cannot create \(parent) for the socket: \(error.localizedDescription)")
            }
            // Someone may have raced us to it.
            if let runtimeDirectory, let reason = FolioSocketPath.untrustedReason(directory: runtimeDirectory, isDaemon: true) {
                throw SocketSetupError(.permissions, "refusing the runtime folder: \(reason); remove it or pass --socket")
            }
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { return }  // nothing there
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw SocketSetupError(.notASocket, "\(path) exists and is not a socket; refusing to replace it")
        }
        if isListening(path) {
            throw SocketSetupError(.socketInUse, "another foliod is already listening on \(path)")
        }
        unlink(path)  // stale: left by a daemon that died
    }

    /// True when something accepts connections on the socket at `path`.
    public static func isListening(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    /// Applies the configured mode and group to the bound socket file.
    public static func applyPermissions(_ path: String, mode: UInt16, group: String?) throws {
        if let group {
            guard let gid = groupID(group) else {
                throw SocketSetupError(.permissions, "unknown group \(group) for --socket-group")
            }
            guard chown(path, uid_t.max, gid) == 0 else {
                throw SocketSetupError(.permissions, "cannot give \(path) to group \(group): \(String(cString: strerror(errno)))")
            }
        }
        guard chmod(path, mode_t(mode)) == 0 else {
            throw SocketSetupError(.permissions, "cannot chmod \(path): \(String(cString: strerror(errno)))")
        }
    }

    public static func groupID(_ name: String) -> gid_t? {
        if let number = gid_t(name) { return number }
        guard let entry = getgrnam(name) else { return nil }
        return entry.pointee.gr_gid
    }
}
