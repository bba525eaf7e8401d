import FolioText

/// Lines that belong to the page's furniture rather than to a paragraph, told from their
/// own text: jump lines, the page photo credit, byline openers.
enum PageFurniture {
    static let jumpWords: [[Unicode.Scalar]] = ["下转", "上接", "接第", "转第"].map { Array($0.unicodeScalars) }
    static let pageCreditStart = Folded.scalars("本版")
    static let bylineMax = 24

    /// `（下转第五版）`, `（上接第一版）`: a bracketed line naming another page.
    static func isJumpLine(_ s: [Unicode.Scalar]) -> Bool {
        guard s.count >= 5, s.count <= 16, let first = s.first, let last = s.last,
              first.mark == "（" || first == "(", last.mark == "）" || last == ")", s.contains("版") else { return false }
        let f = Folded.of(s)
        return jumpWords.contains { Folded.has(f, $0, at: 1) }
    }

    static let pictureMark = Folded.of(Folded.scalars("（图片）"))

    /// `某某图（图片）`: the title of a picture printed without a caption.
    static func isPictureOnlyTitle(_ s: [Unicode.Scalar]) -> Bool {
        guard s.count > pictureMark.count && s.count <= 40 else { return false }
        // Folded scalar by scalar from the end, no copy made (asked of every short line).
        let start = s.count - pictureMark.count
        for k in pictureMark.indices.reversed() where Folded.fold.fold(s[start + k]) != pictureMark[k] { return false }
        return true
    }

    /// A title without an editor's note of its pictures at its end (`…的亲人（附图片１张）`, `（附图）`,
    /// `（图片）`): the note's brackets are not the title's punctuation.
    static func withoutPictureNote(_ s: [Unicode.Scalar]) -> ArraySlice<Unicode.Scalar> {
        guard let last = s.last, last.mark == "）" || last == ")",
              let open = s.lastIndex(where: { $0.mark == "（" || $0 == "(" }), open > 0 else { return s[...] }
        let note = Folded.of(Array(s[(open + 1)..<(s.count - 1)]))
        let isNote = Folded.has(note, pictureNoteStart, at: 0) && (Folded.find(note, pictureWord) != nil || Folded.find(note, photoWord) != nil)
            || Folded.has(Folded.of(Array(s[open...])), pictureMark)
        return isNote ? s[..<open] : s[...]
    }

    static let pictureNoteStart = Folded.of(Folded.scalars("附"))
    static let pictureWord = Folded.of(Folded.scalars("图"))
    static let photoWord = Folded.of(Folded.scalars("照片"))

    /// `本版图片由…摄`: one credit for all the page's photos.
    static func isPageCredit(_ s: [Unicode.Scalar]) -> Bool {
        let f = Folded.of(s)
        guard Folded.has(f, pageCreditStart) else { return false }
        return PeopleLines.photoWords.contains { Folded.find(f, $0) != nil }
    }

    /// A short line opening with a reporter's role (`本报记者　某某`), no sentence in it.
    static func isBylineStart(_ s: [Unicode.Scalar]) -> Bool {
        guard s.count <= bylineMax, !s.contains(where: { $0.mark == "，" || $0.mark == "。" || $0.mark == "：" }) else { return false }
        return PeopleLines.roleLength(Folded.of(s), at: 0) > 0
    }

    static let sourcePhotoWords: [[Unicode.Scalar]] = ["照片", "图片", "传真"].map { Array($0.unicodeScalars) }

    /// A caption ending in the photo's source rather than a photographer: `…。（某某社发某某社照片）`,
    /// `（传真照片）`. The source stays in the caption's text.
    /// The photographer's credit may come first: `…。（新华社记者某某摄）（传真照片）`, `…摄）（新华社稿）`.
    static func endsWithPhotoSource(_ s: [Unicode.Scalar]) -> Bool {
        guard s.count >= 10, let last = s.last, last.mark == "）" || last == ")",
              let open = s.lastIndex(where: { $0.mark == "（" || $0 == "(" }), open > 0, s.count - open <= 20 else { return false }
        let inner = Folded.of(Array(s[(open + 1)..<(s.count - 1)]))
        let photo = sourcePhotoWords.contains(where: { Folded.has(inner, $0, at: inner.count - $0.count) })
        if photo && CharacterClass.isSentenceEnd(s[open - 1]) { return true }
        // After the photographer's credit a source may name the wire copy too: `（新华社稿）`.
        guard photo || inner.last == "稿", let credit = PeopleLines.captionCreditStart(Array(s[..<open])), credit > 0 else { return false }
        return CharacterClass.isSentenceEnd(s[credit - 1])
    }
}
