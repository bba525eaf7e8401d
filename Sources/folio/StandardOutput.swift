import FolioBuildInfo
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// folio's standard output, buffered and checked. A write that fails ends folio: with a message and
/// exit 1 (a full disk must not leave a cut file behind an exit 0), or, when the reader went away
/// (`folio list --all | head -1`), by SIGPIPE, as the commands that never ignored it always did.
final class StandardOutput: @unchecked Sendable {
    static let shared = StandardOutput(descriptor: STDOUT_FILENO, flushEachWrite: Terminal.stdoutIsTTY)

    private let descriptor: Int32
    private let flushEachWrite: Bool
    private let lock = NSLock()
    private var buffer: [UInt8] = []

    init(descriptor: Int32, flushEachWrite: Bool) {
        self.descriptor = descriptor
        self.flushEachWrite = flushEachWrite
    }

    func write(_ text: String) {
        lock.withLock {
            buffer.append(contentsOf: text.utf8)
            if flushEachWrite || buffer.count >= 1 << 16 { flushLocked() }
        }
    }

    func flush() {
        lock.withLock { flushLocked() }
    }

    private func flushLocked() {
        if let code = writeAll(descriptor, buffer) { Self.fail(code) }
        buffer.removeAll(keepingCapacity: true)
    }

    private static func fail(_ code: Int32) -> Never {
        if code == EPIPE {
            signal(SIGPIPE, SIG_DFL)
            raise(SIGPIPE)
        }
        Terminal.error("standard output: write failed (\(String(cString: strerror(code))))")
        exit(DaemonExit.failure)
    }
}
