import Foundation

/// foliod cannot fit its connections in the open-file limit (exit 64, like a bad flag: the cure is
/// a lower --max-connections or a higher limit).
public struct DescriptorLimitError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

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
            throw DescriptorLimitError(message: refusal(connections: connections, needed: needed, hardLimit: UInt64(limit.rlim_max)))
        }
        limit.rlim_cur = rlim_t(needed)
        guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
            throw DescriptorLimitError(message: "cannot raise the open-file limit to \(needed): \(String(cString: strerror(errno)))")
        }
        return needed
    }

    /// What to do about a hard limit below `needed`: a --max-connections that fits (never 0,
    /// which foliod refuses), or, when not even one connection fits, the least limit that works.
    static func refusal(connections: Int, needed: UInt64, hardLimit: UInt64) -> String {
        let head = "--max-connections \(connections) needs \(needed) file descriptors, but this process may open at most \(hardLimit) (RLIMIT_NOFILE)"
        let raise = "(LimitNOFILE= in the unit, ulimit -n)"
        guard hardLimit > ownUse else {
            return "\(head); foliod needs at least \(ownUse + 1) (one connection): raise the limit to at least \(ownUse + 1) \(raise)"
        }
        return "\(head); lower --max-connections to \(hardLimit - ownUse) or raise the limit \(raise)"
    }
}
