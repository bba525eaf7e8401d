import Foundation

/// A fresh directory under /tmp for one test. Short on purpose: a Unix socket path inside it may
/// not exceed 107 bytes.
public enum TemporaryDirectory {
    public struct CreateError: Error, CustomStringConvertible {
        public let description: String
    }

    /// `/tmp/<prefix>-XXXXXX`, created.
    public static func make(prefix: String = "folio-test") throws -> String {
        var bytes = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard mkdtemp(&bytes) != nil else { throw CreateError(description: "mkdtemp failed: errno \(errno)") }
        return String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
