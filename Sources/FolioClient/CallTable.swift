import FolioWire
import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// How a call in flight hands its outcome back: unary calls complete once; streams receive
/// each body and then finish.
enum CallSink {
    case unary(@Sendable (Result<Data, FolioError>) -> Void)
    case stream(onBody: @Sendable (Data) -> Void, onFinish: @Sendable (FolioError?) -> Void)

    func fail(_ error: FolioError) {
        switch self {
        case .unary(let complete): complete(.failure(error))
        case .stream(_, let finish): finish(error)
        }
    }
}

/// The calls in flight on one connection, keyed by call id. Responses may arrive in any order;
/// a call ends exactly once: by its final frame, its deadline, cancellation, or the connection
/// going away. Callbacks always run outside the lock.
final class CallTable: Sendable {
    private struct Entry {
        /// nil while the id is reserved but the call not yet registered.
        var sink: CallSink?
        var timer: Scheduled<Void>?
        /// A unary body that came without a status (tolerated: the status frame follows).
        var pendingBody: Data?
        /// The call ended (task cancelled, deadline passed) between reserving the id and
        /// registering the call; registration then fails with this.
        var endedBeforeStart: FolioError?
        /// A write's grace (`Configuration.writeAnswerGrace`): cancelling it waits for foliod's answer.
        var writeGrace: Duration?
        /// A cancelled write waiting for foliod's answer.
        var cancelling = false
    }

    private struct State {
        var nextID: UInt64 = 1
        var calls: [UInt64: Entry] = [:]
        /// Set once the connection is gone; later registrations fail with it.
        var closedWith: FolioError?
    }

    private let state = NIOLockedValueBox(State())

    /// Reserves a fresh call id (never reused on this connection; 0 is never handed out).
    func reserveID() -> UInt64 {
        state.withLockedValue { state in
            let id = state.nextID
            state.nextID &+= 1
            state.calls[id] = Entry()
            return id
        }
    }

    var isClosed: Bool { state.withLockedValue { $0.closedWith != nil } }
    var inFlight: Int { state.withLockedValue { $0.calls.values.count(where: { $0.sink != nil }) } }

    /// Whether a unary call waits for its answer (reading must not pause under it: its answer may
    /// be behind stream bodies, and the loop reading them may be waiting for it).
    var awaitsUnary: Bool {
        state.withLockedValue { state in
            state.calls.values.contains { entry in
                if case .unary = entry.sink { return true }
                return false
            }
        }
    }

    /// Adds a call. Returns false (after failing the sink) when the call was cancelled before it
    /// started or the connection is already closed; the caller then sends nothing.
    func register(_ id: UInt64, sink: CallSink, timer: Scheduled<Void>?, writeGrace: Duration? = nil) -> Bool {
        let refusal: FolioError? = state.withLockedValue { state in
            // One hash lookup in the common case: the reserved entry is filled in place.
            guard let index = state.calls.index(forKey: id) else {
                if let closed = state.closedWith { return closed }
                state.calls[id] = Entry(sink: sink, timer: timer, writeGrace: writeGrace)
                return nil
            }
            if let ended = state.calls.values[index].endedBeforeStart {
                state.calls.remove(at: index)
                return ended
            }
            if let closed = state.closedWith {
                state.calls.remove(at: index)
                return closed
            }
            state.calls.values[index].sink = sink
            state.calls.values[index].timer = timer
            state.calls.values[index].writeGrace = writeGrace
            return nil
        }
        guard let refusal else { return true }
        timer?.cancel()
        sink.fail(refusal)
        return false
    }

    /// Ends a call from the client side (deadline, cancellation). Returns whether it was in flight,
    /// i.e. whether foliod should be told to cancel it.
    @discardableResult
    func abandon(_ id: UInt64, with error: FolioError) -> Bool {
        let entry: Entry? = state.withLockedValue { state in
            guard let entry = state.calls[id] else { return nil }
            guard entry.sink != nil else {
                if entry.endedBeforeStart == nil { state.calls[id]?.endedBeforeStart = error }
                return nil
            }
            state.calls.removeValue(forKey: id)
            return entry
        }
        guard let entry, let sink = entry.sink else { return false }
        entry.timer?.cancel()
        sink.fail(error)
        return true
    }

    /// Cancellation of a write foliod may be carrying out: the call is not ended here (foliod
    /// answers CANCELLED if it stored nothing, the outcome otherwise). Returns nil when the call
    /// is not a write in flight (it is then abandoned as any other call), else its grace and the
    /// deadline timer to replace (nil when it was cancelled before).
    func cancelWrite(_ id: UInt64) -> (grace: Duration, timer: Scheduled<Void>?, first: Bool)? {
        state.withLockedValue { state in
            guard let entry = state.calls[id], entry.sink != nil, let grace = entry.writeGrace else { return nil }
            guard !entry.cancelling else { return (grace, nil, false) }
            state.calls[id]?.cancelling = true
            return (grace, entry.timer, true)
        }
    }

    /// Replaces the deadline timer of a call still in flight (cancels `timer` if it ended meanwhile).
    func setTimer(_ id: UInt64, _ timer: Scheduled<Void>) {
        let inFlight: Bool = state.withLockedValue { state in
            guard state.calls[id]?.sink != nil else { return false }
            state.calls[id]?.timer = timer
            return true
        }
        if !inFlight { timer.cancel() }
    }

    /// Releases a reserved id whose call will never be registered (building the request failed).
    func release(_ id: UInt64) {
        state.withLockedValue { state in
            if state.calls[id]?.sink == nil { state.calls.removeValue(forKey: id) }
        }
    }

    /// Routes one response frame. Frames for ids no longer in flight (cancelled, expired) are dropped.
    func deliver(_ response: Folio_V1_Response) {
        enum Action {
            case none
            case streamBody(@Sendable (Data) -> Void)
            case finish(Entry)
        }
        let action: Action = state.withLockedValue { state in
            guard var entry = state.calls[response.id], let sink = entry.sink else { return .none }
            if response.hasStatus {
                state.calls.removeValue(forKey: response.id)
                return .finish(entry)
            }
            switch sink {
            case .stream(let onBody, _):
                return .streamBody(onBody)
            case .unary:
                entry.pendingBody = response.body
                state.calls[response.id] = entry
                return .none
            }
        }
        switch action {
        case .none:
            break
        case .streamBody(let onBody):
            onBody(response.body)
        case .finish(let entry):
            entry.timer?.cancel()
            let status = response.status
            switch entry.sink! {
            case .unary(let complete):
                if status.code == .ok {
                    complete(.success(response.body.isEmpty ? (entry.pendingBody ?? response.body) : response.body))
                } else {
                    complete(.failure(FolioError(status)))
                }
            case .stream(let onBody, let onFinish):
                if !response.body.isEmpty { onBody(response.body) }
                onFinish(status.code == .ok ? nil : FolioError(status))
            }
        }
    }

    /// Fails every call in flight and refuses new ones (connection closed or broken).
    func close(with error: FolioError) {
        let entries: [Entry] = state.withLockedValue { state in
            if state.closedWith == nil { state.closedWith = error }
            defer { state.calls.removeAll() }
            return Array(state.calls.values)
        }
        for entry in entries {
            entry.timer?.cancel()
            entry.sink?.fail(error)
        }
    }
}
