import FolioMemory

/// A growable array of plain values in huge pages (see `HugePages`), for the index build's
/// per-term state. Grows by doubling into a fresh mapping, as arrays do.
final class HugePageBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(minimumCapacity: Int = 1) {
        let bytes = HugePages.rounded(max(minimumCapacity, 1) * MemoryLayout<Element>.stride)
        capacity = bytes / MemoryLayout<Element>.stride
        base = HugePages.mapOrFail(bytes).bindMemory(to: Element.self, capacity: capacity)
    }

    deinit {
        HugePages.unmap(base, capacity * MemoryLayout<Element>.stride)
    }

    func append(_ element: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    private func grow() {
        let bigger = HugePages.mapOrFail(2 * capacity * MemoryLayout<Element>.stride)
            .bindMemory(to: Element.self, capacity: 2 * capacity)
        bigger.update(from: base, count: count)
        HugePages.unmap(base, capacity * MemoryLayout<Element>.stride)
        base = bigger
        capacity *= 2
    }
}

extension HugePages {
    /// The index build cannot go on without its memory.
    static func mapOrFail(_ bytes: Int) -> UnsafeMutableRawPointer {
        guard let region = map(bytes) else { fatalError("out of memory for the index build (\(rounded(bytes)) bytes)") }
        return region
    }
}
