import Foundation

/// The laid-out page form: page text whose every block carries the role a layout reader (the PDF
/// reader in FolioPDF) saw from type and geometry, so nothing has to be guessed from text alone.
///
///     %folio-laid-out 1
///     masthead<TAB>人民日报　1998年1月4日　星期日　第4版　要闻
///     rubric<TAB>■ 经济广角 JINGJI
///     headline<TAB>冬泳迎新年
///     paragraph<TAB>…
///     end-rubric
///
/// The first line marks the form; every other line is a role, a tab and the block's text (one
/// whole paragraph, headline or caption). Unknown roles are kept as paragraphs and reported.
public enum LaidOutText {
    /// The first line of a page in this form.
    public static let marker = "%folio-laid-out 1"

    public enum Role: String, Sendable, CaseIterable {
        case masthead                        // the page header (paper, date, page, section): page metadata
        case rubric                          // ■ column name: opens a section
        case endRubric = "end-rubric"        // the section's module ends
        case kicker                          // 引题 over a headline
        case headline
        case subtitle
        case byline                          // above or after the text
        case leadMarker = "lead-marker"      // 核心提示
        case lead                            // a paragraph of the 核心提示 box
        case paragraph
        case subheading
        case caption                         // of a photo in or above the current article
        case captionNext = "caption-next"    // of a photo over the next headline
        case jump                            // （下转第X版）
        case label                           // text inside a picture (place labels of a series)
        case note                            // the layout reader's word on the page: a code, a space, a message → a page diagnostic
    }

    public struct Block: Sendable, Equatable {
        public var role: Role
        public var text: String

        public init(_ role: Role, _ text: String) {
            self.role = role
            self.text = text
        }
    }

    /// Blocks → page text in this form.
    public static func render(_ blocks: [Block]) -> String {
        var out = marker + "\n"
        for block in blocks {
            let text = block.text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
            out += block.role.rawValue + (text.isEmpty ? "" : "\t" + text) + "\n"
        }
        return out
    }

    static func isLaidOut(_ text: String) -> Bool {
        text.hasPrefix(marker + "\n") || text.hasPrefix(marker + "\r\n") || text == marker
    }

    /// The text of the page's first masthead block and its line, if it has one.
    static func masthead(_ text: String) -> (text: String, line: UInt32)? {
        blocks(text).first { $0.block.role == .masthead }.map { ($0.block.text, $0.line) }
    }

    /// Page text in this form → blocks with their 1-based source lines; roles not known are paragraphs.
    static func blocks(_ text: String) -> [(block: Block, line: UInt32, known: Bool)] {
        var out: [(block: Block, line: UInt32, known: Bool)] = []
        var line: UInt32 = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            line += 1
            guard line > 1 else { continue }
            let row = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if row.isEmpty { continue }
            let parts = row.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let body = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
            if let role = Role(rawValue: name) {
                out.append((Block(role, body), line, true))
            } else {
                out.append((Block(.paragraph, parts.count > 1 ? body : String(row)), line, false))
            }
        }
        return out
    }
}
