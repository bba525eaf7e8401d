import FolioIndex
import FolioWire

/// The ids pages were served with, for a load that parses every page (too many page files changed
/// to read them over the snapshot or the model): a page file put back from an older backup lacks
/// those later versions gave or retired, and numbered from it alone a new story could get one. A
/// reload takes them from the model in memory; a start from the page records of a snapshot that is
/// intact and of this build but out of date, for the pages whose files changed since it (the others
/// are the files it was built from). With no such snapshot (missing, stale, damaged, of another
/// format) a start has the page files alone to go by.
enum ServedAnchors {
    /// A snapshot's page records, as `SnapshotFile.read` hands them over when it refuses them.
    struct Records {
        let records: SnapshotRecords
        /// The snapshot's article dictionary (empty: none).
        let dictionary: ArraySlice<UInt8>
        let limits: WireLimits

        /// The anchors of `pages` as served (articles, then those kept retired). Only their records
        /// are decoded, one at a time, and only the anchors kept: no stored model is built. A record
        /// that does not decode gives none (its page file alone numbers it).
        func anchors(of pages: Set<String>) -> [String: [ArticleAnchor]] {
            guard !pages.isEmpty else { return [:] }
            let dictionary = self.dictionary.isEmpty ? nil : ArticleDictionary(bytes: Array(self.dictionary))
            var found: [String: [ArticleAnchor]] = [:]
            for record in records.dropFirst() {
                var input = RecordReader(record)
                guard let id = try? input.string(), pages.contains(id) else { continue }
                var scratch = Corpus()
                guard (try? StoreRecord.decode(record, limits: limits, dictionary: dictionary, into: &scratch)) != nil,
                      let stored = scratch.pages[id], let page = try? stored.assembled(articles: scratch.articles, limits: limits)
                else { continue }
                found[id] = ArticleAnchors.of(page) + stored.retired
            }
            return found
        }
    }
}
