import FolioText
import Testing

@Suite struct ScriptConverterTests {
    @Test func convertsBetweenScripts() throws {
        let c = ScriptConverter.shared
        #expect(try c.convert("錦州腳步", to: .simplified) == "锦州脚步")
        #expect(try c.convert("锦州脚步", to: .traditional) == "錦州腳步")
        #expect(try c.convert("软件", to: .taiwan) == "軟體")
        #expect(try c.convert("錦州 mixed 锦州", to: .original) == "錦州 mixed 锦州")
        #expect(try c.convert("", to: .simplified) == "")
    }

    @Test func outputFormNamesParse() {
        #expect(OutputForm(name: "simplified") == .simplified)
        #expect(OutputForm(name: "TW") == .taiwan)
        #expect(OutputForm(name: "original") == .original)
        #expect(OutputForm(name: "klingon") == nil)
    }

    @Test func isSafeToShareBetweenThreads() async {
        let results = await withTaskGroup(of: String.self, returning: Set<String>.self) { group in
            for _ in 0..<32 {
                group.addTask { ScriptConverter.shared.convertOrOriginal("東北陸海新通道", to: .simplified) }
            }
            var all = Set<String>()
            for await r in group { all.insert(r) }
            return all
        }
        #expect(results == ["东北陆海新通道"])
    }
}

@Suite struct CharacterFoldTests {
    let fold = CharacterFold.shared

    @Test func tableComesFromOpenCCData() {
        // OpenCC's character tables map a few thousand Traditional characters.
        #expect(fold.mappedCount > 2000)
    }

    @Test func foldsScriptWidthAndCase() {
        #expect(fold.fold("錦" as Unicode.Scalar) == "锦")
        #expect(fold.fold("報" as Unicode.Scalar) == "报")
        #expect(fold.fold("锦" as Unicode.Scalar) == "锦")
        #expect(fold.fold("１" as Unicode.Scalar) == "1")
        #expect(fold.fold("Ａ" as Unicode.Scalar) == "a")
        #expect(fold.fold("Q" as Unicode.Scalar) == "q")
        #expect(fold.fold("\u{3000}" as Unicode.Scalar) == " ")
        #expect(fold.fold("𠀀" as Unicode.Scalar) == "𠀀")
    }

    @Test func foldingKeepsOffsets() {
        let text = "本報訊 記者崔治報道：１７.２萬平方米ＡＢＣ"
        let folded = fold.fold(text)
        #expect(folded.unicodeScalars.count == text.unicodeScalars.count)
        #expect(folded == "本报讯 记者崔治报道:17.2万平方米abc")
    }

    @Test func knowsScriptOnlyCharacters() {
        #expect(fold.scriptFlags("錦").contains(.traditionalOnly))
        #expect(fold.scriptFlags("锦").contains(.simplifiedOnly))
        #expect(fold.scriptFlags("中").isEmpty)
        #expect(fold.scriptFlags("a").isEmpty)
    }
}

@Suite struct ScriptStatsTests {
    @Test func countsAndDominantScript() {
        let trad = ScriptStats.count("錦州港加快建設國家多式聯運示范工程")
        #expect(trad.traditionalOnly == 5)  // 錦 設 國 聯 運
        #expect(trad.dominant == .traditional)
        let simp = ScriptStats.count("锦州港加快建设国家多式联运示范工程")
        #expect(simp.traditionalOnly == 0)
        #expect(simp.simplifiedOnly >= 6)
        #expect(simp.dominant == .simplified)
        #expect(ScriptStats.count("中 2022").dominant == .unknown)
        #expect(ScriptStats(traditionalOnly: 5, simplifiedOnly: 5).dominant == .mixed)
    }
}

@Suite struct CharacterClassTests {
    @Test func classes() {
        #expect(CharacterClass.isHan("錦"))
        #expect(!CharacterClass.isHan("a"))
        #expect(CharacterClass.digitValue("７") == 7)
        #expect(CharacterClass.isSentenceEnd("。"))
        #expect(CharacterClass.endsSentence(Array("他說：“好。”".unicodeScalars)))
        #expect(!CharacterClass.endsSentence(Array("堅定不移走創".unicodeScalars)))
        #expect(CharacterClass.cannotStartSentence("，"))
        #expect(CharacterClass.isPunctuation("、"))
        #expect(!CharacterClass.isPunctuation("中"))
    }
}
