import FolioModel

/// Every entity of the archive, folded across scripts: 錦州 and 锦州 are one entry with two forms.
/// A value type inside `IndexState`; writers copy and update it. It keeps counts only: which
/// articles mention an entity is read from the segments when asked (`GetEntity`), so the catalog
/// holds no per-article entries.
struct EntityCatalog {
    struct Key: Hashable {
        var type: UInt8
        var text: String  // folded
    }

    struct FormCount {
        var form: String
        var mentions: Int
        /// Articles listing the entity in this form: a form stays while any does, also when it has no
        /// mention (a person credited only in bylines has none, and lost the form at the first delete).
        var articles: Int
    }

    struct Record {
        /// Usually one or two forms: a short array is smaller than a dictionary.
        var forms: [FormCount] = []
        var mentions = 0
        var articles = 0

        mutating func addForm(_ form: String, mentions: Int, articles: Int) {
            if let index = forms.firstIndex(where: { $0.form == form }) {
                forms[index].mentions += mentions
                forms[index].articles += articles
            } else {
                forms.append(FormCount(form: form, mentions: mentions, articles: articles))
            }
        }

        mutating func add(_ other: Record) {
            for form in other.forms { addForm(form.form, mentions: form.mentions, articles: form.articles) }
            mentions += other.mentions
            articles += other.articles
        }
    }

    private(set) var records: [Key: Record] = [:]

    var count: Int { records.count }

    /// Adds the entities of `docs` (live documents of one segment, ascending). Aggregates by the
    /// segment's interned ids first, so each distinct entity is hashed by its text only once.
    mutating func add(segment: Segment, docs: [Int]) {
        var localIndex: [UInt64: Int] = [:]
        var localKeys: [UInt64] = []
        var localForms: [[UInt32: (mentions: Int, articles: Int)]] = []
        var localMentions: [Int] = []
        var localArticles: [Int] = []
        var localLastDoc: [Int] = []
        for doc in docs {
            segment.forEachEntity(of: doc) { entity in
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
                    localArticles.append(0)
                    localLastDoc.append(-1)
                }
                localForms[index][entity.formID, default: (0, 0)].mentions += Int(entity.mentionCount)
                localForms[index][entity.formID, default: (0, 0)].articles += 1
                localMentions[index] += Int(entity.mentionCount)
                if localLastDoc[index] != doc {
                    localLastDoc[index] = doc
                    localArticles[index] += 1
                }
            }
        }
        for index in localKeys.indices {
            let key = Key(type: UInt8(truncatingIfNeeded: localKeys[index] >> 32),
                          text: segment.strings[Int(localKeys[index] & 0xFFFF_FFFF)])
            var record = records.removeValue(forKey: key) ?? Record()
            for (form, count) in localForms[index] {
                record.addForm(segment.strings[Int(form)], mentions: count.mentions, articles: count.articles)
            }
            record.mentions += localMentions[index]
            record.articles += localArticles[index]
            records[key] = record
        }
    }

    /// Adds the counts of another catalog, of other documents.
    mutating func merge(_ other: EntityCatalog) {
        for (key, record) in other.records { records[key, default: Record()].add(record) }
    }

    mutating func remove(segment: Segment, doc: Int) {
        var counted: Set<Key> = []
        segment.forEachEntity(of: doc) { entity in
            let key = Key(type: entity.type, text: segment.strings[Int(entity.keyID)])
            guard var record = records.removeValue(forKey: key) else { return }
            let form = segment.strings[Int(entity.formID)]
            if let index = record.forms.firstIndex(where: { $0.form == form }) {
                record.forms[index].mentions -= Int(entity.mentionCount)
                record.forms[index].articles -= 1
                if record.forms[index].articles <= 0 { record.forms.remove(at: index) }
            }
            record.mentions -= Int(entity.mentionCount)
            if counted.insert(key).inserted { record.articles -= 1 }
            if record.articles > 0 { records[key] = record }
        }
    }

    func summary(_ key: Key, _ record: Record) -> Folio_V1_EntitySummary {
        var summary = Folio_V1_EntitySummary()
        summary.type = Folio_V1_EntityType(rawValue: Int(key.type)) ?? .unspecified
        summary.text = key.text
        summary.forms = record.forms.sorted { ($1.mentions, $0.form) < ($0.mentions, $1.form) }.map(\.form)
        summary.mentions = UInt32(clamping: record.mentions)
        summary.articles = UInt32(clamping: record.articles)
        return summary
    }

    /// The entry keyed by this folded text, else the one that has it among its forms (`两个` is a
    /// form of the number keyed `2个`, as ListArticles' entity filter matches it); of one type, or
    /// of any type (the most mentioned).
    func lookup(text: String, type: UInt8) -> (Key, Record)? {
        let types: [UInt8] = type != 0 ? [type] : [1, 2, 3, 4, 5]
        let keyed = types.compactMap { type -> (Key, Record)? in
            let key = Key(type: type, text: text)
            return records[key].map { (key, $0) }
        }
        if let found = keyed.max(by: { $0.1.mentions < $1.1.mentions }) { return found }
        // A scan, only when no key matched: forms are kept as printed, so each is folded here.
        return records.filter { key, record in
            (type == 0 || key.type == type) && record.forms.contains { foldedKey($0.form) == text }
        }.max { ($0.value.mentions, $1.key.text) < ($1.value.mentions, $0.key.text) }.map { ($0.key, $0.value) }
    }
}

