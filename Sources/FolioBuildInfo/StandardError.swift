#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Diagnostics and logs on standard error, written with write(2): when stderr is a closed pipe
/// (`folio … 2>&1 | head -1`, a log reader gone) the line is lost, not the process. Foundation's
/// `FileHandle.write` traps on EPIPE, which killed folio with SIGILL and could kill foliod at its
/// next log line.
public enum StandardError {
    public static func write(_ text: String) {
        _ = writeAll(STDERR_FILENO, Array(text.utf8))
    }
}

/// Writes every byte to `descriptor`, again after EINTR; the errno that stopped it, nil when all went.
public func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32? {
    var written = 0
    while written < bytes.count {
        let count = bytes.withUnsafeBytes { raw in
            #if canImport(Glibc)
            Glibc.write(descriptor, raw.baseAddress! + written, raw.count - written)
            #else
            Darwin.write(descriptor, raw.baseAddress! + written, raw.count - written)
            #endif
        }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return count < 0 ? errno : EIO }
        written += count
    }
    return nil
}
