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

    mutating func add(segment: Segment, doc: Int, articleID: String) {
        for entity in segment.storedEntities(of: doc) {
            let key = Key(type: entity.type, text: segment.strings[Int(entity.keyID)])
            var record = records.removeValue(forKey: key) ?? Record()
            record.forms[segment.strings[Int(entity.formID)], default: 0] += Int(entity.mentionCount)
            record.mentions += Int(entity.mentionCount)
            if record.articles.last != articleID { record.articles.append(articleID) }
            records[key] = record
        }
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
