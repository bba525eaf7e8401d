import FolioIndex
import FolioModel
@testable import FolioServer
@testable import FolioStore
import FoliodServices
import FolioWire
import Foundation
import FuzzDriver
import Logging
import NIOCore
import SwiftProtobuf

// A request body for each method through the daemon's own decode and dispatch (CallRouter with
// the production parser, OpenCC and the search index) over an in-memory archive: the bundled
// sample page, read-only. Ingest, DeletePage and Reload go to a second, writable archive in
// /dev/shm that is emptied after each input. The first byte picks the method, the rest is the
// body. Every failure must be a typed status other than INTERNAL/UNKNOWN.

private let methods = FolioMethod.allCases

private let router: CallRouter = {
    var logger = Logger(label: "fuzz-router")
    logger.logLevel = .critical
    let config = ServerConfig(socketPath: "/nonexistent/fuzz.sock", dataDirectory: nil)
    let search = IndexSearchProvider()
    let store = ArchiveStore(repository: nil, parser: FolioPageParser(), text: OpenCCTextServices(),
                             limits: config.limits, search: search, logger: logger)
    do { try store.load(sample: try BundledSample.pages()) } catch { fatalError("sample: \(error)") }
    return CallRouter(store: store, text: OpenCCTextServices(), search: search, config: config,
                      registry: ConnectionRegistry(maxConnections: 4), logger: logger,
                      reload: { throw StatusError(.failedPrecondition, "no reload while fuzzing") })
}()

private let writableDirectory = "/dev/shm/folio-fuzz-router-\(getpid())"

private let writable: CallRouter = {
    var logger = Logger(label: "fuzz-router-writable")
    logger.logLevel = .critical
    let config = ServerConfig(socketPath: "/nonexistent/fuzz.sock", dataDirectory: writableDirectory)
    let search = IndexSearchProvider()
    let store = ArchiveStore(repository: PageRepository(root: writableDirectory), parser: FolioPageParser(),
                             text: OpenCCTextServices(), limits: config.limits, search: search, logger: logger,
                             snapshotDelaySeconds: 3600)
    do { try store.load() } catch { fatalError("empty archive: \(error)") }
    return CallRouter(store: store, text: OpenCCTextServices(), search: search, config: config,
                      registry: ConnectionRegistry(maxConnections: 4), logger: logger,
                      reload: { [logger] in try FolioDaemon.reload(store, logger: logger) })
}()

/// Back to an empty archive, so every input starts from the same state.
private func emptyWritable() {
    let store = writable.store
    for pageID in store.snapshotForListing().order { _ = try? store.delete(pageID: pageID) }
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzRouterInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    if let directory = ProcessInfo.processInfo.environment["FOLIO_FUZZ_WRITE_SEEDS"] {
        RouterSeeds.write(to: directory, router: router)
        exit(0)
    }
    _ = router
    _ = writable
    atexit { try? FileManager.default.removeItem(atPath: writableDirectory) }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRouter(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let method = methods[Int(data[0]) % methods.count]
    let target = method == .ingest || method == .deletePage || method == .reload ? writable : router
    defer { if target === writable { emptyWritable() } }
    let body = Data(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let context = CallContext(id: 1, method: method, body: body, peer: nil, metadata: [:],
                              cancellation: CallCancellation(), sendStreamBody: { _ in })
    do {
        var reply = try run(target.handler(for: method), context)
        while case .offload(let more) = reply { reply = try more() }
        _ = try ReplyFraming(id: 1, compress: true, limits: target.config.limits, allocator: .init()).frame(reply)
    } catch {
        let status = ConnectionHandler.status(for: error)
        precondition(status.code != .internal && status.code != .unknown,
                     "\(method.shortName) answered \(status.code): \(status.message)")
    }
    return 0
}

/// Runs a handler synchronously (in the daemon, on an event loop or a worker thread).
private func run(_ handler: MethodHandler, _ context: CallContext) throws -> CallReply {
    switch handler {
    case .inline(let body), .blocking(let body), .query(let body):
        return try body(context)
    }
}

@_cdecl("FuzzRouter_main")
public func fuzzRouterMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    folio_fuzz_run(argc, argv) { data, size in data.map { fuzzRouter($0, size) } ?? 0 }
}
