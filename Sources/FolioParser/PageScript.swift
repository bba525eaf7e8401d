import FolioModel
import FolioText

/// Converts every human-readable text of a parsed page to another script with OpenCC's
/// phrase-level conversion (for display; entity mentions keep slicing their words of it).
/// Which fields those are is FolioModel's `mappingReadableText`, which the daemon uses too.
public enum ScriptOutput {
    public static func convert(_ page: Folio_V1_Page, to form: OutputForm) -> Folio_V1_Page {
        guard form != .original else { return page }
        return page.mappingReadableText { ScriptConverter.shared.convertOrOriginal($0, to: form) }
    }

    public static func convert(_ article: Folio_V1_Article, to form: OutputForm) -> Folio_V1_Article {
        guard form != .original else { return article }
        return article.mappingReadableText { ScriptConverter.shared.convertOrOriginal($0, to: form) }
    }
}
