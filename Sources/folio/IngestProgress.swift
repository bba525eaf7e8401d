import Foundation
import NIOConcurrencyHelpers

/// The progress bar of `folio ingest`, drawn on stderr when it is a terminal.
final class IngestProgress: Sendable {
    private struct Counts {
        var done = 0
        var failed = 0
    }

    private let total: Int
    private let enabled: Bool
    private let started = ContinuousClock.now
    private let counts = NIOLockedValueBox(Counts())

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
        draw(Counts())
    }

    func advance(failed: Bool) {
        let now: Counts = counts.withLockedValue { counts in
            counts.done += 1
            if failed { counts.failed += 1 }
            return counts
        }
        draw(now)
    }

    /// Removes the bar so that a result line can be printed cleanly; the next advance redraws it.
    func clear() {
        if enabled { Terminal.clearStatus() }
    }

    func finish() {
        if enabled { Terminal.clearStatus() }
    }

    private func draw(_ counts: Counts) {
        guard enabled else { return }
        let width = 30
        let filled = total == 0 ? width : counts.done * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let elapsed = (ContinuousClock.now - started).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(counts.done) / seconds : 0
        let failures = counts.failed > 0 ? "  \(counts.failed) failed" : ""
        Terminal.status("\(bar) \(counts.done)/\(total) pages  \(String(format: "%.1f", rate))/s\(failures)")
    }
}
