import FolioModel
import FolioWire

/// The part of a stored article the search index reads (its snippets and phrase checks): kicker,
/// headline, subtitle, byline names, the dateline's text and reporters, and the text of blocks and
/// captions with the captions' credits (FolioIndex's `DocSource.fields`). Read straight from the serialized
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
        // Repeated fields gather in local arrays: a message's array property has no in-place
        // accessor, so `article.body.append` copied the whole array each time (a search of an
        // article of 27,000 paragraphs took 4.6 s).
        var bylines: [Folio_V1_Byline] = [], lead: [Folio_V1_Block] = [], body: [Folio_V1_Block] = []
        var captions: [Folio_V1_Caption] = []
        try fields(repeated: ~0) { reader, number, wireType in
            switch (number, wireType) {
            case (4, 2): article.kicker = try reader.string()
            case (5, 2): article.headline = try reader.string()
            case (6, 2): article.subtitle = try reader.string()
            case (7, 2):
                let name = try reader.message { try $0.text(field: 1) }
                bylines.append(.with { $0.name = name })
            case (8, 2): article.dateline = try reader.message { try $0.dateline() }
            case (9, 2), (10, 2):
                let text = try reader.message { try $0.text(field: 2) }
                let block = Folio_V1_Block.with { $0.text = text }
                if number == 9 { lead.append(block) } else { body.append(block) }
            case (11, 2): captions.append(try reader.message { try $0.caption() })
            default: try reader.skip(wireType: wireType)
            }
        }
        article.bylines = bylines
        article.lead = lead
        article.body = body
        article.captions = captions
        return article
    }

    /// A dateline's text and reporters.
    mutating func dateline() throws -> Folio_V1_Dateline {
        var dateline = Folio_V1_Dateline()
        var reporters: [String] = []
        try fields(repeated: ~0) { reader, number, wireType in
            switch (number, wireType) {
            case (4, 2): reporters.append(try reader.string())
            case (6, 2): dateline.text = try reader.string()
            default: try reader.skip(wireType: wireType)
            }
        }
        dateline.reporters = reporters
        return dateline
    }

    /// A caption's text and credit.
    mutating func caption() throws -> Folio_V1_Caption {
        var caption = Folio_V1_Caption()
        try fields(repeated: ~0) { reader, number, wireType in
            switch (number, wireType) {
            case (1, 2): caption.text = try reader.string()
            case (2, 2): caption.credit = try reader.string()
            default: try reader.skip(wireType: wireType)
            }
        }
        return caption
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
