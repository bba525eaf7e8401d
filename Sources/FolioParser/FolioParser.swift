/// Page text → Page: lines → blocks → roles → articles → repairs → entities.
public enum FolioParser {}
