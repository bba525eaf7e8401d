import NIOCore

/// A Swift-concurrency task executor that runs jobs on one NIO event loop: the loop a
/// `FolioClient`'s connection lives on.
///
/// A task that prefers it (`client.withEventLoopExecutor { … }`, or
/// `Task(executorPreference: client.executor)`) issues its calls on the loop itself: the
/// request is written without handing it to another thread, and the answer resumes the task
/// on the same thread in the same loop iteration. A plain task pays two thread hops per call
/// instead (cooperative pool → event loop → pool). Work in such a task must not block: it
/// holds up every connection on that loop.
@available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, *)
// @unchecked: its one stored property is an `any EventLoop` (thread-safe, Sendable by contract).
public final class FolioEventLoopExecutor: TaskExecutor, @unchecked Sendable {
    public let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // Already on the loop (a call resumed by its answer): queued for this same iteration.
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

extension FolioClient {
    /// Runs `body` with this client's event loop as the task executor preference, so every
    /// call it makes (and the code between them) runs on the connection's thread with no hop.
    /// `body` must not block the thread.
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, *)
    public func withEventLoopExecutor<T>(_ body: () async throws -> T) async rethrows -> T {
        try await withTaskExecutorPreference(executor, operation: body)
    }
}
