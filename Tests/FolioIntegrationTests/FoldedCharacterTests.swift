import FolioClient
import FolioModel
import Foundation
import Testing

/// Through foliod and the CLI: characters pages carry in place of ordinary ones (Kangxi radicals,
/// compatibility ideographs, ○ for zero, variation selectors, Simplified forms outside the BMP)
/// are found by the ordinary ones, and every highlight slices the snippet it comes with.
@Suite("folded look-alike characters", .serialized)
struct FoldedCharacterTests {
    static func folder(_ pages: [String: String]) throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-fold-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try pages.sorted { $0.key < $1.key }.map { name, text in
            let path = folder.appendingPathComponent(name + ".txt").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    @Test("look-alike characters are searched as the ordinary ones")
    func searchedAsTheOrdinaryOnes() async throws {
        let paths = try Self.folder([
            "kx": "新聞測試\n\n\u{2FB9}港特別行政區政府\u{2F47}前公布，\u{2F08}民生活改善。\n",
            "compat": "會展中心開幕\n\n香港會議展覽中心昨天舉行\u{F9DC}重開幕儀式，特首出席。\n",
            "year": "二○○○年長城\n\n本報北京１月９日訊 二○○○年長城將豎立倒計時鐘。\n",
            "other": "第二條消息\n\n第二條消息，明年再說。\n",
            "ivs": "醫院新翼啟用\n\n本報訊 葛\u{E0100}量洪醫院新翼昨天啟用，院長邊\u{E0101}國雄主持儀式。\n",
            "simp": "书画展开幕\n\n本报讯 元代书画家赵孟\u{2B5AF}的作品昨天在故宫展出。\n",
            "trad": "書畫展開幕\n\n本報訊 元代書畫家趙孟頫的作品昨天在故宮展出。\n",
        ])
        try await withDaemon { daemon, _ in
            let ingest = try await CLIRun.folio(["ingest"] + paths, socket: daemon.socketPath)
            #expect(ingest.status == 0, "stderr: \(ingest.stderr)")
            let expected: [(String, Set<String>)] = [
                ("香港特別", ["kx-01"]), ("\u{2FB9}港", ["kx-01", "compat-01"]), ("隆重", ["compat-01"]),
                ("二○○○", ["year-01"]), ("二〇〇〇", ["year-01"]), ("边国雄", ["ivs-01"]), ("葛量洪", ["ivs-01"]),
                ("趙孟頫", ["simp-01", "trad-01"]), ("赵孟\u{2B5AF}", ["simp-01", "trad-01"]),
            ]
            for (query, ids) in expected {
                let run = try await CLIRun.folio(["search", query, "--json"], socket: daemon.socketPath)
                #expect(run.status == 0, "stderr: \(run.stderr)")
                let response = try Folio_V1_SearchResponse(jsonString: run.stdout, options: FolioJSON.parseOptions)
                #expect(Set(response.hits.map(\.articleID)) == ids, "\(query)")
                for hit in response.hits {
                    let scalars = Array(hit.snippet.unicodeScalars)
                    #expect(!hit.highlights.isEmpty, "\(query) in \(hit.articleID)")
                    for h in hit.highlights {
                        let marked = String(String.UnicodeScalarView(scalars[Int(h.start)..<Int(h.end)]))
                        #expect(marked.unicodeScalars.count >= query.unicodeScalars.count - 1, "\(query): \(marked)")
                    }
                }
            }
            let entity = try await CLIRun.folio(["entity", "邊國雄", "--json"], socket: daemon.socketPath)
            #expect(entity.status == 0, "stderr: \(entity.stderr)")
            #expect(entity.stdout.contains("ivs-01"))
        }
    }
}
