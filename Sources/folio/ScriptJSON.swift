import FolioModel
import Foundation
import SwiftProtobuf

/// proto3 JSON leaves out a field at its default (0, empty list), so `folio search … --json`
/// with no hit printed neither `total` nor `hits`, and `jq .total` gave null exactly where a script
/// branches. The answers' counts and lists are printed whatever their value.
enum ScriptJSON {
    /// Per answer message, its fields a script counts on and their JSON at the default.
    static let alwaysPrinted: [String: [(key: String, value: String)]] = [
        Folio_V1_SearchResponse.protoMessageName: [("total", "0"), ("hits", "[]")],
        Folio_V1_ListArticlesResponse.protoMessageName: [("total", "0"), ("articles", "[]")],
        Folio_V1_ListPagesResponse.protoMessageName: [("total", "0"), ("pages", "[]")],
        Folio_V1_ListEntitiesResponse.protoMessageName: [("total", "0"), ("entities", "[]")],
        Folio_V1_GetEntityResponse.protoMessageName: [("mentions", "[]")],
        Folio_V1_StatsResponse.protoMessageName: [("pages", "0"), ("articles", "0"), ("entities", "0")],
        Folio_V1_HealthResponse.protoMessageName: [("pages", "0"), ("articles", "0")],
        Folio_V1_ReloadResponse.protoMessageName: [("pages", "0"), ("articles", "0")],
        Folio_V1_IngestResponse.protoMessageName: [("articleIds", "[]"), ("replaced", "false")],
        Folio_V1_DeletePageResponse.protoMessageName: [("articlesRemoved", "0")],
    ]

    /// `json` (one object, as FolioJSON prints `message`) with the fields of `alwaysPrinted` it lacks
    /// added at their defaults, first.
    static func withDefaults(_ json: String, of message: some SwiftProtobuf.Message) -> String {
        guard let fields = alwaysPrinted[type(of: message).protoMessageName], json.hasPrefix("{"),
              let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return json }
        let missing = fields.filter { object[$0.key] == nil }.map { "\"\($0.key)\":\($0.value)" }
        guard !missing.isEmpty else { return json }
        let rest = json.dropFirst()
        return "{" + missing.joined(separator: ",") + (rest.hasPrefix("}") ? "" : ",") + rest
    }
}
