/// Which rubric a new article falls under on a page read from extractor output.
///
/// A rubric bar (`■ 名称`) heads one module of a laid-out page, usually a single story, and the
/// text does not say where the module ends: the next story may belong to another module set
/// beside it or under it. So a rubric covers the first story after it that has text (picture
/// items before it come with it); later stories are unsectioned. Bars set side by side come out
/// one after the other before their stories: each takes the next story in turn.
/// The one-paragraph-per-line form keeps a rubric until the next one.
struct RubricModules {
    /// Rubrics (section indices) still waiting for their story, in reading order.
    private var open: [Int] = []

    /// A rubric bar was read; `last` is the article before it.
    mutating func rubricRead(_ index: Int, last: DraftArticle?) {
        served(last)
        open.append(index)
    }

    /// The section index for an article that starts after `last`; nil: no rubric (unsectioned).
    mutating func sectionForNewArticle(after last: DraftArticle?) -> Int? {
        served(last)
        return open.first
    }

    /// The rubric waiting longest for its story, if any.
    var waiting: Int? { open.first }

    /// The front rubric's story has text: the rubric is done.
    private mutating func served(_ last: DraftArticle?) {
        if let a = last, let front = open.first, a.sectionIndex == front, a.hasText { open.removeFirst() }
    }
}
