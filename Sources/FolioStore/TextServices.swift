import FolioModel
import FolioWire
import Foundation
import SwiftProtobuf

/// What the server needs from the parser and the text layer, behind protocols so the
/// daemon's plumbing does not depend on how pages are understood.
public protocol PageParsing: Sendable {
    func parsePage(text: String, source: String, info: Folio_V1_PageInfo?, pageID: String?) -> Folio_V1_Page
}

public protocol TextServices: Sendable {
    /// Full OpenCC conversion, for text a person reads.
    func convert(_ text: String, to script: Folio_V1_OutputScript) throws -> String
    /// Per-character fold (Simplified, half-width, lower-case) for matching filters.
    func fold(_ text: String) -> String
}

extension TextServices {
    /// A message with every string in the requested script. The JSON form is converted as a
    /// whole (field names and enum names are ASCII, which OpenCC leaves alone) so new fields
    /// of the model are covered without listing them here.
    package func converting<M: SwiftProtobuf.Message>(_ message: M, to script: Folio_V1_OutputScript) throws -> M {
        if script == .original { return message }
        let json = try message.jsonString()
        let converted = try convert(json, to: script)
        do {
            return try M(jsonString: converted)
        } catch {
            throw StatusError(.internal, "converted \(M.protoMessageName) is not valid: \(error)")
        }
    }
}
