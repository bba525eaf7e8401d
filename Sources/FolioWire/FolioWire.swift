/// Frames, zlib, envelopes, status codes, limits. Knows bytes, never sockets.
public enum FolioWire {}
