import FolioBuildInfo
import Foundation
import Logging

/// Log lines for the journal: when stderr is the journal (systemd sets JOURNAL_STREAM to its
/// device:inode), each line starts with its syslog priority (`<3>` error … `<7>` debug), which
/// journald strips and records, so `journalctl -p err` filters foliod's lines. The journal
/// stamps time itself: no timestamp in the line.
struct JournalLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    let label: String

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// True when fd 2 is the stream JOURNAL_STREAM names.
    static func stderrIsJournal(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let stream = environment["JOURNAL_STREAM"] else { return false }
        let parts = stream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(STDERR_FILENO, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }

    /// sd-daemon(3) priorities: the syslog levels.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    static func line(level: Logger.Level, label: String, message: Logger.Message, metadata: Logger.Metadata) -> String {
        let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let text = "\(label): \(message)\(fields.isEmpty ? "" : " \(fields)")"
        // A newline would start a new journal entry without a priority: keep one entry per call.
        return "<\(priority(level))>\(text.replacingOccurrences(of: "\n", with: " "))\n"
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let text = Self.line(level: event.level, label: label, message: event.message, metadata: merged)
        StandardError.write(text)
    }
}
