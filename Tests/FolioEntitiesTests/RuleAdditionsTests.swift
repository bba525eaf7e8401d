import Foundation
import Testing
import FolioModel
@testable import FolioEntities

/// The combined recognizer (`EntityRecognizer.combined`): the tagger's names, and the rules' names of the kinds
/// precise on PFR text where the tagger is silent or where a city's office extends its place.
@Suite struct RuleAdditionsTests {
    static let lexicon = EntityLexicon(directory: EntityRecognizer.dataDirectory)

    /// The kind of a rule candidate covering `name` inside `text`.
    func kind(_ text: String, _ name: String, _ type: Folio_V1_EntityType, rank: Int = Rank.rule,
              taggerPlace: String? = nil) -> RuleKinds {
        let s = text.unicodeScalars.map(\.value)
        let n = name.unicodeScalars.map(\.value)
        guard let start = (0...(s.count - n.count)).first(where: { Array(s[$0..<($0 + n.count)]) == n }) else { return [] }
        var places: [Candidate] = []
        if let taggerPlace {
            places.append(Candidate(type: .place, start: start, end: start + taggerPlace.unicodeScalars.count, rank: Rank.context))
        }
        return s.withUnsafeBufferPointer {
            EntityRecognizer.ruleKind($0, Candidate(type: type, start: start, end: start + n.count, rank: rank),
                                      lexicon: Self.lexicon, places: TaggedNames(places[...]))
        }
    }

    @Test func streetsButNotRoadWords() {
        #expect(kind("往北打通青松北街，北面", "青松北街", .place) == .street)
        #expect(kind("去车站不用绕道人民街了", "人民街", .place) == .street)
        // 铁路, 公路, 山路: the character before 路 makes an ordinary word.
        #expect(kind("修建南昆铁路四年", "南昆铁路", .place) == .otherPlace)
        #expect(kind("乡村公路通到山里", "乡村公路", .place) == .otherPlace)
        #expect(kind("走三个钟头的泥泞山路", "泥泞山路", .place) == .otherPlace)
    }

    @Test func companiesAndOffices() {
        #expect(kind("在华丰生物科技有限公司车间", "华丰生物科技有限公司", .organization) == .company)
        #expect(kind("由省交通厅、省发改委推荐", "省交通厅", .organization) == .provincialOffice)
        #expect(kind("经国家发改委审查", "国家发改委", .organization) == .provincialOffice)
        // 局 is no commission: 省电力局 stays out (PFR does not name it).
        #expect(kind("经省电力局核准", "省电力局", .organization) == .otherOrganization)
        #expect(kind("锦州市科技局局长说", "锦州市科技局", .organization) == .placeOrganization)
        #expect(kind("西宁市白石子采石场开工", "西宁市白石子采石场", .organization, taggerPlace: "西宁市") == .placeOrganization)
        // A newspaper is no organization in PFR (顺德 + 报).
        #expect(kind("在《顺德报》上公布", "顺德报", .organization) == .otherOrganization)
    }

    @Test func portsOfKnownPlaces() {
        #expect(kind("继大连港、营口港之后", "营口港", .place) == .knownFacility)
        #expect(kind("在上海召开", "上海", .place, rank: Rank.gazetteer) == .knownPlace)
    }

    @Test func officeExtensionOnlyAfterACity() {
        let text = "锦州市自然资源局负责，顺德报刊登"
        let s = text.unicodeScalars.map(\.value)
        let city = Candidate(type: .place, start: 0, end: 3, rank: Rank.context)
        let office = Candidate(type: .organization, start: 0, end: 8, rank: Rank.rule)
        let town = Candidate(type: .place, start: 11, end: 13, rank: Rank.context)
        let paper = Candidate(type: .organization, start: 11, end: 14, rank: Rank.rule)
        s.withUnsafeBufferPointer { b in
            #expect(EntityRecognizer.extendsOffice(b, office, kind: .placeOrganization, tagged: TaggedNames([city][...])))
            // 顺德 ends with no city suffix.
            #expect(!EntityRecognizer.extendsOffice(b, paper, kind: .placeOrganization, tagged: TaggedNames([town][...])))
        }
    }

    /// The combined merge over hand-made tagger and rule candidates: the names kept, as text.
    func merged(_ text: String, tagger: [(Folio_V1_EntityType, String)], rules: [(Folio_V1_EntityType, String, Int)]) -> [String] {
        let s = text.unicodeScalars.map(\.value)
        func span(_ name: String) -> (Int, Int) {
            let n = name.unicodeScalars.map(\.value)
            let start = (0...(s.count - n.count)).first { Array(s[$0..<($0 + n.count)]) == n } ?? 0
            return (start, start + n.count)
        }
        var out = tagger.map { t in let (a, b) = span(t.1); return Candidate(type: t.0, start: a, end: b, rank: Rank.context) }
        let ruled = rules.map { r in let (a, b) = span(r.1); return Candidate(type: r.0, start: a, end: b, rank: r.2) }
        s.withUnsafeBufferPointer { b in
            EntityRecognizer.merge(rules: ruled[...], into: &out, taggerFrom: 0, kinds: EntityRecognizer.combinedRuleKinds, b, lexicon: Self.lexicon)
        }
        let chars = Array(text.unicodeScalars)
        return out.map { String(String.UnicodeScalarView(chars[$0.start..<$0.end])) }.sorted()
    }

