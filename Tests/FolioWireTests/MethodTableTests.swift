import FolioWire
import Foundation
import Testing

/// `FolioMethod` is generated from service.proto (scripts/gen-methods.py, run by gen-protos.sh);
/// this reads the proto itself, so a method added there and not regenerated here fails.
enum ServiceProto {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Protos/folio/v1/service.proto").standardized.path

    struct RPC: Equatable {
        var name, request, response: String
        var streaming, write: Bool
    }

    /// The rpc lines of service Folio: `rpc Name(Request) returns ([stream ]Response); [// write]`.
    static func rpcs() throws -> [RPC] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> RPC? in
            let words = line.split(whereSeparator: { " \t();".contains($0) })
            guard words.first == "rpc", words.count >= 5, words[3] == "returns" else { return nil }
            let streaming = words[4] == "stream"
            let response = String(streaming ? words[5] : words[4])
            return RPC(name: String(words[1]), request: "folio.v1." + words[2], response: "folio.v1." + response,
                       streaming: streaming, write: line.contains("// write"))
        }
    }
}

@Suite struct MethodTableTests {
    @Test func folioMethodIsServiceProto() throws {
        let rpcs = try ServiceProto.rpcs()
        #expect(rpcs.count >= 18)
        let table = FolioMethod.allCases.map {
            ServiceProto.RPC(name: $0.shortName, request: $0.requestType, response: $0.responseType,
                             streaming: $0.isServerStreaming, write: $0.isWrite)
        }
        #expect(table == rpcs)
        #expect(FolioMethod.allCases.map(\.ordinal) == Array(FolioMethod.allCases.indices))
        #expect(FolioMethod.allCases.allSatisfy { $0.rawValue == FolioMethod.servicePrefix + $0.shortName })
    }
}
