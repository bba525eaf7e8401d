/// A block of a PDF page with the role its type and place give it. The role names are those of
/// the parser's laid-out page form (`LaidOutText` in FolioParser), which the `folio` tool writes.
public struct PDFBlock: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable {
        case rubric
        case endRubric = "end-rubric"
        case kicker
        case headline
        case subtitle
        case byline
        case leadMarker = "lead-marker"
        case lead
        case paragraph
        case subheading
        case caption
        case captionNext = "caption-next"
        case jump
        case label
    }

    public var role: Role
    public var text: String

    public init(_ role: Role, _ text: String) {
        self.role = role
        self.text = text
    }
}
