/// Inflated bytes of the deflated articles most recently sent to clients that do not accept zlib.
///
/// Articles of 1 KB or more are stored deflated (memory), and inflating one per call was about
/// half of foliod's CPU per GetArticle for a plain client (Benchmarks/RESULTS.md, "GetArticle").
/// Popular articles are asked for again and again, so a bounded cache of their plain bytes removes
/// that cost for the hot set while the store stays deflated. Eviction is
/// first-in first-out: no bookkeeping on a hit, only on a miss.
package final class PlainArticleCache: Sendable {
    /// 8 MiB: a few thousand typical articles, a small share of a large daemon's resident memory.
    package static let shared = PlainArticleCache(budgetBytes: 8 << 20)

    private struct Entry {
        /// Held so that its address (the key) cannot be reused by another article while cached.
        let record: [UInt8]
        let plain: [UInt8]
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        /// Keys in insertion order; `order[oldest...]` are the live ones.
        var order: [Int] = []
        var oldest = 0
        var bytes = 0
    }

    let budgetBytes: Int
    private let state = NIOLockedValueBox(State())

    init(budgetBytes: Int) {
        self.budgetBytes = budgetBytes
    }

    /// Plain bytes held right now.
    var heldBytes: Int { state.withLockedValue { $0.bytes } }
    var count: Int { state.withLockedValue { $0.entries.count } }

    func plain(of body: ArticleBody) -> [UInt8]? {
        state.withLockedValue { $0.entries[body.stored.identity]?.plain }
    }

    func insert(_ plain: [UInt8], for body: ArticleBody) {
        // One huge article must not flush the whole hot set.
        guard plain.count <= budgetBytes / 16 else { return }
        let key = body.stored.identity
        state.withLockedValue { state in
            guard state.entries[key] == nil else { return }
            while state.bytes + plain.count > budgetBytes, state.oldest < state.order.count {
                let victim = state.order[state.oldest]
                state.oldest += 1
                if let evicted = state.entries.removeValue(forKey: victim) { state.bytes -= evicted.plain.count }
            }
            if state.oldest >= 1024, state.oldest * 2 >= state.order.count {
                state.order.removeFirst(state.oldest)
                state.oldest = 0
            }
            state.entries[key] = Entry(record: body.stored.record, plain: plain)
            state.order.append(key)
            state.bytes += plain.count
        }
    }
}

import NIOConcurrencyHelpers