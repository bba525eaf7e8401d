/// Character classes the parser and the search analyzer share. All work on single scalars.
public enum CharacterClass {
    /// Han ideographs (CJK unified, extension A, compatibility, extension B and later).
    @inlinable @inline(__always)
    public static func isHan(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x20000...0x3134F).contains(v)
    }

    /// ASCII or full-width digit.
    @inlinable @inline(__always)
    public static func isDigit(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x30...0x39).contains(v) || (0xFF10...0xFF19).contains(v)
    }

    /// Numeric value of an ASCII or full-width digit.
    @inlinable @inline(__always)
    public static func digitValue(_ s: Unicode.Scalar) -> Int? {
        let v = s.value
        if (0x30...0x39).contains(v) { return Int(v - 0x30) }
        if (0xFF10...0xFF19).contains(v) { return Int(v - 0xFF10) }
        return nil
    }

    /// ASCII or full-width Latin letter.
    @inlinable @inline(__always)
    public static func isLatin(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v)
            || (0xFF21...0xFF3A).contains(v) || (0xFF41...0xFF5A).contains(v)
    }

    /// Space, tab, ideographic space, no-break space.
    @inlinable @inline(__always)
    public static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09, 0x0B, 0x0C, 0x0D, 0xA0, 0x3000, 0xFEFF: return true
        default: return false
        }
    }

    /// The mark a presentation form of punctuation stands for: the vertical forms (U+FE10–FE19,
    /// U+FE30–FE4F: ︰ → ：, ﹁﹂ → 「」, ︵︶ → （）, ︽︾ → 《》, ︐︑︒ → ，、。) and the small forms
    /// (U+FE50–FE5E: ﹐ → ，, ﹙ → （); ︰ is the colon of Big5 text. Any other scalar as it is. One
    /// scalar for one, so offsets never move: classify by it, keep the text as printed.
    @inlinable @inline(__always)
    public static func horizontalForm(value v: UInt32) -> UInt32 {
        guard v >= 0xFE10 && v <= 0xFE5E else { return v }
        switch v {
        case 0xFE10, 0xFE50: return 0xFF0C   // ，
        case 0xFE11, 0xFE51: return 0x3001   // 、
        case 0xFE12: return 0x3002           // 。
        case 0xFE52: return 0xFF0E           // ．
        case 0xFE13, 0xFE30, 0xFE55: return 0xFF1A   // ：
        case 0xFE14, 0xFE54: return 0xFF1B   // ；
        case 0xFE15, 0xFE57: return 0xFF01   // ！
        case 0xFE16, 0xFE56: return 0xFF1F   // ？
        case 0xFE17: return 0x3016           // 〖
        case 0xFE18: return 0x3017           // 〗
        case 0xFE19: return 0x2026           // …
        case 0xFE31: return 0x2014           // —
        case 0xFE32: return 0x2013           // –
        case 0xFE35, 0xFE59: return 0xFF08   // （
        case 0xFE36, 0xFE5A: return 0xFF09   // ）
        case 0xFE37, 0xFE5B: return 0xFF5B   // ｛
        case 0xFE38, 0xFE5C: return 0xFF5D   // ｝
        case 0xFE39, 0xFE5D: return 0x3014   // 〔
        case 0xFE3A, 0xFE5E: return 0x3015   // 〕
        case 0xFE3B: return 0x3010           // 【
        case 0xFE3C: return 0x3011           // 】
        case 0xFE3D: return 0x300A           // 《
        case 0xFE3E: return 0x300B           // 》
        case 0xFE3F: return 0x3008           // 〈
        case 0xFE40: return 0x3009           // 〉
        case 0xFE41: return 0x300C           // 「
        case 0xFE42: return 0x300D           // 」
        case 0xFE43: return 0x300E           // 『
        case 0xFE44: return 0x300F           // 』
        case 0xFE47: return 0xFF3B           // ［
        case 0xFE48: return 0xFF3D           // ］
        default: return v
        }
    }

    /// The same for a scalar.
    @inlinable @inline(__always)
    public static func horizontalForm(_ s: Unicode.Scalar) -> Unicode.Scalar {
        let v = s.value
        guard v >= 0xFE10 && v <= 0xFE5E else { return s }
        return Unicode.Scalar(horizontalForm(value: v)) ?? s
    }

    /// Marks that end a sentence: 。！？ (full and half width), ellipsis, and their variants.
    @inlinable @inline(__always)
    public static func isSentenceEnd(_ s: Unicode.Scalar) -> Bool {
        switch horizontalForm(value: s.value) {
        case 0x3002, 0xFF01, 0xFF1F, 0x21, 0x3F, 0x2026, 0xFF0E, 0xFF61: return true
        default: return false
        }
    }

    /// Closing quotes and brackets that may follow a sentence end (。” or 。）).
    @inlinable @inline(__always)
    public static func isClosing(_ s: Unicode.Scalar) -> Bool {
        switch horizontalForm(value: s.value) {
        case 0x201D, 0x2019, 0x300D, 0x300F, 0xFF09, 0x29, 0x300B, 0x3009, 0x3011, 0xFF3D, 0x5D, 0x22: return true
        default: return false
        }
    }

    /// Opening quotes and brackets.
    @inlinable @inline(__always)
    public static func isOpening(_ s: Unicode.Scalar) -> Bool {
        switch horizontalForm(value: s.value) {
        case 0x201C, 0x2018, 0x300C, 0x300E, 0xFF08, 0x28, 0x300A, 0x3008, 0x3010, 0xFF3B, 0x5B: return true
        default: return false
        }
    }

    /// The dot between the parts of a transliterated name (比尔·盖茨) as sources print it: U+00B7,
    /// Japanese ・ (U+30FB) and its half-width ･ (U+FF65), • (U+2022: Big5's A1 45 decoded), ‧ (U+2027).
    @inlinable @inline(__always)
    public static func isNameDot(value v: UInt32) -> Bool {
        v == 0xB7 || v == 0x30FB || v == 0xFF65 || v == 0x2022 || v == 0x2027
    }

    @inlinable @inline(__always)
    public static func isNameDot(_ s: Unicode.Scalar) -> Bool { isNameDot(value: s.value) }

    /// Punctuation that cannot begin a sentence (，、；：。 and closers).
    @inlinable @inline(__always)
    public static func cannotStartSentence(_ s: Unicode.Scalar) -> Bool {
        let s = horizontalForm(s)
        switch s.value {
        case 0xFF0C, 0x3001, 0xFF1B, 0xFF1A, 0x3002, 0xFF01, 0xFF1F, 0x2C, 0x3B, 0x3A: return true
        default: return isClosing(s)
        }
    }

    /// Any punctuation mark (CJK or ASCII).
    @inlinable @inline(__always)
    public static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let s = horizontalForm(s)
        let v = s.value
        if (0xFE10...0xFE19).contains(v) || (0xFE30...0xFE6B).contains(v) { return true }   // other presentation forms
        if (0x3000...0x303F).contains(v) || (0xFF01...0xFF0F).contains(v) || (0xFF1A...0xFF20).contains(v)
            || (0x2010...0x2027).contains(v) || (0xFF3B...0xFF40).contains(v) || (0xFF5B...0xFF65).contains(v) {
            return !isSpace(s)
        }
        return (0x21...0x2F).contains(v) || (0x3A...0x40).contains(v) || (0x5B...0x60).contains(v)
            || (0x7B...0x7E).contains(v)
    }

    /// True when `text` ends a sentence, allowing trailing closing quotes/brackets and spaces.
    @inlinable
    public static func endsSentence<S: BidirectionalCollection>(_ scalars: S) -> Bool where S.Element == Unicode.Scalar {
        for s in scalars.reversed() {
            if isSpace(s) || isClosing(s) { continue }
            // An ASCII full stop ends an English sentence only (`endsLatinSentence`).
            return s == "." ? endsLatinSentence(scalars) : isSentenceEnd(s)
        }
        return false
    }
}
