import Foundation
import Testing
import FolioModel
@testable import FolioEntities

/// Where the recognizer moves the tagger's boundaries: a person run into the next word when the
/// article writes the shorter name (梁军有 → 梁军), a province and a city read as one place split
/// (江苏新沂市), a province and a region read as two joined (江西省 + 宜春地区).
@Suite struct TaggerBoundaryTests {
    let lexicon = EntityLexicon(directory: EntityRecognizer.dataDirectory)

    func scalars(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

    func trimmed(_ article: String, _ start: Int, _ end: Int) -> (Int, Int) {
        let s = scalars(article)
        var out = [Candidate(type: .person, start: start, end: end, rank: Rank.context)]
        s.withUnsafeBufferPointer { EntityRecognizer.trimPersonTails($0, &out, from: 0, lexicon: lexicon, article: $0) }
        return (out[0].start, out[0].end)
    }

    @Test func personRunIntoTheNextWordIsCutWhereTheArticleWritesTheName() {
        let article = "梁军有３个男孩。梁军最感动的是那一年。梁军同志说，梁军仍感到很幸福。"
        #expect(trimmed(article, 0, 3) == (0, 2))
        #expect(trimmed(article, 8, 11) == (8, 10))
    }

    @Test func fullNameRepeatedAsSuchIsKept() {
        // 梁军有 twice and 梁军 no more often: the article gives no reason to cut.
        #expect(trimmed("梁军有一个小盒子。梁军有三个男孩。", 0, 3) == (0, 3))
        // 明 is a given-name character: 李春明 stays whatever the article says.
        #expect(trimmed("李春明说。李春来了，李春走了。", 0, 3) == (0, 3))
    }

    @Test func anyNameRunIntoTheNextWordIsCutWhereTheArticleWritesTheName() {
        // Not opening with a surname (卡洛 + 排), and longer than three (阿洛卡 + 已).
        #expect(trimmed("卡洛排在第二道。卡洛耐力好，对手卡洛不怕。", 0, 3) == (0, 2))
        #expect(trimmed("阿洛卡已经出发。阿洛卡说，阿洛卡笑了。", 0, 4) == (0, 3))
        // The shorter name no more often than the whole: kept.
        #expect(trimmed("阿洛卡已经出发。阿洛卡已到。", 0, 4) == (0, 4))
        // A middle dot inside is part of the name; other characters stop the look.
        #expect(trimmed("罗莎·卡洛排在前。罗莎·卡洛说，罗莎·卡洛笑。", 0, 6) == (0, 5))
        #expect(trimmed("ABC排在前。ABC说，ABC笑。", 0, 4) == (0, 4))
    }

    func kin(_ text: String, _ start: Int, _ end: Int) -> [String] {
        let s = scalars(text)
        var out = [Candidate(type: .person, start: start, end: end, rank: Rank.context)]
        s.withUnsafeBufferPointer { EntityRecognizer.dropKinWords($0, &out, from: 0, lexicon: lexicon) }
        let chars = Array(text.unicodeScalars)
        return out.map { String(String.UnicodeScalarView(chars[$0.start..<$0.end])) }
    }

    @Test func kinshipWordsAreNoPeopleAndATitledSurnameIsTheSurname() {
        #expect(kin("她握着蔡大姐的手", 4, 6) == [])
        #expect(kin("下午接孙子回家", 3, 5) == [])
        #expect(kin("曹大夫刚进屋就问", 0, 3) == ["曹"])
        // Given names that open like a title word stay whole.
        #expect(kin("张大伟刚进屋", 0, 3) == ["张大伟"])
    }

    func places(_ text: String, _ spans: [(Int, Int)], _ fix: (UnsafeBufferPointer<UInt32>, inout [Candidate]) -> Void) -> [String] {
        let s = scalars(text)
        var out = spans.map { Candidate(type: .place, start: $0.0, end: $0.1, rank: Rank.context) }
        s.withUnsafeBufferPointer { fix($0, &out) }
        let chars = Array(text.unicodeScalars)
        return out.map { String(String.UnicodeScalarView(chars[$0.start..<$0.end])) }.sorted()
    }

    @Test func provinceAndCityAreSplit() {
        let split: (UnsafeBufferPointer<UInt32>, inout [Candidate]) -> Void = {
            EntityRecognizer.splitJoinedPlaces($0, &$1, from: 0, lexicon: lexicon)
        }
        #expect(places("我们从江苏新沂市来到北京", [(3, 8)], split) == ["新沂市", "江苏"])
        #expect(places("四川省泸州市纳溪区从每个家庭入手", [(3, 9)], split) == ["泸州市", "纳溪区"])
        // A region stays whole; so does a place without a leading known place.
        #expect(places("江西省宜春地区小康示范村", [(0, 7)], split) == ["江西省宜春地区"])
        #expect(places("到达新沂市", [(2, 5)], split) == ["新沂市"])
    }

    @Test func provinceAndRegionAreJoined() {
        let join: (UnsafeBufferPointer<UInt32>, inout [Candidate]) -> Void = {
            EntityRecognizer.joinRegions($0, &$1, from: 0, lexicon: lexicon)
        }
        #expect(places("江西省宜春地区小康示范村", [(0, 3), (3, 7)], join) == ["江西省宜春地区"])
        // Not side by side, or not a region: left as they are.
        #expect(places("江西省、宜春地区", [(0, 3), (4, 8)], join) == ["宜春地区", "江西省"])
        #expect(places("江苏新沂市", [(0, 2), (2, 5)], join) == ["新沂市", "江苏"])
    }

    @Test func longListedPlaceReadAsAPersonIsThePlace() {
        let s = scalars("李岚清会见爱沙尼亚议长，江山说。")
        var out = [Candidate(type: .person, start: 5, end: 9, rank: Rank.context),
                   Candidate(type: .person, start: 12, end: 14, rank: Rank.context)]
        s.withUnsafeBufferPointer { EntityRecognizer.retypeListedPlaces($0, &out, from: 0, lexicon: lexicon) }
        #expect(out[0].type == .place)
        // Two characters: a person, whatever the place list says.
        #expect(out[1].type == .person)
    }

    @Test func listedCountryBeforeAStateTitleIsThePlace() {
        let s = scalars("马拉维总统穆卢齐说，马拉维是朋友。")
        var out = [Candidate(type: .person, start: 0, end: 3, rank: Rank.context),
                   Candidate(type: .person, start: 5, end: 8, rank: Rank.context),
                   Candidate(type: .person, start: 10, end: 13, rank: Rank.context)]
        s.withUnsafeBufferPointer { EntityRecognizer.retypeListedPlaces($0, &out, from: 0, lexicon: lexicon) }
        #expect(out.map(\.type) == [.place, .person, .person])
    }
}
