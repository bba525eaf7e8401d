import Testing
import FolioModel
import FolioEntities

/// Person rules beyond a surname plus likely given-name characters: a bare surname addressed by
/// a title, names framed by list or credit delimiters, transliterated names before a speech verb.
@Suite struct PersonRuleTests {
    func people(_ text: String) -> Set<String> {
        let fields = [EntityField(field: .block, index: 0, text: text)]
        return Set(EntityRecognizer.rules.recognize(fields: fields, pageDate: "1998-01-20")
            .filter { $0.type == .person }.map(\.normalized))
    }

    @Test func bareSurnameWithTitleOfAddress() {
        #expect(people("会后，“李教授听后欣喜地说”").contains("李"))
        #expect(people("积极贯彻毛主席的思想").contains("毛"))
        let doctor = people("人得以康复。董大夫采用中药口服")
        #expect(doctor.contains("董"))
        #expect(!doctor.contains("董大夫"))
    }

    @Test func namesFramedByListDelimiters() {
        #expect(people("亦龙、罗明、江国镇、厉志成、韩京承、黄定元").isSuperset(of: ["江国镇", "韩京承"]))
        #expect(people("化等内容。（陈国华）").contains("陈国华"))
        #expect(people("俊、唐永淑／秦艺源、黄楠雁").contains("秦艺源"))
    }

    @Test func transliteratedNameBeforeSpeechVerb() {
        #expect(people("哈梅内伊说，对伊朗人民").contains("哈梅内伊"))
    }

    @Test func threeCharacterNameBetweenPunctuationNeedsLessEvidence() {
        // 响 and 存 are rare in training and never in a given name; delimiters frame the name.
        #expect(people("工程质量。（吴国响摄）").contains("吴国响"))
        #expect(people("奎、郭世昌、何少存、杨迁（女）").contains("何少存"))
        // A place suffix at the end makes it a place, not a person (塞纳河).
        #expect(!people("流经巴黎的塞纳河，碧绿清亮").contains("塞纳河"))
        // After a function word the surname may belong to a word (对于春天).
        #expect(!people("对于春天、对于黎明，都有").contains("于春天"))
    }

    @Test func knownTwoCharacterNameIsNotGrownIntoText() {
        let found = people("李鹏强调，石油工业要")
        #expect(found.contains("李鹏"))
        #expect(!found.contains("李鹏强"))
    }

    @Test func doctrineNamedAfterAPersonIsNoMention() {
        #expect(!people("编者将邓小平理论与十一届").contains("邓小平"))
        #expect(!people("强调要掌握毛泽东思想的科学体系").contains("毛泽东"))
        #expect(people("邓小平同志指出").contains("邓小平"))
    }
}
