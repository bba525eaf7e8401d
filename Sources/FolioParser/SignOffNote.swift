import FolioText

/// A story's text ending with a note in brackets after its last sentence: the writer's unit
/// (`…。（作者單位：某報）`), the wire story's source (`…。（新华社某地１月９日电）`), a signature.
/// Such a note closes the story, so on extracted pages a title read after it opens the next
/// story, not a subheading of this one (as after a bracketed signature, `ArticleBuilder.signedOff`).
enum SignOffNote {
    /// Longest note read as a sign-off.
    static let noteMax = 24

    static func closes(_ a: DraftArticle) -> Bool {
        guard let last = a.body.last, last.kind == .paragraph else { return false }
        let s = last.scalars
        guard s.count >= 4, let close = s.last, close.mark == "）" || close == ")",
              let open = s.lastIndex(where: { $0.mark == "（" || $0 == "(" }), open > 0 else { return false }
        let inner = s[(open + 1)..<(s.count - 1)]
        guard inner.count >= 2, inner.count <= noteMax,
              !inner.contains(where: { CharacterClass.isSentenceEnd($0) || $0.mark == "（" || $0 == "(" }) else { return false }
        let before = s[open - 1]
        return CharacterClass.isSentenceEnd(before) || ((before == "”" || before.mark == "」") && open >= 2 && CharacterClass.isSentenceEnd(s[open - 2]))
    }
}
