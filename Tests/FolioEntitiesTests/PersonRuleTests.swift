import Testing
import FolioModel
import FolioEntities

/// Person rules beyond a surname plus likely given-name characters: a bare surname addressed by
/// a title, names framed by list or credit delimiters, transliterated names before a speech verb.
@Suite struct PersonRuleTests {
    func people(_ text: String) -> Set<String> {
        let fields = [EntityField(field: .block, index: 0, text: text)]
        return Set(EntityRecognizer.shared.recognize(fields: fields, pageDate: "1998-01-20")
            .filter { $0.type == .person }.map(\.normalized))
    }

    @Test func bareSurnameWithTitleOfAddress() {
        #expect(people("会后，“李教授听后欣喜地说”").contains("李"))
        #expect(people("积极贯彻毛主席的思想").contains("毛"))
    }

    @Test func namesFramedByListDelimiters() {
        #expect(people("亦龙、罗明、江国镇、厉志成、韩京承、黄定元").isSuperset(of: ["江国镇", "韩京承"]))
        #expect(people("化等内容。（陈国华）").contains("陈国华"))
        #expect(people("俊、唐永淑／秦艺源、黄楠雁").contains("秦艺源"))
    }

    @Test func transliteratedNameBeforeSpeechVerb() {
        #expect(people("哈梅内伊说，对伊朗人民").contains("哈梅内伊"))
    }
}
