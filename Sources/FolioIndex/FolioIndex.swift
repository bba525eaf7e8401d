/// Analyzer → postings → query → BM25 → snippets; entity index; snapshot.
public enum FolioIndex {}
