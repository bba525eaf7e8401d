import FolioModel
import FolioWire
import Foundation

/// A hand-written decoder for `Folio_V1_Article`, the answer of the typed `getArticle`.
///
/// swift-protobuf 1.39 is several times slower on an article (Benchmarks/RESULTS.md, "GetArticle"):
/// it validates every string scalar by scalar before `String(decoding:)` validates it again (Chinese text is all 3-byte scalars),
/// and its generic field decoders look up type metadata at run time for each nested message.
/// This reads the fields straight from the bytes with the standard library's UTF-8 validation.
///
/// It handles what swift-protobuf writes for an article and gives up (nil) on anything else —
/// a singular field seen twice, an unknown field, a wire type that does not match, unpacked
/// repeated numbers, a value out of its type's range, invalid UTF-8, truncation — so that the
/// caller decodes with swift-protobuf, which gives the exact result or the proper error.
/// Tested to agree with swift-protobuf on every article of the test pages.
enum ArticleDecoder {
    static func decode(_ data: Data) -> Folio_V1_Article? {
        data.withUnsafeBytes { bytes in
            var reader = ProtoReader(bytes)
            return try? reader.article()
        }
    }
}

private typealias Unusual = ProtoReader.Unusual

/// The messages of an article, read field by field.
extension ProtoReader {
    mutating func article() throws -> Folio_V1_Article {
        var article = Folio_V1_Article()
        var bylines: [Folio_V1_Byline] = []
        var lead: [Folio_V1_Block] = []
        var body: [Folio_V1_Block] = []
        var captions: [Folio_V1_Caption] = []
        var entities: [Folio_V1_Entity] = []
        var diagnostics: [Folio_V1_Diagnostic] = []
        try fields(repeated: 1 << 7 | 1 << 9 | 1 << 10 | 1 << 11 | 1 << 12 | 1 << 14) { reader, number, wireType in
            guard wireType == 2 else { throw Unusual() }
            switch number {
            case 1: article.id = try reader.string()
            case 2: article.pageID = try reader.string()
            case 3: article.section = try reader.string()
            case 4: article.kicker = try reader.string()
            case 5: article.headline = try reader.string()
            case 6: article.subtitle = try reader.string()
            case 7: bylines.append(try reader.message { try $0.byline() })
            case 8: article.dateline = try reader.message { try $0.dateline() }
            case 9: lead.append(try reader.message { try $0.block() })
            case 10: body.append(try reader.message { try $0.block() })
            case 11: captions.append(try reader.message { try $0.caption() })
            case 12: entities.append(try reader.message { try $0.entity() })
            case 13: article.lines = try reader.message { try $0.lineRange() }
            case 14: diagnostics.append(try reader.message { try $0.diagnostic() })
            case 15: article.date = try reader.string()
            default: throw Unusual()
            }
        }
        if !bylines.isEmpty { article.bylines = bylines }
        if !lead.isEmpty { article.lead = lead }
        if !body.isEmpty { article.body = body }
        if !captions.isEmpty { article.captions = captions }
        if !entities.isEmpty { article.entities = entities }
        if !diagnostics.isEmpty { article.diagnostics = diagnostics }
        return article
    }

    mutating func byline() throws -> Folio_V1_Byline {
        var byline = Folio_V1_Byline()
        try fields { reader, number, wireType in
            switch (number, wireType) {
            case (1, 2): byline.name = try reader.string()
            case (2, 2): byline.role = try reader.string()
            case (3, 0): byline.line = try reader.uint32()
            default: throw Unusual()
            }
        }
        return byline
    }

    mutating func dateline() throws -> Folio_V1_Dateline {
        var dateline = Folio_V1_Dateline()
        try fields(repeated: 1 << 4) { reader, number, wireType in
            switch (number, wireType) {
            case (1, 2): dateline.agency = try reader.string()
            case (2, 2): dateline.place = try reader.string()
            case (3, 2): dateline.date = try reader.string()
            case (4, 2): dateline.reporters.append(try reader.string())
            case (5, 0): dateline.repaired = try reader.bool()
            case (6, 2): dateline.text = try reader.string()
            case (7, 0): dateline.line = try reader.uint32()
            case (8, 2): dateline.normalizedDate = try reader.string()
            default: throw Unusual()
            }
        }
        return dateline
    }

