import FolioEntities
import FolioModel
import FolioStore
import FolioParser
import FolioText
import FolioWire

/// How foliod finds people, places and organizations (`foliod --names`).
public enum NameRecognizer: String, CaseIterable, Sendable {
    /// The learnt tagger plus the rules' precise kinds: the default, more accurate.
    case combined
    /// The hand-written rules alone: faster parses and cold starts, lower recall.
    case rules

    var recognizer: EntityRecognizer { self == .rules ? .rules : .shared }
}

/// The production parser: FolioParser's PageParser.
public struct FolioPageParser: PageParsing {
    let parser: PageParser
    public let modelIdentity: String

    public init(names: NameRecognizer = .combined) {
        let recognizer = names.recognizer
        parser = PageParser(entityRecognizer: recognizer)
        // Without tagger.bin the combined recognizer falls back to the rules: key what it does.
        modelIdentity = "names:" + (recognizer.usesTagger ? names.rawValue : NameRecognizer.rules.rawValue)
            + "|entities:" + InstalledResources.stamp(of: EntityRecognizer.dataDirectory)
            + "|parser:" + InstalledResources.stamp(of: LearntData.directory)
    }
    public func parsePage(text: String, source: String, info: Folio_V1_PageInfo?, pageID: String?) -> Folio_V1_Page {
        parser.parse(text: text, source: source, info: info, pageID: pageID)
    }
}

/// The production text layer: OpenCC through FolioText.
public struct OpenCCTextServices: TextServices {
    public init() {}

    public func convert(_ text: String, to script: Folio_V1_OutputScript) throws -> String {
        let form: OutputForm
        switch script {
        case .original: return text
        case .simplified: form = .simplified
        case .traditional: form = .traditional
        case .taiwan: form = .taiwan
        case .UNRECOGNIZED(let n): throw StatusError(.invalidArgument, "unknown output script \(n)")
        }
        do {
            return try ScriptConverter.shared.convert(text, to: form)
        } catch {
            throw StatusError(.internal, "script conversion failed: \(error)")
        }
    }

    public func fold(_ text: String) -> String {
        CharacterFold.shared.fold(text)
    }
}


extension IndexSearchProvider {
    /// Stats' index_terms.
    public var indexTerms: Int { index.termCount }
    /// Stats' entities: what ListEntities counts, one per type and name.
    public var entityCount: Int { index.entityCount }
}
