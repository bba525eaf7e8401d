import FolioModel
import FolioStore
import FolioWire
import Foundation
import NIOConcurrencyHelpers

/// Request counts and latency percentiles per method. Latencies are kept in a ring of the
/// most recent samples per method, so percentiles describe current behaviour in bounded memory.
final class ServerStats: Sendable {
    private struct MethodRecord {
        var calls: UInt64 = 0
        var errors: UInt64 = 0
        var samples: [Double] = []
        var next = 0
    }

    static let samplesPerMethod = 4096
    private let records = NIOLockedValueBox([MethodRecord](repeating: MethodRecord(), count: FolioMethod.allCases.count))

    func record(method: FolioMethod, micros: Double, failed: Bool) {
        let ordinal = method.ordinal
        records.withLockedValue { all in
            all[ordinal].calls += 1
            if failed { all[ordinal].errors += 1 }
            if all[ordinal].samples.count < Self.samplesPerMethod {
                all[ordinal].samples.append(micros)
            } else {
                all[ordinal].samples[all[ordinal].next] = micros
                all[ordinal].next = (all[ordinal].next + 1) % Self.samplesPerMethod
            }
        }
    }

    /// Methods called at least once, by name.
    func snapshot() -> [Folio_V1_MethodStats] {
        let copy = records.withLockedValue { $0 }
        return zip(FolioMethod.allCases, copy).filter { $0.1.calls > 0 }.sorted { $0.0.rawValue < $1.0.rawValue }.map { method, record in
            let sorted = record.samples.sorted()
            var stats = Folio_V1_MethodStats()
            stats.method = method.rawValue
            stats.calls = record.calls
            stats.errors = record.errors
            stats.p50Micros = Self.percentile(sorted, 0.50)
            stats.p90Micros = Self.percentile(sorted, 0.90)
            stats.p99Micros = Self.percentile(sorted, 0.99)
            return stats
        }
    }

    /// Nearest-rank percentile of sorted samples (0 when there are none).
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}
