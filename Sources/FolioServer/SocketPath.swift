import Foundation

/// Errors of setting up the listening socket; foliod prints `message` and exits non-zero.
public struct SocketSetupError: Error, CustomStringConvertible {
    public enum Code: String { case pathTooLong, socketInUse, notASocket, cannotCreateDirectory, permissions, bindFailed, activation }
    public let code: Code
    public let message: String
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { message }
}

public enum SocketPath {
    /// sockaddr_un.sun_path holds 108 bytes including the terminating NUL.
    public static let maxPathBytes = 107

    /// The one rule every Folio program uses: --socket, else $FOLIO_SOCKET, else
    /// $XDG_RUNTIME_DIR/folio/foliod.sock, else /run/folio/foliod.sock for root,
    /// else /tmp/folio-<uid>/foliod.sock.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                               uid: uid_t = getuid()) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = environment["FOLIO_SOCKET"], !env.isEmpty { return env }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { return runtime + "/folio/foliod.sock" }
        if uid == 0 { return "/run/folio/foliod.sock" }
        return "/tmp/folio-\(uid)/foliod.sock"
    }

    /// Checks the length and prepares the path for bind(): creates the parent directory, and
    /// removes a stale socket file only after a connect() probe shows nobody listens on it.
    public static func prepareForBind(_ path: String) throws {
        guard path.utf8.count <= maxPathBytes else {
            throw SocketSetupError(.pathTooLong,
                "socket path is \(path.utf8.count) bytes; a Unix socket path may have at most \(maxPathBytes): \(path)")
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && !FileManager.default.fileExists(atPath: parent) {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o755])
            } catch {
                throw SocketSetupError(.cannotCreateDirectory, "cannot create \(parent) for the socket: \(error.localizedDescription)")
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
            let bytes = Array(path.utf8.prefix(maxPathBytes))
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

    static func groupID(_ name: String) -> gid_t? {
        if let number = gid_t(name) { return number }
        guard let entry = getgrnam(name) else { return nil }
        return entry.pointee.gr_gid
    }
}
