// Whole-page parse throughput with and without entity recognition (release build), on pages
// rebuilt from the PFR articles (one page per date and page number, articles separated by
// blank lines). Linked by scripts/eval-entities.sh together with main.swift.
import Foundation
import FolioEntities
import FolioModel
import FolioParser

enum ParseBench {
    static func run(pages: [(text: String, date: String)], rounds: Int, cpuSeconds: () -> Double) {
        let bytes = pages.reduce(0) { $0 + $1.text.utf8.count }
        for (label, parser) in [("parse without entities", PageParser(entityRecognizer: nil)),
                                ("parse with entities", PageParser())] {
            var best = Double.infinity
            var entities = 0
            for _ in 1...rounds {
                let start = cpuSeconds()
                entities = 0
                for p in pages {
                    var info = Folio_V1_PageInfo()
                    info.date = p.date
                    let page = parser.parse(text: p.text, source: "bench", info: info, pageID: String?.none)
                    entities += page.articles.reduce(0) { $0 + $1.entities.count }
                }
                best = min(best, cpuSeconds() - start)
            }
            print(String(format: "%@: %d pages, %.2f MB, %.1f MB/s per core (CPU time; %d entities)", label, pages.count,
                         Double(bytes) / 1e6, Double(bytes) / 1e6 / best, entities))
        }
    }
}
