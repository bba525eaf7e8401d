import FolioEntities
import FolioModel
@testable import FolioParser
import Testing

/// Entities come from the parser's repaired text: a name cut by a column break is tagged whole,
/// with offsets into the joined paragraph.
@Suite struct EntityTaggingTests {
    func parse(_ text: String) -> Folio_V1_Page {
        PageParser(entityRecognizer: .taggerOnly).parse(text: text, source: "test.txt")
    }

    @Test func nameSplitByAColumnBreakIsTaggedInTheRepairedText() throws {
        let p = parse(page("李鹏会见奥尔布赖特", "新华社北京１月１５日电 国务院总理李", "鹏今天在人民大会堂会见了美国国务卿奥尔布赖特。"))
        let a = try #require(p.articles.first)
        let joined = try #require(a.body.first { $0.text.contains("总理李鹏今天") })
        let person = try #require(a.entities.first { $0.type == .person && $0.normalized == "李鹏" })
        let block = UInt32(a.lead.count + a.body.firstIndex { $0.text == joined.text }!)
        let scalars = Array(joined.text.unicodeScalars)
        let inBody = person.mentions.filter { $0.field == .block && $0.block == block }
        try #require(inBody.count == 1)
        #expect(String(String.UnicodeScalarView(scalars[Int(inBody[0].start)..<Int(inBody[0].end)])) == "李鹏")
    }

    @Test func traditionalPageGetsTheSameEntitiesAsSimplified() throws {
        let simplified = parse(page("标题", "国务院总理李鹏今天在北京会见了美国国务卿奥尔布赖特。"))
        let traditional = parse(page("標題", "國務院總理李鵬今天在北京會見了美國國務卿奧爾布賴特。"))
        let key = { (p: Folio_V1_Page) in Set(p.articles.flatMap(\.entities).filter { $0.type != .date && $0.type != .quantity }.map { "\($0.type.rawValue) \($0.normalized)" }) }
        #expect(key(simplified) == key(traditional))
        #expect(key(traditional).contains("\(Folio_V1_EntityType.person.rawValue) 李鹏"))
    }
}
