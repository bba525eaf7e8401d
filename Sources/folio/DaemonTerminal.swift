import FolioBuildInfo
import FolioModel
import Foundation
import SwiftProtobuf

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to stdout/stderr, TTY detection and the few ANSI styles the human output uses.
enum Terminal {
    static let stdoutIsTTY = isatty(STDOUT_FILENO) == 1
    static let stderrIsTTY = isatty(STDERR_FILENO) == 1
    /// Colours only on a terminal and unless NO_COLOR is set (https://no-color.org).
    static let styled = stdoutIsTTY && getenv("NO_COLOR") == nil

    static func out(_ line: String) {
        StandardOutput.shared.write(line + "\n")
    }

    /// Text as it is, no line end added.
    static func write(_ text: String) {
        StandardOutput.shared.write(text)
    }

    static func error(_ message: String) {
        StandardError.write("folio: \(message)\n")
    }

    /// Rewrites the current stderr line (progress bars).
    static func status(_ text: String) {
        StandardError.write("\r\u{1B}[2K\(text)")
    }

    static func clearStatus() {
        StandardError.write("\r\u{1B}[2K")
    }

    static func bold(_ text: String) -> String { styled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    static func dim(_ text: String) -> String { styled ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    static func highlight(_ text: String) -> String { styled ? "\u{1B}[1;33m\(text)\u{1B}[0m" : text }

    /// The hint under a listing that has another page.
    static func moreHint(_ nextPageToken: String, extra: String = "") {
        guard !nextPageToken.isEmpty else { return }
        out(dim("more: --page-token \(nextPageToken)\(extra)"))
    }

    /// One message as a single line of proto3 JSON, with the counts and lists scripts read
    /// present even when zero or empty (`ScriptJSON`).
    static func json(_ message: some SwiftProtobuf.Message) throws {
        do {
            out(ScriptJSON.withDefaults(try FolioJSON.string(message), of: message))
        } catch {
            Terminal.error("cannot print \(type(of: message).protoMessageName) as JSON: \(error)")
            throw ExitCode(DaemonExit.failure)
        }
    }
}

import ArgumentParser
