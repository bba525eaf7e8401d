import FolioModel
import FolioStore
import FolioParser
import FolioText
import FolioWire

/// The production parser: FolioParser's PageParser.
public struct FolioPageParser: PageParsing {
    let parser: PageParser
    public init(parser: PageParser = PageParser()) {
        self.parser = parser
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
}
