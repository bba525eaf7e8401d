import FolioTestSupport
import Testing

/// Where the corpus is expected (FOLIO_REQUIRE_CORPUS=1), its absence fails here instead of
/// leaving the corpus suites silently skipped.
@Suite struct SharedCorpusTests {
    @Test func theCorpusIsHereWhenItIsExpected() throws {
        try SharedCorpus.requireIfExpected()
    }
}
