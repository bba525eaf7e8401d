import Foundation

/// foliod needs a descriptor per connection plus a few for itself (listening socket, page
/// files, snapshot, event loop internals). Checked at start rather than discovered as EMFILE.
enum FileDescriptorLimit {
    /// Descriptors kept for everything that is not a connection.
    static let ownUse: UInt64 = 64

    /// Raises the soft RLIMIT_NOFILE to what `connections` need (up to the hard limit), and
    /// returns the soft limit in force; throws a clear error when even the hard limit is too low.
    static func ensure(forConnections connections: Int) throws -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        let needed = UInt64(max(0, connections)) + ownUse
        if limit.rlim_cur >= needed { return UInt64(limit.rlim_cur) }
        guard limit.rlim_max >= needed else {
            throw SocketSetupError(.permissions, """
                --max-connections \(connections) needs \(needed) file descriptors, but this process may open \
                at most \(limit.rlim_max) (RLIMIT_NOFILE); lower --max-connections to \
                \(max(0, Int(limit.rlim_max) - Int(ownUse))) or raise the limit (LimitNOFILE= in the unit, ulimit -n)
                """)
        }
        limit.rlim_cur = rlim_t(needed)
        guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
            throw SocketSetupError(.permissions, "cannot raise the open-file limit to \(needed): \(String(cString: strerror(errno)))")
        }
        return needed
    }
}
