import ArgumentParser
import FolioClient
import FolioModel
import FolioTestSupport
import Foundation

/// `folio-bench churn`: pages replaced at a steady rate on the start-up benchmark's archive (warm
/// start from its snapshot), with Health and Search probes beside the writes. What an operator's
/// liveness probe and its writers see while the index rebuilds segments that lost a tenth of their
/// documents (a segment of a 100,000-article archive takes seconds to rebuild).
struct ChurnBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "churn",
        abstract: "Ingest latency and Health/Search probe latency while pages are replaced at a steady rate.",
        discussion: """
            Links the start-up benchmark's data directory (folio-bench startup builds it; its snapshot must be \
            there) into a temporary one, starts foliod on it, replaces --writes pages by the text of other pages \
            (Ingest with replace, --rate per second, one writer) while probing Health and a Search every \
            --probe-ms, and prints latency percentiles and the worst of each. Prints figures; asserts nothing.
            """
    )

    @Option(help: "Data directory of `folio-bench startup` to copy (its pages and snapshot).")
    var data = "/tmp/folio-startup-100000"

    @Option(help: "foliod binary (default: the one next to folio-bench).")
    var foliod: String?

    @Option(help: "Pages replaced.")
    var writes = 1200

    @Option(help: "Replacements per second (at most: one writer waits for each answer).")
    var rate = 8.0

    @Option(name: .customLong("probe-ms"), help: "Milliseconds between probes.")
    var probeMs = 50

    @Option(help: "Seed of the choice of pages.")
    var seed: UInt64 = 1

    func run() async throws {
        let binary = foliod ?? BenchDaemon.siblingExecutable("foliod")
        guard FileManager.default.fileExists(atPath: data + "/snapshot/archive.folio") else {
            throw BenchError(description: "no snapshot in \(data): run folio-bench startup first")
        }
        let work = try BenchDaemon.temporaryDirectory(prefix: "folio-churn")
        defer { try? FileManager.default.removeItem(atPath: work) }
        // Hard links: the snapshot's file stamps (inode, size, time) still match, so foliod starts warm;
        // foliod writes every page and snapshot to a new file and renames it, never into these.
        let copy = work + "/data"
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        for part in ["pages", "snapshot"] {
            let link = Process()
            link.executableURL = URL(fileURLWithPath: "/bin/cp")
            link.arguments = ["-al", data + "/" + part, copy + "/" + part]
            try link.run()
            link.waitUntilExit()
            guard link.terminationStatus == 0 else { throw BenchError(description: "cp -al \(data)/\(part) failed") }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: copy + "/pages").filter { $0.hasSuffix(".txt") }.sorted()
        guard names.count >= 2 else { throw BenchError(description: "no page files in \(data)/pages") }

        let daemon = try await StartedDaemon.start(binary: binary, data: copy, work: work, run: 0)
        defer { daemon.stop() }
        print("foliod \(binary): \(daemon.pages) pages, \(daemon.articles) articles, ready in "
              + String(format: "%.2f s", daemon.secondsToReady))
        // Another build's snapshot is not used: the pages are parsed and a snapshot written, which
        // the writes should not share the machine with.
        if !daemon.logMentions("loaded from snapshot") { _ = await daemon.waitForLog("snapshot written", seconds: 900) }
        let before = daemon.memory()
        let socket = work + "/foliod.sock"
        let writer = FolioClient(socketPath: socket, configuration: .init(defaultTimeout: .seconds(600)))
        let prober = FolioClient(socketPath: socket, configuration: .init(defaultTimeout: .seconds(600)))
        defer { writer.close(); prober.close() }

        var random = SplitMix64(seed: seed)
        let plan: [(target: String, text: String)] = try (0..<writes).map { _ in
            let target = names[Int(random.next() % UInt64(names.count))]
            let source = names[Int(random.next() % UInt64(names.count))]
            let text = try String(contentsOfFile: copy + "/pages/" + source, encoding: .utf8)
            return (String(target.dropLast(4)), text + "\n(churn \(target))\n")
        }
        let started = ContinuousClock.now
        let probes = Task { () -> (health: [Double], search: [Double]) in
            var health: [Double] = [], search: [Double] = []
            while !Task.isCancelled {
                var clock = ContinuousClock.now
                _ = try? await prober.health()
                health.append(Self.milliseconds(since: clock))
                clock = ContinuousClock.now
                _ = try? await prober.search("经济", limit: 10)
                search.append(Self.milliseconds(since: clock))
                try? await Task.sleep(for: .milliseconds(probeMs))
            }
            return (health, search)
        }
        var ingests: [Double] = [], failures = 0
        for (index, write) in plan.enumerated() {
            let due = started + .milliseconds(Int(Double(index) * 1000 / rate))
            if ContinuousClock.now < due { try await Task.sleep(until: due, clock: .continuous) }
            var request = Folio_V1_IngestRequest()
            request.text = write.text
            request.pageID = write.target
            request.replace = true
            let clock = ContinuousClock.now
            do { _ = try await writer.ingest(request) } catch { failures += 1 }
            ingests.append(Self.milliseconds(since: clock))
        }
        let elapsed = Self.milliseconds(since: started) / 1000
        probes.cancel()
        let (health, search) = await probes.value
        print(String(format: "%d pages replaced in %.1f s (%.1f/s), %d failed", writes, elapsed, Double(writes) / elapsed, failures))
        print(Self.row("Ingest", ingests))
        print(Self.row("Health probe", health))
        print(Self.row("Search probe", search))
        let after = daemon.memory()
        // The snapshot the writes scheduled (--snapshot-delay after the last), then what stays resident.
        let written = daemon.logCount("snapshot written")
        _ = await daemon.waitForLog(count: written + 1, of: "snapshot written", seconds: 900)
        let settled = daemon.memory()
        print("VmRSS before the writes \(StartupBenchmark.megabytes(before.rss)) MB, after \(StartupBenchmark.megabytes(after.rss)) MB, "
              + "after the next snapshot \(StartupBenchmark.megabytes(settled.rss)) MB; VmHWM \(StartupBenchmark.megabytes(settled.peak)) MB")
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    static func row(_ label: String, _ values: [Double]) -> String {
        let sorted = values.sorted()
        let summary = LatencySummary(values)
        let over = { (limit: Double) in sorted.filter { $0 > limit }.count }
        return String(format: "  %-13@ %6d calls: median %.1f ms, p99 %.1f ms, worst %.1f ms; over 1 s: %d, over 5 s: %d",
                      label as NSString, values.count, summary.median, summary.p99, sorted.last ?? 0, over(1000), over(5000))
    }
}
