import FolioModel

/// One text of an article handed to entity recognition. `index` is the block index into
/// lead ++ body for TEXT_FIELD_BLOCK, the caption index for TEXT_FIELD_CAPTION.
public struct EntityInput: Sendable {
    public var field: Folio_V1_TextField
    public var index: Int
    public var text: String

    public init(field: Folio_V1_TextField, index: Int, text: String) {
        self.field = field
        self.index = index
        self.text = text
    }
}

/// What the parser needs from entity recognition. FolioEntities' recognizer conforms once
/// that branch is merged; until then the parser runs without one and leaves entities empty.
public protocol EntityRecognizing: Sendable {
    func recognize(inputs: [EntityInput], pageDate: String?) -> [Folio_V1_Entity]
}

extension PageParser {
    /// The texts of an article that entities are looked for in.
    static func entityInputs(of a: Folio_V1_Article) -> [EntityInput] {
        var inputs: [EntityInput] = []
        if !a.headline.isEmpty { inputs.append(EntityInput(field: .headline, index: 0, text: a.headline)) }
        if !a.subtitle.isEmpty { inputs.append(EntityInput(field: .subtitle, index: 0, text: a.subtitle)) }
        for (i, b) in (a.lead + a.body).enumerated() {
            inputs.append(EntityInput(field: .block, index: i, text: b.text))
        }
        for (i, c) in a.captions.enumerated() {
            inputs.append(EntityInput(field: .caption, index: i, text: c.text))
        }
        return inputs
    }
}
