/// The async/await client on FolioWire.
public enum FolioClientNamespace {}
