import FolioModel

/// A span the scanners propose; the recognizer keeps the best non-overlapping ones.
///
/// Compact on purpose (32 bytes): a long field has hundreds of thousands of candidates, sorted,
/// copied and resolved; the numeric forms, rare, sit behind one reference.
struct Candidate {
    private var typeCode: UInt8
    private var rankCode: UInt8
    var start: Int
    var end: Int
    private var numeric: NumericForm?

    init(type: Folio_V1_EntityType, start: Int, end: Int, rank: Int) {
        typeCode = Self.code(type)
        rankCode = UInt8(clamping: rank)
        self.start = start
        self.end = end
    }

    /// The type, converted here rather than by the generated `init(rawValue:)` and `rawValue`
    /// (calls into FolioModel, made for every candidate looked at).
    var type: Folio_V1_EntityType {
        get {
            switch typeCode {
            case 0: return .unspecified
            case 1: return .person
            case 2: return .organization
            case 3: return .place
            case 4: return .quantity
            case 5: return .date
            default: return .UNRECOGNIZED(Int(typeCode))
            }
        }
        set { typeCode = Self.code(newValue) }
    }

    /// `UInt8(clamping: type.rawValue)`, inlined (model.proto's numbers).
    @inline(__always)
    static func code(_ type: Folio_V1_EntityType) -> UInt8 {
        switch type {
        case .unspecified: return 0
        case .person: return 1
        case .organization: return 2
        case .place: return 3
        case .quantity: return 4
        case .date: return 5
        case .UNRECOGNIZED(let i): return UInt8(clamping: i)
        }
    }

    /// Higher wins an overlap before length does (gazetteer and numeric forms are surer).
    var rank: Int {
        get { Int(rankCode) }
        set { rankCode = UInt8(clamping: newValue) }
    }

    /// Set by the numeric scanners; names are normalized by folding their text.
    var normalized: String? {
        get { numeric?.normalized }
        set { numeric = NumericForm.make(normalized: newValue, quantity: numeric?.quantity) }
    }

    var quantity: Folio_V1_Quantity? {
        get { numeric?.quantity }
        set { numeric = NumericForm.make(normalized: numeric?.normalized, quantity: newValue) }
    }

    /// Both numeric fields at once: one NumericForm instead of one per setter.
    mutating func setNumeric(normalized: String?, quantity: Folio_V1_Quantity?) {
        numeric = NumericForm.make(normalized: normalized, quantity: quantity)
    }

    var length: Int { end - start }
}

/// A numeric candidate's normalized text and quantity. Immutable: copies of a candidate share it,
/// and a change makes a new one.
final class NumericForm: Sendable {
    let normalized: String?
    let quantity: Folio_V1_Quantity?

    private init(normalized: String?, quantity: Folio_V1_Quantity?) {
        self.normalized = normalized
        self.quantity = quantity
    }

    static func make(normalized: String?, quantity: Folio_V1_Quantity?) -> NumericForm? {
        normalized == nil && quantity == nil ? nil : NumericForm(normalized: normalized, quantity: quantity)
    }
}

/// Overlap ranks.
enum Rank {
    static let rule = 1
    static let context = 2
    static let gazetteer = 3
    static let numeric = 4
}
