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
        var perArticle: [(bytes: Int, micros: Double)] = []
        for body in bodies {
            _ = try Folio_V1_Article(serializedBytes: body)  // warm
            let start = ContinuousClock.now
            for _ in 0..<rounds { _ = try Folio_V1_Article(serializedBytes: body) }
            perArticle.append((body.count, GetArticleLoad.seconds(ContinuousClock.now - start) * 1e6 / Double(rounds)))
        }
        let byTime = perArticle.map(\.micros).sorted()
        let bySize = perArticle.map(\.bytes).sorted()
        let totalBytes = perArticle.reduce(0) { $0 + $1.bytes }
        let totalMicros = perArticle.reduce(0) { $0 + $1.micros }
        return Figures(articles: perArticle.count, medianBytes: bySize[bySize.count / 2],
                       medianMicros: byTime[byTime.count / 2], microsPerKB: totalMicros / (Double(totalBytes) / 1024))
    }
}
