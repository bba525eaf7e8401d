import FolioModel

/// Every entity of the archive, folded across scripts: 錦州 and 锦州 are one entry with two forms.
/// A value type inside `IndexState`; writers copy and update it.
struct EntityCatalog {
    struct Key: Hashable {
        var type: UInt8
        var text: String  // folded
    }

    struct Record {
        var forms: [String: Int] = [:]
        var mentions = 0
        var articles: [String] = []  // article ids, in the order they were added
    }

    private(set) var records: [Key: Record] = [:]

    var count: Int { records.count }

    /// Adds the entities of `docs` (live documents of one segment, ascending). Aggregates by the
    /// segment's interned ids first, so each distinct entity is hashed by its text only once.
    mutating func add(segment: Segment, docs: [Int]) {
        var localIndex: [UInt64: Int] = [:]
        var localKeys: [UInt64] = []
        var localForms: [[UInt32: Int]] = []
        var localMentions: [Int] = []
        var localArticles: [[String]] = []
        for doc in docs {
            let articleID = segment.articleIDs[doc]
            for entity in segment.storedEntities(of: doc) {
                let packed = UInt64(entity.type) << 32 | UInt64(entity.keyID)
                let index: Int
                if let found = localIndex[packed] {
                    index = found
                } else {
                    index = localKeys.count
                    localIndex[packed] = index
                    localKeys.append(packed)
                    localForms.append([:])
                    localMentions.append(0)
                    localArticles.append([])
                }
                localForms[index][entity.formID, default: 0] += Int(entity.mentionCount)
                localMentions[index] += Int(entity.mentionCount)
                if localArticles[index].last != articleID { localArticles[index].append(articleID) }
            }
        }
        for index in localKeys.indices {
            let key = Key(type: UInt8(truncatingIfNeeded: localKeys[index] >> 32),
                          text: segment.strings[Int(localKeys[index] & 0xFFFF_FFFF)])
            Self.merge(&records[key, default: Record()], forms: localForms[index], strings: segment.strings,
                       mentions: localMentions[index], articles: localArticles[index])
        }
    }

    private static func merge(_ record: inout Record, forms: [UInt32: Int], strings: [String], mentions: Int,
                              articles: [String]) {
        for (form, count) in forms { record.forms[strings[Int(form)], default: 0] += count }
        record.mentions += mentions
        record.articles += articles
    }

    mutating func remove(segment: Segment, doc: Int) {
        let articleID = segment.articleIDs[doc]
        for entity in segment.storedEntities(of: doc) {
            let key = Key(type: entity.type, text: segment.strings[Int(entity.keyID)])
            guard var record = records.removeValue(forKey: key) else { continue }
            let form = segment.strings[Int(entity.formID)]
            let remaining = (record.forms[form] ?? 0) - Int(entity.mentionCount)
            record.forms[form] = remaining > 0 ? remaining : nil
            record.mentions -= Int(entity.mentionCount)
            record.articles.removeAll { $0 == articleID }
            if !record.articles.isEmpty { records[key] = record }
        }
    }

    func summary(_ key: Key, _ record: Record) -> Folio_V1_EntitySummary {
        var summary = Folio_V1_EntitySummary()
        summary.type = Folio_V1_EntityType(rawValue: Int(key.type)) ?? .unspecified
        summary.text = key.text
        summary.forms = record.forms.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map(\.key)
        summary.mentions = UInt32(clamping: record.mentions)
        summary.articles = UInt32(clamping: record.articles.count)
        return summary
    }

    /// Entries with this folded text; of one type, or of any type (most mentioned first).
    func lookup(text: String, type: UInt8) -> (Key, Record)? {
        if type != 0 {
            let key = Key(type: type, text: text)
            return records[key].map { (key, $0) }
        }
        let candidates = (1...5).compactMap { type -> (Key, Record)? in
            let key = Key(type: UInt8(type), text: text)
            return records[key].map { (key, $0) }
        }
        return candidates.max { $0.1.mentions < $1.1.mentions }
    }
}

/// Entity mentions as a byte stream, about five bytes each instead of sixteen: per mention the
/// varints block, start, zigzag(end − start), field.
enum MentionCoding {
    static func append(_ mentions: [Folio_V1_Mention], to bytes: inout [UInt8]) {
        for mention in mentions {
            VarInt.append(mention.block, to: &bytes)
            VarInt.append(mention.start, to: &bytes)
            let length = Int64(mention.end) - Int64(mention.start)
            VarInt.append(UInt32(truncatingIfNeeded: (length << 1) ^ (length >> 63)), to: &bytes)
            VarInt.append(UInt32(clamping: mention.field.rawValue), to: &bytes)
        }
    }

    /// `count` mentions from byte `start`; nil when the stream is damaged (checked reads).
    static func decode(_ bytes: [UInt8], from start: Int, count: Int) -> [Folio_V1_Mention]? {
        var mentions: [Folio_V1_Mention] = []
        mentions.reserveCapacity(max(0, min(count, 1 << 16)))
        let intact = walk(bytes, from: start, count: count) { block, begin, end, field in
            var mention = Folio_V1_Mention()
            mention.block = block
            mention.start = begin
            mention.end = end
            mention.field = Folio_V1_TextField(rawValue: Int(field)) ?? .block
            mentions.append(mention)
        }
        return intact ? mentions : nil
    }

    /// Whether `count` mentions decode from byte `start` (snapshot checks, nothing allocated).
    static func isIntact(_ bytes: [UInt8], from start: Int, count: Int) -> Bool {
        walk(bytes, from: start, count: count) { _, _, _, _ in }
    }

    private static func walk(_ bytes: [UInt8], from start: Int, count: Int,
                             _ body: (UInt32, UInt32, UInt32, UInt32) -> Void) -> Bool {
        guard start >= 0, start <= bytes.count, count >= 0, count <= bytes.count - start else { return false }
        var position = start
        func read() -> UInt32? {
            var value: UInt32 = 0
            var shift: UInt32 = 0
            while position < bytes.count && shift < 35 {
                let byte = bytes[position]
                position += 1
                value |= UInt32(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }
        for _ in 0..<count {
            guard let block = read(), let begin = read(), let zigzag = read(), let field = read() else { return false }
            let end = Int64(begin) + (Int64(zigzag >> 1) ^ -Int64(zigzag & 1))
            guard end >= 0, end <= Int64(UInt32.max) else { return false }
            body(block, begin, UInt32(end), field)
        }
        return true
    }
}