/// Entity mentions as a byte stream, about five bytes each instead of sixteen: per mention the
/// varints block, start, zigzag(end − start), field.
enum MentionCoding {
    static func append(_ mentions: [Folio_V1_Mention], to bytes: inout [UInt8]) {
        // A mention's bytes are written to a buffer and appended at once: an append per byte checks
        // the array's uniqueness and room each time, which cost more than the coding.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4 * VarInt.maximumBytes) { buffer in
            let out = buffer.baseAddress!
            for mention in mentions {
                var count = 0
                VarInt.write(mention.block, to: out, at: &count)
                VarInt.write(mention.start, to: out, at: &count)
                let length = Int64(mention.end) - Int64(mention.start)
                VarInt.write(UInt32(truncatingIfNeeded: (length << 1) ^ (length >> 63)), to: out, at: &count)
                VarInt.write(UInt32(clamping: mention.field.rawValue), to: out, at: &count)
                bytes.append(contentsOf: UnsafeBufferPointer(start: out, count: count))
            }
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
        return intact != nil ? mentions : nil
    }

    /// Where `count` mentions starting at byte `start` end; nil when they do not decode.
    static func end(_ bytes: [UInt8], from start: Int, count: Int) -> Int? {
        walk(bytes, from: start, count: count) { _, _, _, _ in }
    }

    /// One varint at `position`, advancing it; nil past the end or when longer than five bytes.
    @inline(__always)
    static func readChecked(_ bytes: [UInt8], _ position: inout Int) -> UInt32? {
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

    private static func walk(_ bytes: [UInt8], from start: Int, count: Int,
                             _ body: (UInt32, UInt32, UInt32, UInt32) -> Void) -> Int? {
        guard start >= 0, start <= bytes.count, count >= 0, count <= bytes.count - start else { return nil }
        var position = start
        for _ in 0..<count {
            guard let block = readChecked(bytes, &position), let begin = readChecked(bytes, &position),
                  let zigzag = readChecked(bytes, &position), let field = readChecked(bytes, &position) else { return nil }
            let end = Int64(begin) + (Int64(zigzag >> 1) ^ -Int64(zigzag & 1))
            guard end >= 0, end <= Int64(UInt32.max) else { return nil }
            body(block, begin, UInt32(end), field)
        }
        return position
    }
}
