/// The NIO server: dispatch, handlers, page store, access control, lifecycle.
public enum FolioServer {}
