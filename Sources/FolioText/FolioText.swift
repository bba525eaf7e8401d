/// Script counting and conversion (OpenCC), width folding and character classes.
public enum FolioText {}
