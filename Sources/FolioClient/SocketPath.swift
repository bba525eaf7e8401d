#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where foliod listens. Every Folio program (daemon, CLI, clients) applies the same rule:
/// `--socket`, else `$FOLIO_SOCKET`, else `$XDG_RUNTIME_DIR/folio/foliod.sock`, else
/// `/run/folio/foliod.sock` for root, else `/tmp/folio-<uid>/foliod.sock`.
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
