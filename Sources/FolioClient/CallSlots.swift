import NIOConcurrencyHelpers

/// Bounds the calls in flight on the connection to what foliod accepts per connection (its
/// `max_calls_in_flight`, learnt on connecting, and at most the client's own `maxCallsInFlight`):
/// callers beyond it wait their turn here instead of being refused with RESOURCE_EXHAUSTED.
/// Waiters are served first come, first served and leave the queue when their task is cancelled.
final class CallSlots: Sendable {
    private struct State {
        var available: Int
        var limit: Int
        var nextWaiter: UInt64 = 0
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    }

    private let state: NIOLockedValueBox<State>
    /// The client's own bound (`Configuration.maxCallsInFlight`).
    private let most: Int

    init(limit: Int) {
        most = max(1, limit)
        state = NIOLockedValueBox(State(available: most, limit: most))
    }

    /// foliod's limit on a new connection (`--max-calls`): slots taken beyond a lower one are given
    /// back as their calls end; waiters are let through when it is higher.
    func serverAllows(_ limit: Int) {
        let woken = state.withLockedValue { state -> [CheckedContinuation<Void, any Error>] in
            let new = min(most, max(1, limit))
            state.available += new - state.limit
            state.limit = new
            var woken: [CheckedContinuation<Void, any Error>] = []
            while state.available > 0 && !state.waiters.isEmpty {
                state.available -= 1
                woken.append(state.waiters.removeFirst().continuation)
            }
            return woken
        }
        for waiter in woken { waiter.resume() }
    }

    /// Takes a slot if one is free, without suspending (the common case).
    func tryAcquire() -> Bool {
        state.withLockedValue { state in
            guard state.available > 0 else { return false }
            state.available -= 1
            return true
        }
    }

    /// Waits for a slot, at most `timeout` (nil: as long as it takes): a call's deadline runs from
    /// the call, so one queued behind calls on a stalled daemon still ends in time.
    func acquire(within timeout: Duration? = nil) async throws {
        if tryAcquire() { return }
        let id = state.withLockedValue { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        let timer = timeout.map { timeout in
            Task { [self] in
                guard (try? await Task.sleep(for: timeout)) != nil else { return }  // cancelled: granted
                removeWaiter(id)?.resume(throwing: FolioError.deadlineExceeded(timeout.roundedUpMilliseconds))
            }
        }
        defer { timer?.cancel() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let granted: Bool = state.withLockedValue { state in
                    if state.available > 0 {
                        state.available -= 1
                        return true
                    }
                    state.waiters.append((id, continuation))
                    return false
                }
                if granted { continuation.resume() }
            }
        } onCancel: {
            removeWaiter(id)?.resume(throwing: FolioError.cancelled)
        }
    }

    /// The waiter `id` taken out of the queue, nil when it was already served or removed.
    private func removeWaiter(_ id: UInt64) -> CheckedContinuation<Void, any Error>? {
        state.withLockedValue { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index).continuation
        }
    }

    func release() {
        let next = state.withLockedValue { state -> CheckedContinuation<Void, any Error>? in
            if state.waiters.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        next?.resume()
    }
}
