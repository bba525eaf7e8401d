import FolioText

/// The staff credits a page header carries after its fields (`…第1版　要闻　责任编辑：王小明`,
/// `美术编辑：李四`): taken off the header line, kept as the page's credits.
enum StaffCredits {
    /// Roles a page's staff are credited under, longest first (`责任编辑` before `编辑`).
    static let roles: [[Unicode.Scalar]] = [
        "责任编辑", "責任編輯", "本版编辑", "本版編輯", "本版责编", "本版責編", "美术编辑", "美術編輯",
        "图片编辑", "圖片編輯", "版式设计", "版式設計", "责编", "責編", "美编", "美編", "校对", "校對",
        "编辑", "編輯", "版式", "制图", "製圖",
    ].map { Array($0.unicodeScalars) }

    /// The line without its credits, and each credit (role, mark, names) as printed, spaces trimmed.
    /// A role counts only where a word starts (line start or after a space) and a colon follows it.
    static func split(_ line: [Unicode.Scalar]) -> (line: [Unicode.Scalar], credits: [String]) {
        var starts: [Int] = []
        var i = 0
        while i < line.count {
            if i == 0 || CharacterClass.isSpace(line[i - 1]) || line[i - 1] == "/",
               let role = roles.first(where: { Folded.has(line, $0, at: i) }), i + role.count < line.count,
               line[i + role.count].mark == "：" || line[i + role.count] == ":" {
                starts.append(i)
                i += role.count + 1
                continue
            }
            i += 1
        }
        guard let first = starts.first else { return (line, []) }
        var credits: [String] = []
        for (n, start) in starts.enumerated() {
            let end = n + 1 < starts.count ? starts[n + 1] : line.count
            let text = SourceLines.trimmedRange(line[start..<end])
            if !text.isEmpty { credits.append(Folded.string(Array(line[text]))) }
        }
        return (Array(line[..<first]), credits)
    }
}
