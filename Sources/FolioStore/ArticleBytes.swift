import FolioModel
import FolioWire
import SwiftProtobuf

/// An article's protobuf bytes, exactly as `serializedBytes()` writes them, with its entities
/// (most of an article's fields: every entity and mention a message of its own) written here
/// in one pass: swift-protobuf sizes every nested message once for its parent's length and
/// again as it writes it, and reaches each field through a generic visitor. The other fields are
/// left to swift-protobuf, before and after the entities' field 12.
enum ArticleBytes {
    static func serialized(_ article: Folio_V1_Article) throws -> [UInt8] {
        guard !article.entities.isEmpty, article.unknownFields.data.isEmpty, let entities = entityFields(article.entities) else {
            return try article.serializedBytes()
        }
        var head = article
        head.entities = []
        head.clearLines()
        head.diagnostics = []
        head.date = ""
        var tail = Folio_V1_Article()
        if article.hasLines { tail.lines = article.lines }
        tail.diagnostics = article.diagnostics
        tail.date = article.date
        let before: [UInt8] = try head.serializedBytes()
        let after: [UInt8] = try tail.serializedBytes()
        var out: [UInt8] = []
        out.reserveCapacity(before.count + entities.count + after.count)
        out += before
        out += entities
        out += after
        return out
    }

    /// Field 12 (entities) of an article; nil when a value is one this writer leaves to
    /// swift-protobuf (unknown fields, a negative enum value).
    static func entityFields(_ entities: [Folio_V1_Entity]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(entities.count * 64)
        for entity in entities {
            guard let size = size(of: entity) else { return nil }
            ProtoWire.writeLengthPrefix(field: 12, length: size, into: &out)
            write(entity, into: &out)
        }
        return out
    }

    private static func size(of entity: Folio_V1_Entity) -> Int? {
        guard entity.unknownFields.data.isEmpty, entity.type.rawValue >= 0 else { return nil }
        var total = entity.type.rawValue == 0 ? 0 : 1 + ProtoWire.varintSize(UInt64(entity.type.rawValue))
        total += stringSize(entity.text) + stringSize(entity.normalized)
        for mention in entity.mentions {
            guard let mentionSize = size(of: mention) else { return nil }
            total += 1 + ProtoWire.varintSize(UInt64(mentionSize)) + mentionSize
        }
        if entity.hasQuantity {
            guard let quantitySize = size(of: entity.quantity) else { return nil }
            total += 1 + ProtoWire.varintSize(UInt64(quantitySize)) + quantitySize
        }
        return total
    }

    private static func size(of mention: Folio_V1_Mention) -> Int? {
        guard mention.unknownFields.data.isEmpty, mention.field.rawValue >= 0 else { return nil }
        return uint32Size(mention.block) + uint32Size(mention.start) + uint32Size(mention.end)
            + (mention.field.rawValue == 0 ? 0 : 1 + ProtoWire.varintSize(UInt64(mention.field.rawValue)))
    }

    private static func size(of quantity: Folio_V1_Quantity) -> Int? {
        guard quantity.unknownFields.data.isEmpty else { return nil }
        return (quantity.value.bitPattern == 0 ? 0 : 9) + stringSize(quantity.unit) + (quantity.upTo.bitPattern == 0 ? 0 : 9)
    }

    @inline(__always)
    private static func uint32Size(_ value: UInt32) -> Int { value == 0 ? 0 : 1 + ProtoWire.varintSize(UInt64(value)) }

    @inline(__always)
    private static func stringSize(_ value: String) -> Int {
        let count = value.utf8.count
        return count == 0 ? 0 : 1 + ProtoWire.varintSize(UInt64(count)) + count
    }

    /// Writes the fields of an entity whose `size(of:)` was not nil.
    private static func write(_ entity: Folio_V1_Entity, into out: inout [UInt8]) {
        if entity.type.rawValue != 0 { varint(field: 1, UInt64(entity.type.rawValue), into: &out) }
        string(field: 2, entity.text, into: &out)
        string(field: 3, entity.normalized, into: &out)
        for mention in entity.mentions {
            ProtoWire.writeLengthPrefix(field: 4, length: size(of: mention)!, into: &out)
            if mention.block != 0 { varint(field: 1, UInt64(mention.block), into: &out) }
            if mention.start != 0 { varint(field: 2, UInt64(mention.start), into: &out) }
            if mention.end != 0 { varint(field: 3, UInt64(mention.end), into: &out) }
            if mention.field.rawValue != 0 { varint(field: 4, UInt64(mention.field.rawValue), into: &out) }
        }
        if entity.hasQuantity {
            let quantity = entity.quantity
            ProtoWire.writeLengthPrefix(field: 5, length: size(of: quantity)!, into: &out)
            double(field: 1, quantity.value, into: &out)
            string(field: 2, quantity.unit, into: &out)
            double(field: 3, quantity.upTo, into: &out)
        }
    }

    /// A double as swift-protobuf writes it: nothing for +0, else 8 little-endian bytes.
    @inline(__always)
    private static func double(field: Int, _ value: Double, into out: inout [UInt8]) {
        let bits = value.bitPattern
        guard bits != 0 else { return }
        ProtoWire.writeKey(field: field, wireType: 1, into: &out)
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    @inline(__always)
    private static func varint(field: Int, _ value: UInt64, into out: inout [UInt8]) {
        ProtoWire.writeKey(field: field, wireType: ProtoWire.varintType, into: &out)
        ProtoWire.writeVarint(value, into: &out)
    }

    @inline(__always)
    private static func string(field: Int, _ value: String, into out: inout [UInt8]) {
        guard !value.isEmpty else { return }
        ProtoWire.writeLengthPrefix(field: field, length: value.utf8.count, into: &out)
        out.append(contentsOf: value.utf8)
    }
}
