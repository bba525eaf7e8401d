import FolioModel
import FolioWire

/// The part of a stored article the search index reads (its snippets and phrase checks): headline,
/// subtitle, byline names and the text of blocks and captions. Read straight from the serialized
/// bytes, stepping over entities and line ranges, which are most of the decoding work of a whole
/// article; anything unusual is decoded whole by swift-protobuf instead.
enum SearchableText {
    static func article(_ serialized: [UInt8]) throws -> Folio_V1_Article {
        if let article = serialized.withUnsafeBytes({ bytes -> Folio_V1_Article? in
            var reader = ProtoReader(bytes)
            return try? reader.searchableFields()
        }) {
            return article
        }
        return try Folio_V1_Article(serializedBytes: serialized)
    }
}

private extension ProtoReader {
    mutating func searchableFields() throws -> Folio_V1_Article {
        var article = Folio_V1_Article()
        try fields(repeated: ~0) { reader, number, wireType in
            switch (number, wireType) {
            case (5, 2): article.headline = try reader.string()
            case (6, 2): article.subtitle = try reader.string()
            case (7, 2):
                let name = try reader.message { try $0.text(field: 1) }
                article.bylines.append(.with { $0.name = name })
            case (9, 2), (10, 2):
                let text = try reader.message { try $0.text(field: 2) }
                let block = Folio_V1_Block.with { $0.text = text }
                if number == 9 { article.lead.append(block) } else { article.body.append(block) }
            case (11, 2):
                let text = try reader.message { try $0.text(field: 1) }
                article.captions.append(.with { $0.text = text })
            default: try reader.skip(wireType: wireType)
            }
        }
        return article
    }

    /// The string field `field` of a message (the last one, as protobuf merges), others stepped over.
    mutating func text(field wanted: Int) throws -> String {
        var text = ""
        try fields(repeated: ~0) { reader, number, wireType in
            if number == wanted && wireType == 2 { text = try reader.string() } else { try reader.skip(wireType: wireType) }
        }
        return text
    }
}
