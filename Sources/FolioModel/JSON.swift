import SwiftProtobuf

/// The proto3 JSON form every tool prints (`folio parse --json`, `folio get --json`).
public enum FolioJSON {
    public static let printOptions: JSONEncodingOptions = {
        var o = JSONEncodingOptions()
        o.alwaysPrintEnumsAsInts = false
        o.preserveProtoFieldNames = false
        return o
    }()

    public static let parseOptions: JSONDecodingOptions = {
        var o = JSONDecodingOptions()
        o.ignoreUnknownFields = true
        return o
    }()

    public static func string<M: SwiftProtobuf.Message>(_ message: M) throws -> String {
        try message.jsonString(options: printOptions)
    }
}
