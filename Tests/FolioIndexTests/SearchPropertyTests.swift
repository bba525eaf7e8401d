import FolioModel
import FolioTestSupport
import Testing
@testable import FolioIndex

/// For hundreds of random queries over a mixed-script pfr1998 corpus, the set of matching articles
/// equals a brute-force scan of the folded text, and every highlight covers exactly matched text.
@Suite(.enabled(if: SharedCorpus.isPresent, "the shared corpus (../shared) is not here")) struct SearchPropertyTests {
    static let articles = TestCorpus.mixedScript
    static let index: SearchIndex = {
        let index = SearchIndex()
        // Several batches, so queries run over several segments and merges.
        let batch = max(1, articles.count / 5)
        for start in stride(from: 0, to: articles.count, by: batch) {
            index.add(articles: Array(articles[start..<min(start + batch, articles.count)]))
        }
        return index
    }()
    static let reference = BruteForce(articles)

    /// A random run of 1–4 consecutive Han characters from some article, in either script.
    static func randomRun(_ random: inout SplitMix64) -> String {
        for _ in 0..<50 {
            let article = articles[Int.random(in: 0..<articles.count, using: &random)]
            guard let block = article.body.randomElement(using: &random) else { continue }
            let scalars = Array(block.text.unicodeScalars)
            guard scalars.count > 4 else { continue }
            let length = Int.random(in: 1...4, using: &random)
            let start = Int.random(in: 0...(scalars.count - length), using: &random)
            let slice = scalars[start..<(start + length)]
            guard slice.allSatisfy({ IndexFold.isHan($0.value) }) else { continue }
            let run = String(String.UnicodeScalarView(slice))
            return Bool.random(using: &random) ? SnippetScript.convert(run, to: .traditional) : IndexFold.shared.simplify(run)
        }
        return "中国"
    }

    @Test func corpusIsLoaded() {
        #expect(Self.articles.count >= 250)
        #expect(Self.index.articleCount == Self.articles.count)
    }

    @Test func randomQueriesMatchBruteForce() throws {
        var random = SplitMix64(seed: 1998)
        var nonEmpty = 0
        for round in 0..<400 {
            let a = Self.randomRun(&random), b = Self.randomRun(&random), c = Self.randomRun(&random)
            let query: String
            let expected: Set<String>
            let ref = Self.reference
            switch round % 6 {
            case 0:
                query = a
                expected = ref.ids { BruteForce.Atom.run(a).matches($0) }
            case 1:
                query = "\(a) \(b)"
                expected = ref.ids { BruteForce.Atom.run(a).matches($0) && BruteForce.Atom.run(b).matches($0) }
            case 2:
                query = "\"\(a)\(b)\""
                expected = ref.ids { BruteForce.Atom.run(a + b).matches($0) }
            case 3:
                query = "\(a) -\(b)"
                expected = ref.ids { BruteForce.Atom.run(a).matches($0) && !BruteForce.Atom.run(b).matches($0) }
            case 4:
                query = "\(a) OR \(b) \(c)"
                expected = ref.ids {
                    (BruteForce.Atom.run(a).matches($0) || BruteForce.Atom.run(b).matches($0))
                        && BruteForce.Atom.run(c).matches($0)
                }
            default:
                let day = Int.random(in: 1...20, using: &random)
                let to = "1998-01-\(day < 10 ? "0" : "")\(day)"
                query = "\(a) date:1998-01-01..\(to)"
                expected = ref.ids { BruteForce.Atom.run(a).matches($0) && $0.date <= to }
            }
            let found = try Self.index.matchingArticleIDs(query)
            #expect(Set(found) == expected, "query \(query)")
            #expect(found.count == Set(found).count, "duplicate hits for \(query)")
            if !expected.isEmpty { nonEmpty += 1 }
        }
        #expect(nonEmpty > 200)  // most queries have hits: the comparison is not vacuous
    }

    /// Quoted runs around a separator ("中国 人民": the two runs with punctuation or space between)
    /// match what a scan of the folded text finds; only documents where the runs' character pairs
    /// sit at their offsets are read again, which must lose none.
    @Test func phrasesAcrossASeparatorMatchBruteForce() throws {
        var random = SplitMix64(seed: 77)
        var queries = 0, nonEmpty = 0
        while queries < 120 {
            let article = Self.articles[Int.random(in: 0..<Self.articles.count, using: &random)]
            guard let block = article.body.randomElement(using: &random) else { continue }
            let scalars = Array(IndexFold.shared.fold(block.text).unicodeScalars)
            let isHan = { (at: Int) in at >= 0 && at < scalars.count && IndexFold.isHan(scalars[at].value) }
            // A separator between Han characters, and up to two Han characters on either side.
            let gaps = scalars.indices.filter { !isHan($0) && isHan($0 - 1) && isHan($0 + 1) && "，、。；：".unicodeScalars.contains(scalars[$0]) }
            guard let gap = gaps.randomElement(using: &random) else { continue }
            let before = isHan(gap - 2) && Bool.random(using: &random) ? 2 : 1
            let after = isHan(gap + 2) && Bool.random(using: &random) ? 2 : 1
            let left = String(String.UnicodeScalarView(scalars[(gap - before)..<gap]))
            let right = String(String.UnicodeScalarView(scalars[(gap + 1)..<(gap + 1 + after)]))
            let separates = { (s: Unicode.Scalar) in
                !IndexFold.isHan(s.value) && !s.properties.isAlphabetic && s.properties.numericType == nil
                    && !IndexFold.figureSigns.contains(s.value) && s != "\n"  // "\n" joins two fields: no text between them
            }
            let expected = Self.reference.ids { doc in
                doc.text.ranges(of: left).contains { range in
                    let rest = doc.text[range.upperBound...].unicodeScalars
                    let run = rest.prefix(while: separates)
                    return !run.isEmpty && String(String.UnicodeScalarView(rest.dropFirst(run.count))).hasPrefix(right)
                }
            }
            let found = try Self.index.matchingArticleIDs("\"\(left) \(right)\"")
            #expect(Set(found) == expected, "\"\(left) \(right)\"")
            queries += 1
            if !expected.isEmpty { nonEmpty += 1 }
        }
        #expect(nonEmpty > 100)
    }

    /// Figures with a decimal point or a per cent sign (７．５％, 10%) are found where a scan finds
    /// them: the signs were separators, so `10%` found every 10 and `7.5` a `7∶5` or `12407·50`.
    @Test func figuresWithTheirSignsMatchBruteForce() throws {
        var figures: Set<String> = []
        for article in Self.articles {
            for block in article.body {
                let text = Array(IndexFold.shared.fold(block.text).unicodeScalars)
                var start = 0
                while start < text.count {
                    var end = start
                    while end < text.count, text[end].properties.numericType != nil || IndexFold.figureSigns.contains(text[end].value) { end += 1 }
                    let run = String(String.UnicodeScalarView(text[start..<end]))
                    if end - start >= 3, run.contains(where: { "%.".contains($0) }) { figures.insert(run) }
                    start = end + 1
                }
            }
        }
        let queries = figures.sorted().prefix(150)
        #expect(queries.count >= 50)
        for figure in queries {
            for query in [figure, figure.replacingOccurrences(of: "%", with: "％").replacingOccurrences(of: ".", with: "．")] {
                let found = try Self.index.matchingArticleIDs(query)
                #expect(Set(found) == Self.reference.ids { BruteForce.Atom.run(query).matches($0) }, "query \(query)")
            }
        }
        let ratio = SearchIndex()
        ratio.add(articles: [TestCorpus.article(id: "r-01", page: "r", headline: "比分", body: ["以7∶5获胜，成交额12407·50元。"])])
        #expect(try ratio.matchingArticleIDs("7.5").isEmpty)
        #expect(try ratio.matchingArticleIDs("7∶5") == ["r-01"])
    }

    /// A quoted phrase with a space never joins the end of one field to the start of the next
    /// (`"客人 国家"` over a headline and the paragraph under it: no text holds it, no highlight shows it).
    @Test func phrasesDoNotSpanTwoFields() throws {
        var queries = 0
        for article in Self.articles.prefix(400) {
            let fields = [article.headline] + article.body.map(\.text)
            for (first, second) in zip(fields, fields.dropFirst()) {
                let left = Array(first.unicodeScalars.suffix(2)), right = Array(second.unicodeScalars.prefix(2))
                guard left.count == 2, right.count == 2, (left + right).allSatisfy({ IndexFold.isHan($0.value) }) else { continue }
                let phrase = String(String.UnicodeScalarView(left)) + " " + String(String.UnicodeScalarView(right))
                let words = phrase.split(separator: " ").map { IndexFold.shared.fold(String($0)) }
                let expected = Self.reference.ids { doc in
                    doc.text.split(separator: "\n").contains { field in
                        field.ranges(of: words[0]).contains { range in
                            let rest = field[range.upperBound...].unicodeScalars
                            let gap = rest.prefix { !IndexFold.isHan($0.value) && !$0.properties.isAlphabetic && $0.properties.numericType == nil && !IndexFold.figureSigns.contains($0.value) }
                            return !gap.isEmpty && String(String.UnicodeScalarView(rest.dropFirst(gap.count))).hasPrefix(words[1])
                        }
                    }
                }
                #expect(Set(try Self.index.matchingArticleIDs("\"\(phrase)\"")) == expected, "\"\(phrase)\"")
                queries += 1
            }
        }
        #expect(queries > 50)
    }

    @Test func wordsAndFiltersMatchBruteForce() throws {
        let ref = Self.reference
        // Letters and digits inside longer runs too (91年 in 1991年, 到２ in 到２０, 998 in 1998).
        for word in ["1997", "1998", "１９９８", "12", "2000", "1", "998", "9年", "年1", "到２", "1月1", "a", "ab"] {
            let expected = ref.ids { BruteForce.Atom.run(word).matches($0) }
            #expect(Set(try Self.index.matchingArticleIDs(word)) == expected, "word \(word)")
            #expect(!expected.isEmpty || word.count > 1, "word \(word)")
        }
        let sample = Self.articles[7]
        let section = sample.section
        let expectedSection = ref.ids { BruteForce.Atom.run("的").matches($0) && $0.section == IndexFold.shared.fold(section) }
        #expect(Set(try Self.index.matchingArticleIDs("的 section:\(section)")) == expectedSection)
        let page = sample.pageID
        #expect(Set(try Self.index.matchingArticleIDs("page:\(page)")) == ref.ids { $0.pageID == page })
        #expect(Set(try Self.index.matchingArticleIDs("的 -page:\(page)")) ==
                ref.ids { BruteForce.Atom.run("的").matches($0) && $0.pageID != page })
        if let person = Self.articles.lazy.flatMap(\.entities).first(where: { $0.type == .person }) {
            let key = IndexFold.shared.fold(person.normalized)
            #expect(Set(try Self.index.matchingArticleIDs("entity:\(SnippetScript.convert(person.text, to: .traditional))"))
                    == ref.ids { $0.entities.contains(key) })
            #expect(Set(try Self.index.matchingArticleIDs("author:\(person.text)")) == ref.ids { $0.authors.contains(key) })
        }
    }

    @Test func highlightsCoverExactlyTheMatchedCharacters() throws {
        var random = SplitMix64(seed: 42)
        var checked = 0
        for _ in 0..<120 {
            let run = Self.randomRun(&random)
            var request = Folio_V1_SearchRequest()
            request.query = run
            request.limit = 5
            let response = try Self.index.search(request)
            for hit in response.hits {
                #expect(!hit.highlights.isEmpty, "no highlight for \(run) in \(hit.articleID)")
                let scalars = Array(hit.snippet.unicodeScalars)
                for highlight in hit.highlights {
                    let marked = String(String.UnicodeScalarView(scalars[Int(highlight.start)..<Int(highlight.end)]))
                    // Adjacent occurrences merge into one range: it is made of whole copies of the run.
                    let folded = IndexFold.shared.fold(marked), needle = IndexFold.shared.fold(run)
                    #expect(folded.count % needle.count == 0 && folded.contains(needle), "\(marked) for \(run)")
                    checked += 1
                }
            }
        }
        #expect(checked > 200)
    }
}
