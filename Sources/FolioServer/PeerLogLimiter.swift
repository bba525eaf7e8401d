import Logging
import NIOConcurrencyHelpers
import NIOCore

/// A rate limit on the log lines peers cause (bad frames, refusals, permission denied), per uid:
/// at most `linesPerWindow` lines per `window`, then nothing until the window ends; the uid's
/// next line after that is preceded by one "N more … suppressed" summary. One reader opening
/// connections in a loop could otherwise write thousands of lines a second into the journal and
/// push foliod's own lines out of its rate limit.
final class PeerLogLimiter: Sendable {
    private struct Window {
        var start: NIODeadline
        var logged = 0
        var suppressed = 0
    }
    private let windows = NIOLockedValueBox([UInt32: Window]())
    let linesPerWindow: Int
    let window: TimeAmount

    init(linesPerWindow: Int = 10, window: TimeAmount = .seconds(10)) {
        self.linesPerWindow = max(1, linesPerWindow)
        self.window = window
    }

    /// Whether a line about `uid` may be written now, and how many of its lines the window just
    /// ended suppressed (to be summarized first; 0 when none).
    func admit(uid: UInt32, now: NIODeadline = .now()) -> (log: Bool, suppressedBefore: Int) {
        windows.withLockedValue { windows in
            var summary = 0
            var current = windows[uid] ?? Window(start: now)
            if now - current.start >= window {
                summary = current.suppressed
                current = Window(start: now)
            }
            let log = current.logged < linesPerWindow
            if log { current.logged += 1 } else { current.suppressed += 1 }
            // Stale windows that owe no summary go (uids come and go; the table stays small).
            if windows.count >= 4096 {
                windows = windows.filter { now - $0.value.start < window || $0.value.suppressed > 0 }
            }
            windows[uid] = current
            return (log, summary)
        }
    }

    /// Writes `message` through `logger` unless `uid` has had its share of lines this window.
    func log(_ logger: Logger, uid: UInt32, _ level: Logger.Level, _ message: @autoclosure () -> Logger.Message,
             metadata: @autoclosure () -> Logger.Metadata? = nil) {
        guard logger.logLevel <= level else { return }
        let (log, suppressed) = admit(uid: uid)
        if suppressed > 0 {
            logger.notice("\(suppressed) more log lines about this peer's uid suppressed",
                          metadata: ["uid": "\(uid)", "window-seconds": "\(window.nanoseconds / 1_000_000_000)",
                                     "limit": "\(linesPerWindow)"])
        }
        if log { logger.log(level: level, message(), metadata: metadata()) }
    }
}
