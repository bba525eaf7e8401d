import FolioModel

/// One piece of an article's text handed to the recognizer: which field it is, its index
/// (block index into lead ++ body, caption index, 0 for headline/subtitle) and the text as
/// printed. Mentions point back into exactly this text.
public struct EntityField: Sendable {
    public var field: Folio_V1_TextField
    public var index: Int
    public var text: String

    public init(field: Folio_V1_TextField, index: Int, text: String) {
        self.field = field
        self.index = index
        self.text = text
    }
}
