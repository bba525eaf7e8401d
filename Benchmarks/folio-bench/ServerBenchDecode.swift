import FolioClient
import FolioModel
import FolioWire
import Foundation

/// What the typed `getArticle` adds to a call: decoding the `Folio_V1_Article` from its bytes,
/// timed in-process on the articles the load asks for (no socket involved).
enum ArticleDecodeCost {
    struct Figures {
        let articles: Int
        let medianBytes: Int
        let medianMicros: Double
        let microsPerKB: Double
        /// The same with `FolioClient.decodeArticle` (what `getArticle` uses).
        let fastMedianMicros: Double
        let fastMicrosPerKB: Double
    }

    static func measure(ids: [String], socket: String, sample: Int = 200, rounds: Int = 50) async throws -> Figures {
        let client = FolioClient(socketPath: socket)
        defer { client.close() }
        var bodies: [Data] = []
        for id in ids.prefix(sample) {
            var request = Folio_V1_GetArticleRequest()
            request.articleID = id
            bodies.append(try await client.call(method: FolioMethod.getArticle.rawValue, body: request.serializedData()))
        }
        let (bySize, slow, slowPerKB) = try time(bodies, rounds: rounds) { _ = try Folio_V1_Article(serializedBytes: $0) }
        let (_, fast, fastPerKB) = try time(bodies, rounds: rounds) { _ = try FolioClient.decodeArticle($0) }
        return Figures(articles: bodies.count, medianBytes: bySize, medianMicros: slow, microsPerKB: slowPerKB,
                       fastMedianMicros: fast, fastMicrosPerKB: fastPerKB)
    }

    /// Median size, median µs per article and µs per KB of `decode` over `bodies`.
    private static func time(_ bodies: [Data], rounds: Int, _ decode: (Data) throws -> Void) throws
        -> (medianBytes: Int, medianMicros: Double, microsPerKB: Double) {
        var perArticle: [(bytes: Int, micros: Double)] = []
        for body in bodies {
            try decode(body)  // warm
            let start = ContinuousClock.now
            for _ in 0..<rounds { try decode(body) }
            perArticle.append((body.count, GetArticleLoad.seconds(ContinuousClock.now - start) * 1e6 / Double(rounds)))
        }
        let byTime = perArticle.map(\.micros).sorted()
        let bySize = perArticle.map(\.bytes).sorted()
        let totalBytes = perArticle.reduce(0) { $0 + $1.bytes }
        let totalMicros = perArticle.reduce(0) { $0 + $1.micros }
        return (bySize[bySize.count / 2], byTime[byTime.count / 2], totalMicros / (Double(totalBytes) / 1024))
    }
}
