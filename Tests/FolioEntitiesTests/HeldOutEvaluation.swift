import Foundation
import Testing
import FolioModel
import FolioEntities
import FolioTestSupport

/// Precision / recall / F1 per type on the PFR days held out from learning (1998-01-16..20),
/// against the gold top-level PER / LOC / ORG spans (exact span and type), plus throughput.
/// Prints the table; run it in release for meaningful MB/s:
///     swift test -c release --filter HeldOutEvaluation
@Suite(.enabled(if: FolioTestSupport.SharedCorpus.isPresent, "the shared corpus (../shared) is not here")) struct HeldOutEvaluation {
    struct Span: Hashable { let article: Int; let para: Int; let start: Int; let end: Int; let type: String }

    static func evaluate(days: ClosedRange<String>, recognizer: EntityRecognizer = .shared) throws -> (scores: [String: (Double, Double, Double)], mbPerSecond: Double) {
        let articles = try SharedCorpus.pfrArticles(days: days)
        var gold = Set<Span>(), predicted = Set<Span>()
        var bytes = 0
        var elapsed: Duration = .zero
        let clock = ContinuousClock()
        let tag: [Folio_V1_EntityType: String] = [.person: "PER", .place: "LOC", .organization: "ORG"]
        for (a, article) in articles.enumerated() {
            let paragraphs = article["paragraphs"] as? [String] ?? []
            for case let e as [String: Any] in article["entities"] as? [Any] ?? [] {
                if let t = e["type"] as? String, let p = e["para"] as? Int, let s = e["start"] as? Int, let x = e["end"] as? Int {
                    gold.insert(Span(article: a, para: p, start: s, end: x, type: t))
                }
            }
            let fields = paragraphs.enumerated().map { EntityField(field: .block, index: $0.offset, text: $0.element) }
            bytes += paragraphs.reduce(0) { $0 + $1.utf8.count }
            var entities: [Folio_V1_Entity] = []
            elapsed += clock.measure {
                entities = recognizer.recognize(fields: fields, pageDate: article["date"] as? String)
            }
            // Top-level mentions only: places the recognizer also reports inside an organization
            // correspond to PFR's inner_entities, which this table does not score.
            var spans: [Span] = []
            for e in entities {
                guard let t = tag[e.type] else { continue }
                for m in e.mentions {
                    spans.append(Span(article: a, para: Int(m.block), start: Int(m.start), end: Int(m.end), type: t))
                }
            }
            for s in spans where !spans.contains(where: { $0.para == s.para && $0.start <= s.start && s.end <= $0.end
                                                          && $0.end - $0.start > s.end - s.start }) {
                predicted.insert(s)
            }
        }
        if let path = ProcessInfo.processInfo.environment["FOLIO_ENTITY_ERRORS"] {
            // Debugging aid: every missed and every spurious span with its paragraph.
            var lines: [String] = []
            func text(_ s: Span) -> String {
                let paragraphs = articles[s.article]["paragraphs"] as? [String] ?? []
                let scalars = Array(paragraphs[s.para].unicodeScalars)
                let view = { (a: Int, b: Int) in String(String.UnicodeScalarView(scalars[max(0, a)..<min(scalars.count, b)])) }
                return "\(view(s.start - 6, s.start))[\(view(s.start, s.end))]\(view(s.end, s.end + 6))"
            }
            for s in gold.subtracting(predicted).sorted(by: { ($0.article, $0.para, $0.start) < ($1.article, $1.para, $1.start) }) { lines.append("MISS \(s.type) \(text(s))") }
            for s in predicted.subtracting(gold).sorted(by: { ($0.article, $0.para, $0.start) < ($1.article, $1.para, $1.start) }) { lines.append("FALSE \(s.type) \(text(s))") }
            try lines.joined(separator: "\n").write(toFile: path, atomically: false, encoding: .utf8)
        }
        var scores: [String: (Double, Double, Double)] = [:]
        for t in ["PER", "LOC", "ORG"] {
            let g = gold.filter { $0.type == t }, p = predicted.filter { $0.type == t }
            let hit = Double(g.intersection(p).count)
            let precision = p.isEmpty ? 0 : hit / Double(p.count)
            let recall = g.isEmpty ? 0 : hit / Double(g.count)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            scores[t] = (precision, recall, f1)
            print(String(format: "%@ %@: P %.3f R %.3f F1 %.3f (gold %d, predicted %d)",
                         days.lowerBound, t, precision, recall, f1, g.count, p.count))
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(bytes) / 1e6 / max(seconds, 1e-9)
        print(String(format: "%@: %.1f MB of text in %.3f s: %.1f MB/s (this build; release figures: scripts/eval-entities.sh bench)", days.lowerBound, Double(bytes) / 1e6, seconds, rate))
        return (scores, rate)
    }

    @Test func heldOutDaysScoreAboveFloors() throws {
        let result = try Self.evaluate(days: "1998-01-16"..."1998-01-20", recognizer: .rules)
        // The old rules (`folio parse --rule-names`). Floors a little under the figures measured
        // when this was written (PER 0.83, LOC 0.85, ORG 0.75): a change that loses accuracy on
        // unseen text fails here.
        #expect(result.scores["PER"]!.2 >= 0.82)
        #expect(result.scores["LOC"]!.2 >= 0.83)
        #expect(result.scores["ORG"]!.2 >= 0.73)
    }

    @Test func combinedKeepsTheTaggersScoresOnHeldOutDays() throws {
        // The default. Measured once on these days (ninth round): PER .920, LOC .901, ORG .860
        // (eighth round: .918 / .901 / .860).
        let result = try Self.evaluate(days: "1998-01-16"..."1998-01-20", recognizer: .combined)
        #expect(result.scores["PER"]!.2 >= 0.91)
        #expect(result.scores["LOC"]!.2 >= 0.89)
        #expect(result.scores["ORG"]!.2 >= 0.85)
    }

    @Test func taggerScoresAboveTheRulesOnHeldOutDays() throws {
        // Measured once on these days with the committed model: PER .891, LOC .892, ORG .867.
        let result = try Self.evaluate(days: "1998-01-16"..."1998-01-20", recognizer: .taggerOnly)
        #expect(result.scores["PER"]!.2 >= 0.88)
        #expect(result.scores["LOC"]!.2 >= 0.88)
        #expect(result.scores["ORG"]!.2 >= 0.86)
    }
}