    mutating func block() throws -> Folio_V1_Block {
        var block = Folio_V1_Block()
        try fields { reader, number, wireType in
            switch (number, wireType) {
            case (1, 0): block.kind = Folio_V1_BlockKind(rawValue: try reader.enumValue()) ?? .unspecified
            case (2, 2): block.text = try reader.string()
            case (3, 2): block.lines = try reader.packedUInt32s()
            case (4, 0): block.startsMidSentence = try reader.bool()
            case (5, 0): block.endsMidSentence = try reader.bool()
            default: throw Unusual()
            }
        }
        return block
    }

    mutating func caption() throws -> Folio_V1_Caption {
        var caption = Folio_V1_Caption()
        try fields { reader, number, wireType in
            switch (number, wireType) {
            case (1, 2): caption.text = try reader.string()
            case (2, 2): caption.credit = try reader.string()
            case (3, 2): caption.lines = try reader.packedUInt32s()
            default: throw Unusual()
            }
        }
        return caption
    }

    mutating func entity() throws -> Folio_V1_Entity {
        var entity = Folio_V1_Entity()
        var mentions: [Folio_V1_Mention] = []
        try fields(repeated: 1 << 4) { reader, number, wireType in
            switch (number, wireType) {
            case (1, 0): entity.type = Folio_V1_EntityType(rawValue: try reader.enumValue()) ?? .unspecified
            case (2, 2): entity.text = try reader.string()
            case (3, 2): entity.normalized = try reader.string()
            case (4, 2): mentions.append(try reader.message { try $0.mention() })
            case (5, 2): entity.quantity = try reader.message { try $0.quantity() }
            default: throw Unusual()
            }
        }
        if !mentions.isEmpty { entity.mentions = mentions }
        return entity
    }

    mutating func mention() throws -> Folio_V1_Mention {
        var mention = Folio_V1_Mention()
        try fields { reader, number, wireType in
            guard wireType == 0 else { throw Unusual() }
            switch number {
            case 1: mention.block = try reader.uint32()
            case 2: mention.start = try reader.uint32()
            case 3: mention.end = try reader.uint32()
            case 4: mention.field = Folio_V1_TextField(rawValue: try reader.enumValue()) ?? .block
            default: throw Unusual()
            }
        }
        return mention
    }

    mutating func quantity() throws -> Folio_V1_Quantity {
        var quantity = Folio_V1_Quantity()
        try fields { reader, number, wireType in
            switch (number, wireType) {
            case (1, 1): quantity.value = try reader.double()
            case (2, 2): quantity.unit = try reader.string()
            case (3, 1): quantity.upTo = try reader.double()
            default: throw Unusual()
            }
        }
        return quantity
    }

    mutating func lineRange() throws -> Folio_V1_LineRange {
        var range = Folio_V1_LineRange()
        try fields { reader, number, wireType in
            switch (number, wireType) {
            case (1, 0): range.first = try reader.uint32()
            case (2, 0): range.last = try reader.uint32()
            default: throw Unusual()
            }
        }
        return range
    }

    mutating func diagnostic() throws -> Folio_V1_Diagnostic {
        var diagnostic = Folio_V1_Diagnostic()
        try fields { reader, number, wireType in
            switch (number, wireType) {
            case (1, 0): diagnostic.severity = Folio_V1_Severity(rawValue: try reader.enumValue()) ?? .unspecified
            case (2, 0): diagnostic.line = try reader.uint32()
            case (3, 2): diagnostic.message = try reader.string()
            case (4, 2): diagnostic.code = try reader.string()
            default: throw Unusual()
            }
        }
        return diagnostic
    }
}
