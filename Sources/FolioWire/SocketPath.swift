#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where foliod listens. Every Folio program (daemon, CLI, clients) applies the same rule:
/// `--socket`, else `$FOLIO_SOCKET`, else `$XDG_RUNTIME_DIR/folio/foliod.sock`, else
/// `/run/folio/foliod.sock` for root, else `/tmp/folio-<uid>/foliod.sock`.
/// A path rule, not a socket: the daemon binds and the clients connect elsewhere.
public enum FolioSocketPath {
    public static func resolve(explicit: String? = nil,
                               environment: [String: String] = currentEnvironment(),
                               uid: UInt32 = UInt32(getuid())) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnv = environment["FOLIO_SOCKET"], !fromEnv.isEmpty { return fromEnv }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            return runtime.hasSuffix("/") ? "\(runtime)folio/foliod.sock" : "\(runtime)/folio/foliod.sock"
        }
        if uid == 0 { return "/run/folio/foliod.sock" }
        return "/tmp/folio-\(uid)/foliod.sock"
    }

    /// The folder of a default path (no --socket, no $FOLIO_SOCKET) that only `uid` may control;
    /// nil for a path the user named, which is trusted as given.
    public static func runtimeDirectory(of path: String, explicit: String? = nil,
                                        environment: [String: String] = currentEnvironment(),
                                        uid: UInt32 = UInt32(getuid())) -> String? {
        if let explicit, !explicit.isEmpty { return nil }
        if let fromEnv = environment["FOLIO_SOCKET"], !fromEnv.isEmpty { return nil }
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return nil }
        return String(path[..<slash])
    }

    /// Why `directory` may not be trusted to hold the socket, or nil when it may: it must be a
    /// real folder (not a symlink), owned by `uid`, and writable by nobody else: anyone could
    /// have made /tmp/folio-<uid> first and put their own socket in it. A root client also
    /// trusts another owner under /run (systemd's RuntimeDirectory of a foliod running as its
    /// own user), since only root creates folders there; the daemon never does.
    public static func untrustedReason(directory: String, uid: UInt32 = UInt32(getuid()), isDaemon: Bool = false) -> String? {
        var info = stat()
        guard lstat(directory, &info) == 0 else { return nil }   // absent: the daemon creates it
        if (info.st_mode & S_IFMT) == S_IFLNK { return "\(directory) is a symbolic link" }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return "\(directory) is not a folder" }
        if info.st_uid != uid && (isDaemon || !(uid == 0 && directory.hasPrefix("/run/"))) {
            return "\(directory) belongs to uid \(info.st_uid), not \(uid)"
        }
        if info.st_mode & 0o022 != 0 {
            return "\(directory) is writable by group or others (mode \(String(info.st_mode & 0o7777, radix: 8)))"
        }
        return nil
    }

    /// The process environment as a dictionary (read once per call; cheap next to a connect).
    public static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let pair = String(cString: entry)
            if let equals = pair.firstIndex(of: "=") {
                result[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            cursor += 1
        }
        return result
    }
}
