import Foundation
import FolioClient

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// folio's open-file budget. SwiftNIO opens an epoll, an eventfd and a timerfd per event loop (one
/// loop per core) and traps, with a backtrace, when it cannot: under a tight `ulimit -n` folio
/// raises its soft limit to the hard one (as foliod does), and refuses at once with one line when
/// even that leaves too few descriptors.
enum FileLimit {
    /// Descriptors kept for folio itself beyond the event loops: the socket, page files, Swift's
    /// own runtime, and a few in reserve.
    static let ownUse = 16

    /// What a daemon command needs free: three per event loop and `ownUse`.
    static var needed: Int { 3 * FolioClient.defaultEventLoopCount + ownUse }

    /// Raises the soft limit; returns the refusal message when too few descriptors are free.
    static func raise() -> String? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        // Counting what is open costs a syscall per descriptor: only where the limit is tight.
        guard limit.rlim_cur < 4096 else { return nil }
        let soft = Int32(limit.rlim_cur)
        let open = (0..<soft).count { fcntl($0, F_GETFD) != -1 }
        let free = Int(soft) - open
        guard free < needed else { return nil }
        return "cannot start: too many open files (ulimit -n \(soft), \(open) already open); "
            + "folio needs \(needed) free file descriptors here"
    }
}
