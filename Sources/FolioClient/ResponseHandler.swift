import FolioWire
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Last handler of a client pipeline: decoded frames → response envelopes → the call table.
/// A connection-level error (id 0), a broken frame or the end of the connection fails every
/// call still in flight.
final class ResponseHandler: ChannelInboundHandler {
    typealias InboundIn = Frame

    private let calls: CallTable
    private let socketPath: String

    init(calls: CallTable, socketPath: String) {
        self.calls = calls
        self.socketPath = socketPath
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let response: Folio_V1_Response
        do {
            response = try Envelopes.response(from: frame)
        } catch {
            fail(context: context, FolioError(code: .internal, message: "foliod sent an undecodable response: \(error)",
                                              kind: .protocolViolation))
            return
        }
        if response.id == 0 {
            // foliod reports a connection-level problem and closes; every call on it is over.
            let status = response.status
            fail(context: context, FolioError(code: status.code == .ok ? .unavailable : status.code,
                                              message: "foliod closed the connection: \(status.message)",
                                              kind: .connectionLost))
            return
        }
        calls.deliver(response)
    }

    func channelInactive(context: ChannelHandlerContext) {
        calls.close(with: .connectionLost(socketPath))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let failure: FolioError
        if let wire = error as? WireError, wire.kind == .truncatedFrame {
            // foliod went away in the middle of an answer (killed, crashed): the connection was lost.
            failure = FolioError(code: .unavailable, message: "connection to foliod at \(socketPath) was lost "
                                 + "in the middle of an answer", kind: .connectionLost)
        } else if let wire = error as? WireError {
            failure = FolioError(code: wire.code, message: "bad frame from foliod: \(wire.message)", kind: .protocolViolation)
        } else if let io = error as? IOError {
            // A reset (foliod killed with the request unread): the system's words, not NIO's call site.
            failure = FolioError(code: .unavailable, message: "connection to foliod at \(socketPath) was lost: "
                                 + String(cString: strerror(io.errnoCode)), kind: .connectionLost)
        } else {
            failure = FolioError(code: .unavailable, message: "connection to foliod at \(socketPath) failed: \(error)",
                                 kind: .connectionLost)
        }
        fail(context: context, failure)
    }

    private func fail(context: ChannelHandlerContext, _ error: FolioError) {
        calls.close(with: error)
        context.close(promise: nil)
    }
}
