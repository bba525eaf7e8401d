/// Where the tagger's place boundaries disagree with how PFR writes places: a province or country
/// before a city, county or port is two places (江苏 + 新沂市, 泸州市 + 纳溪区, 意大利 + 巴里港), but a
/// province before a region (地区) is one (江西省宜春地区, 河北张家口地区). The tagger learnt both
/// readings from few examples and mixes them up; the known place list decides.
extension EntityRecognizer {
    /// Last characters of the places a leading known place is split from.
    static let splitEnds: [UInt32] = "市县州港区".unicodeScalars.map(\.value)
    static let region: [UInt32] = "地区".unicodeScalars.map(\.value)
    /// Endings of places PFR keeps whole after a province: 宜春地区, 汕头经济特区, 松桃苗族自治县.
    static let keptWholeEnds: [[UInt32]] = ["地区", "特区", "自治县", "自治州", "自治区", "新区", "山区"]
        .map { $0.unicodeScalars.map(\.value) }

    /// Splits each tagger place in `out[first...]` that opens with a known place and goes on to a
    /// city, county, prefecture or port name of two characters or more.
    static func splitJoinedPlaces(_ s: UnsafeBufferPointer<UInt32>, _ out: inout [Candidate], from first: Int, lexicon: EntityLexicon) {
        let end = out.count
        for k in first..<end where out[k].type == .place && out[k].end - out[k].start >= 4 {
            let c = out[k]
            guard splitEnds.contains(s[c.end - 1]), !endsWithAny(s, c.end, keptWholeEnds),
                  var p = knownPlace(lexicon, s, from: c.start), p < c.end else { continue }
            // With its administrative suffix (江苏 + 省), unless the known place has one (云南省 + 省会).
            if adminSuffixes.contains(s[p]) && !adminSuffixes.contains(s[p - 1]) { p += 1 }
            guard c.end - p >= 2, (p..<c.end).allSatisfy({ isHan(s[$0]) }) else { continue }
            out[k].end = p
            out.append(Candidate(type: .place, start: p, end: c.end, rank: c.rank))
        }
    }

    /// Joins a known place and the tagger place right after it that ends with 地区 (江西省 + 宜春地区).
    static func joinRegions(_ s: UnsafeBufferPointer<UInt32>, _ out: inout [Candidate], from first: Int, lexicon: EntityLexicon) {
        var k = first
        while k + 1 < out.count {
            let a = out[k], b = out[k + 1]
            if a.type == .place && b.type == .place && a.end == b.start && b.end - b.start >= 4
                && endsWithAny(s, b.end, [region]), knownPlace(lexicon, s, from: a.start, to: a.end) {
                out[k].end = b.end
                out.remove(at: k + 1)
            } else {
                k += 1
            }
        }
    }

    /// Whether a known place spans `start..<end`, or all of it but an administrative suffix
    /// (江西 + 省), whatever longer place the list also holds (江西省宜春地区).
    static func knownPlace(_ lex: EntityLexicon, _ s: UnsafeBufferPointer<UInt32>, from start: Int, to end: Int) -> Bool {
        var known = false
        lex.names.forEachLongMatch(s, from: start) { e, flags in
            guard flags & LexiconFlag.place != 0 && flags & LexiconFlag.blocked == 0 else { return }
            if e == end || (e + 1 == end && adminSuffixes.contains(s[e])) { known = true }
        }
        return known
    }

    static func endsWithAny(_ s: UnsafeBufferPointer<UInt32>, _ end: Int, _ words: [[UInt32]]) -> Bool {
        words.contains { w in end >= w.count && (0..<w.count).allSatisfy { s[end - w.count + $0] == w[$0] } }
    }
}

/// A country or province the tagger reads as a transliterated person (爱沙尼亚 before 议长): a person
/// of four characters or more that is exactly a known place is that place. Shorter ones stay
/// people (two- and three-character names are often places too: 江山, 安顺) unless a state's title
/// or body follows (贝宁总统, 马拉维政府): a person is not that country's president.
extension EntityRecognizer {
    static let placeAsPersonLength = 4
    static let stateTitles: [[UInt32]] = [
        "总统", "副总统", "总理", "副总理", "首相", "国王", "女王", "王储", "亲王", "国家元首", "元首", "议长",
        "外长", "外交部长", "国防部长", "驻华大使", "大使", "政府", "当局", "议会", "国会", "首都", "境内",
    ].map { $0.unicodeScalars.map(\.value) }

    static func retypeListedPlaces(_ s: UnsafeBufferPointer<UInt32>, _ out: inout [Candidate], from first: Int, lexicon: EntityLexicon) {
        for k in first..<out.count where out[k].type == .person && out[k].end - out[k].start >= 2 {
            let c = out[k]
            guard c.end - c.start >= placeAsPersonLength || startsWithAny(s, c.end, stateTitles) != nil,
                  (c.start..<c.end).allSatisfy({ isHan(s[$0]) }), knownPlace(lexicon, s, from: c.start) == c.end else { continue }
            out[k].type = .place
        }
    }
}
