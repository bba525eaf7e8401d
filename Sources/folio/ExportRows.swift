import FolioModel

/// The CSV rows of `folio export` (the Python client's `folio_client.export` has the same columns).
enum ExportRows {
    static let articleColumns = ["id", "page_id", "date", "section", "kicker", "headline", "subtitle", "authors",
                                 "dateline", "paragraphs", "text", "entities", "mentions", "captions"]
    static let mentionColumns = ["article_id", "type", "text", "normalized", "field", "paragraph", "start", "end"]

    static func articleRow(_ article: Folio_V1_Article) -> [String] {
        let blocks = article.lead + article.body
        return [
            article.id, article.pageID, article.date, article.section, article.kicker, article.headline,
            article.subtitle, article.authors.joined(separator: ";"), article.dateline.text,
            String(blocks.count), blocks.map(\.text).joined(separator: "\n"), String(article.entities.count),
            String(article.entities.reduce(0) { $0 + $1.mentions.count }),
            article.captions.map(\.text).joined(separator: "\n"),
        ]
    }

    static func mentionRows(_ article: Folio_V1_Article) -> [[String]] {
        let blocks = article.lead + article.body
        var rows: [[String]] = []
        for entity in article.entities {
            for mention in entity.mentions {
                let field: (name: String, text: String)
                switch mention.field {
                case .headline: field = ("headline", article.headline)
                case .subtitle: field = ("subtitle", article.subtitle)
                case .caption: field = ("caption", article.captions[safe: Int(mention.block)]?.text ?? "")
                default: field = ("body", blocks[safe: Int(mention.block)]?.text ?? "")
                }
                rows.append([article.id, typeName(entity.type), slice(field.text, mention.start, mention.end),
                             entity.normalized, field.name, String(mention.block), String(mention.start),
                             String(mention.end)])
            }
        }
        return rows
    }

    static func typeName(_ type: Folio_V1_EntityType) -> String {
        switch type {
        case .person: "person"
        case .organization: "organization"
        case .place: "place"
        case .quantity: "quantity"
        case .date: "date"
        default: "unspecified"
        }
    }

    /// Unicode-scalar offsets, end exclusive, clipped to the text.
    static func slice(_ text: String, _ start: UInt32, _ end: UInt32) -> String {
        let scalars = text.unicodeScalars
        let from = scalars.index(scalars.startIndex, offsetBy: Int(start), limitedBy: scalars.endIndex) ?? scalars.endIndex
        let to = scalars.index(scalars.startIndex, offsetBy: Int(max(start, end)), limitedBy: scalars.endIndex) ?? scalars.endIndex
        return String(scalars[from..<to])
    }

    /// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; CRLF ends a row.
    /// Works on UTF-8 bytes: these are ASCII, and walking Characters of Chinese text is slow.
    static func csvLine(_ fields: [String]) -> String {
        var line: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { line.append(0x2C) }
            let bytes = field.utf8
            guard bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
                line.append(contentsOf: bytes)
                continue
            }
            line.append(0x22)
            for byte in bytes {
                if byte == 0x22 { line.append(0x22) }
                line.append(byte)
            }
            line.append(0x22)
        }
        line.append(contentsOf: [0x0D, 0x0A])
        return String(decoding: line, as: UTF8.self)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
