import FolioMemory

/// The index build could not map the memory it needs (an address-space or memory limit): the
/// write that asked for the build fails instead of the process.
public struct IndexMemoryError: Error, CustomStringConvertible {
    public let bytes: Int
    public var description: String { "not enough memory to index the page (\(bytes) bytes could not be mapped)" }
}

/// A growable array of plain values in huge pages (see `HugePages`), for the index build's
/// per-term state. Grows by doubling into a fresh mapping, as arrays do; maps nothing until the
/// first append, so that making one cannot fail.
final class HugePageBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>?
    private(set) var count = 0
    private var capacity = 0

    deinit {
        if let base { HugePages.unmap(base, capacity * MemoryLayout<Element>.stride) }
    }

    @inline(__always)
    func append(_ element: Element) throws(IndexMemoryError) {
        if count == capacity { try grow() }
        (base.unsafelyUnwrapped + count).initialize(to: element)
        count += 1
    }

    private func grow() throws(IndexMemoryError) {
        let bytes = capacity == 0 ? HugePages.size : 2 * capacity * MemoryLayout<Element>.stride
        let bigger = try HugePages.mapOrThrow(bytes)
        let newCapacity = HugePages.rounded(bytes) / MemoryLayout<Element>.stride
        let elements = bigger.bindMemory(to: Element.self, capacity: newCapacity)
        if let base {
            elements.update(from: base, count: count)
            HugePages.unmap(base, capacity * MemoryLayout<Element>.stride)
        }
        base = elements
        capacity = newCapacity
    }
}

extension HugePages {
    /// The index build cannot go on without its memory: the write fails (see `IndexMemoryError`).
    static func mapOrThrow(_ bytes: Int) throws(IndexMemoryError) -> UnsafeMutableRawPointer {
        guard let region = map(bytes) else { throw IndexMemoryError(bytes: rounded(bytes)) }
        return region
    }
}