    @Test func zoneOpeningWithATaggerPlaceReplacesTheNamesItCuts() {
        // The tagger: 青石河 and an organization starting inside the zone (济开发区华丰…公司).
        let text = "在义县青石河经济开发区华丰生物科技有限公司车间里"
        let kept = merged(text, tagger: [(.place, "义县"), (.place, "青石河"), (.organization, "济开发区华丰生物科技有限公司")],
                          rules: [(.place, "青石河经济开发区", Rank.rule), (.organization, "华丰生物科技有限公司", Rank.rule)])
        #expect(kept == ["义县", "华丰生物科技有限公司", "青石河经济开发区"].sorted())
        // A region (地区) is no zone: PFR names the place before it alone.
        let region = merged("增进欧洲地区中文报纸", tagger: [(.place, "欧洲")], rules: [(.place, "欧洲地区", Rank.rule)])
        #expect(region == ["欧洲"])
        // A zone opening with no tagger place is not taken.
        #expect(merged("进驻某某经济开发区", tagger: [], rules: [(.place, "某某经济开发区", Rank.rule)]) == [])
    }

    @Test func knownPlaceReplacesTheTaggerPlacesItCovers() {
        // The tagger: 沙特 and 阿拉伯, or a place one character short at the start.
        #expect(merged("在沙特阿拉伯的吉达", tagger: [(.place, "沙特"), (.place, "阿拉伯")], rules: [(.place, "沙特阿拉伯", Rank.gazetteer)])
                == ["沙特阿拉伯"])
        #expect(merged("美国明尼苏达州的", tagger: [(.place, "美国"), (.place, "尼苏达州")],
                       rules: [(.place, "美国", Rank.gazetteer), (.place, "明尼苏达州", Rank.gazetteer)]) == ["明尼苏达州", "美国"])
        // 市 + 民 is a word: the tagger's 合肥 stays; so does a tagger organization.
        #expect(merged("合肥市民一觉醒来", tagger: [(.place, "合肥")], rules: [(.place, "合肥市", Rank.gazetteer)]) == ["合肥"])
        #expect(merged("沙特阿拉伯航空", tagger: [(.organization, "沙特阿拉伯航空")], rules: [(.place, "沙特阿拉伯", Rank.gazetteer)])
                == ["沙特阿拉伯航空"])
    }

    @Test func combinedAddsPreciseRuleNamesWhereTheTaggerIsSilent() throws {
        let text = "由省交通厅、省发改委推荐，锦州市自然资源局负责绿色矿山建设，锦州港将成为继大连港、营口港之后的港口。"
        let combined = EntityRecognizer.combined.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: nil)
        let tagger = EntityRecognizer.taggerOnly.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: nil)
        func names(_ es: [Folio_V1_Entity], _ t: Folio_V1_EntityType) -> Set<String> { Set(es.filter { $0.type == t }.map(\.normalized)) }
        #expect(EntityRecognizer.combined.usesTagger)
        #expect(names(combined, .organization).isSuperset(of: ["省交通厅", "省发改委", "锦州市自然资源局"]))
        #expect(names(combined, .place).contains("营口港"))
        // Every tagger name not covered by an added rule name is kept.
        for e in tagger where e.type == .person { #expect(names(combined, .person).contains(e.normalized)) }
    }

    @Test func combinedTakesNoRulesPerson() {
        #expect(!EntityRecognizer.rules.usesTagger)
        #expect(EntityRecognizer.combinedRuleKinds.isSubset(of: .all) && !EntityRecognizer.combinedRuleKinds.contains(.person))
    }

    @Test func garbageAndEmptyInput() {
        for text in ["", "路", "街街街街", "有限公司", "省委", String(repeating: "国家发改委", count: 500), "\u{0}\u{FFFF}港"] {
            _ = EntityRecognizer.combined.recognize(fields: [EntityField(field: .block, index: 0, text: text)], pageDate: nil)
            let s = text.unicodeScalars.map(\.value)
            guard !s.isEmpty else { continue }
            s.withUnsafeBufferPointer { b in
                for type in [Folio_V1_EntityType.person, .place, .organization] {
                    _ = EntityRecognizer.ruleKind(b, Candidate(type: type, start: 0, end: s.count, rank: Rank.rule), lexicon: Self.lexicon)
                }
            }
        }
    }
}
