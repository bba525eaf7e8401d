import FolioModel
import FolioText

/// A trailing byline set in brackets on a line of its own (`（本报记者 林小河）`, `（林 河 王 明）`,
/// `（某某）`): the author line under a story's text. Extractors give it a line of its own when
/// it was set apart (flush right after the last paragraph); a signature that only wrapped
/// (`…收。` full, then `（某某）`) is run on into its paragraph by re-flow, so it is not read here.
/// A photo credit (`（…摄）`) is told apart before this is asked.
enum BracketedByline {
    /// The line in brackets, and the role under which its names stand: `.byline` with a role
    /// inside (`本报记者`, `本报驻某地记者`, `新华社记者`), `.names` for bare names.
    static func role(_ b: SourceBlock) -> LineRole? {
        let s = b.scalars
        guard s.count >= 4, s.count <= 24, let first = s.first, let last = s.last,
              first.mark == "（" || first == "(", last.mark == "）" || last == ")" else { return nil }
        let inner = SourceBlock(line: b.line, gapBefore: 0, scalars: SourceLines.trim(Array(s.dropFirst().dropLast())))
        // A photo credit (`（某某摄）`) is a caption's.
        guard let end = inner.scalars.last, end != "摄", end != "攝",
              !inner.scalars.contains(where: { $0.mark == "（" || $0 == "(" || $0.mark == "）" || $0 == ")" }) else { return nil }
        if let bylines = PeopleLines.byline(inner) { return .byline(bylines) }
        if let names = PeopleLines.bareNames(inner) ?? spacedPairs(inner) { return .names(names) }
        return nil
    }

    /// Two two-glyph names set with a space inside each (`潘 跃 王 萍`): four lone glyphs, the
    /// first and the third a surname.
    static func spacedPairs(_ b: SourceBlock) -> [Folio_V1_Byline]? {
        let glyphs = b.scalars.filter { !CharacterClass.isSpace($0) }
        guard glyphs.count == 4, glyphs.allSatisfy(CharacterClass.isHan),
              b.scalars.count == 7, b.scalars.enumerated().allSatisfy({ $0.offset % 2 == 0 || CharacterClass.isSpace($0.element) })
        else { return nil }
        let fold = CharacterFold.shared
        guard SurnameTable.surnames.contains(fold.fold(glyphs[0])), SurnameTable.surnames.contains(fold.fold(glyphs[2])) else { return nil }
        return [Array(glyphs[0..<2]), Array(glyphs[2..<4])].map { name in
            var byline = Folio_V1_Byline()
            byline.name = Folded.string(name)
            byline.line = b.line
            return byline
        }
    }
}
