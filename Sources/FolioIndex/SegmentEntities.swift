import FolioModel

/// One entity of a document as stored in a segment, decoded on demand from `entityKeys` and
/// `entityData` (nothing per entity is kept in memory beyond four bytes and a short byte record).
struct StoredEntity {
    var type: UInt8
    var keyID: UInt32
    var formID: UInt32
    var mentionCount: UInt32
    /// Byte offset of the first mention in `entityData`.
    var mentionStart: Int
}

/// Entity records in a segment's `entityData`: per entity the varint `count << 1 | hasOwnForm`
/// (the mention count; whether the form differs from the key's own string), the form id when it
/// does, then the mentions (`MentionCoding`). Types live in the top four bits of the entity's key word.
enum EntityCoding {
    static let typeShift: UInt32 = 28
    static let keyMask: UInt32 = (1 << typeShift) - 1
    /// Types above this are stored as this (the proto knows five).
    static let maxType: UInt8 = 15

    static func packedKey(type: UInt8, keyID: UInt32) -> UInt32 {
        precondition(keyID <= keyMask, "too many distinct strings in one segment")
        return UInt32(min(type, maxType)) << typeShift | keyID
    }

    static func append(formID: UInt32, keyID: UInt32, mentions: [Folio_V1_Mention], to bytes: inout [UInt8]) {
        precondition(mentions.count < 1 << 31, "too many mentions of one entity")
        VarInt.append(UInt32(mentions.count) << 1 | (formID == keyID ? 0 : 1), to: &bytes)
        if formID != keyID { VarInt.append(formID, to: &bytes) }
        MentionCoding.append(mentions, to: &bytes)
    }

    /// Walks `keys.count` records from `start`, checking every read; the end offset, or nil when
    /// the stream is damaged or names a string id at or above `stringCount`.
    static func walk(_ bytes: [UInt8], from start: Int, keys: ArraySlice<UInt32>, stringCount: Int,
                     _ body: (StoredEntity) -> Void) -> Int? {
        var position = start
        for key in keys {
            guard let head = MentionCoding.readChecked(bytes, &position) else { return nil }
            let keyID = key & keyMask, count = head >> 1
            var formID = keyID
            if head & 1 == 1 {
                guard let own = MentionCoding.readChecked(bytes, &position) else { return nil }
                formID = own
            }
            guard Int(keyID) < stringCount, Int(formID) < stringCount else { return nil }
            let mentionStart = position
            guard let end = MentionCoding.end(bytes, from: position, count: Int(count)) else { return nil }
            position = end
            body(StoredEntity(type: UInt8(key >> typeShift), keyID: keyID, formID: formID, mentionCount: count,
                              mentionStart: mentionStart))
        }
        return position
    }
}

extension Segment {
    /// Visits the entities of a document in stored order. The records were checked when built or
    /// loaded, so the walk cannot fail here.
    func forEachEntity(of doc: Int, _ body: (StoredEntity) -> Void) {
        _ = EntityCoding.walk(entityData, from: Int(entityDataStarts[doc]),
                              keys: entityKeys[Int(entityStarts[doc])..<Int(entityStarts[doc + 1])],
                              stringCount: strings.count, body)
    }

    func storedEntities(of doc: Int) -> [StoredEntity] {
        var result: [StoredEntity] = []
        forEachEntity(of: doc) { result.append($0) }
        return result
    }

    /// Whether the document has an entity with this key (any type): the entity filter.
    func hasEntity(keyID: UInt32, doc: Int) -> Bool {
        entityKeys[Int(entityStarts[doc])..<Int(entityStarts[doc + 1])].contains { $0 & EntityCoding.keyMask == keyID }
    }

    /// Documents (ascending) with an entity of this type and folded text: one pass over the packed keys.
    func docs(withEntity type: UInt8, text: String) -> [Int] {
        guard let keyID = stringIDs.id(of: text), keyID <= EntityCoding.keyMask else { return [] }
        let wanted = EntityCoding.packedKey(type: type, keyID: keyID)
        var docs: [Int] = []
        entityKeys.withUnsafeBufferPointer { keys in
            for index in keys.indices where keys[index] == wanted {
                // The document holding entity `index`: the last start at or before it.
                var low = 0, high = docCount
                while low < high {
                    let mid = (low + high) / 2
                    if Int(entityStarts[mid + 1]) <= index { low = mid + 1 } else { high = mid }
                }
                if docs.last != low { docs.append(low) }
            }
        }
        return docs
    }

    func mentions(of entity: StoredEntity) -> [Folio_V1_Mention] {
        MentionCoding.decode(entityData, from: entity.mentionStart, count: Int(entity.mentionCount)) ?? []
    }

    /// Whether every document's entity records decode and point at existing strings (snapshot load).
    func entitiesAreIntact() -> Bool {
        guard entityStarts.count == docCount + 1, entityDataStarts.count == docCount + 1,
              Int(entityStarts.last ?? 0) == entityKeys.count, Int(entityDataStarts.last ?? 0) == entityData.count,
              entityStarts.first == 0, entityDataStarts.first == 0 else { return false }
        for doc in 0..<docCount {
            let keys = Int(entityStarts[doc]), keysEnd = Int(entityStarts[doc + 1])
            let data = Int(entityDataStarts[doc]), dataEnd = Int(entityDataStarts[doc + 1])
            guard keys <= keysEnd, keysEnd <= entityKeys.count, data <= dataEnd,
                  EntityCoding.walk(entityData, from: data, keys: entityKeys[keys..<keysEnd], stringCount: strings.count,
                                    { _ in }) == dataEnd else { return false }
        }
        return true
    }
}
