import Foundation
import Synchronization

/// A fresh directory under /tmp for one test. Short on purpose: a Unix socket path inside it may
/// not exceed 107 bytes. Every directory made is removed when the test process exits (many tests
/// keep theirs to the end, and a day of test runs left over a thousand behind).
public enum TemporaryDirectory {
    public struct CreateError: Error, CustomStringConvertible {
        public let description: String
    }

    /// `/tmp/<prefix>-XXXXXX`, created.
    public static func make(prefix: String = "folio-test") throws -> String {
        var bytes = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard mkdtemp(&bytes) != nil else { throw CreateError(description: "mkdtemp failed: errno \(errno)") }
        let path = String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        made.withLock { state in
            if !state.removalRegistered {
                state.removalRegistered = true
                atexit { TemporaryDirectory.removeAll() }
            }
            state.paths.append(path)
        }
        return path
    }

    private struct Made {
        var paths: [String] = []
        var removalRegistered = false
    }

    private static let made = Mutex(Made())

    private static func removeAll() {
        let paths = made.withLock { state in
            defer { state.paths = [] }
            return state.paths
        }
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
    }
}
