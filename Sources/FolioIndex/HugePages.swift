import Glibc

/// Memory the index build touches at random (posting chain ends, per-term state), mapped in 2 MiB
/// huge pages: with 4 KB pages nearly every such access also misses the TLB. Mapped directly (not
/// malloc'd), so that freed memory goes back to the system at once.
enum HugePages {
    static let size = 2 << 20

    /// `bytes` rounded up to whole huge pages.
    static func rounded(_ bytes: Int) -> Int { (bytes + size - 1) / size * size }

    /// A zero-filled region of `rounded(bytes)` bytes, aligned to a huge page and marked for them.
    static func map(_ bytes: Int) -> UnsafeMutableRawPointer {
        let length = rounded(bytes)
        // Map one huge page more and cut it off the ends around the aligned part.
        guard let mapped = mmap(nil, length + size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              mapped != MAP_FAILED else { fatalError("out of memory for the index build (\(length) bytes)") }
        let address = UInt(bitPattern: mapped)
        let aligned = (address + UInt(size) - 1) & ~(UInt(size) - 1)
        let head = Int(aligned - address)
        if head > 0 { munmap(mapped, head) }
        if size - head > 0 { munmap(UnsafeMutableRawPointer(bitPattern: aligned + UInt(length)), size - head) }
        let region = UnsafeMutableRawPointer(bitPattern: aligned)!
        _ = madvise(region, length, MADV_HUGEPAGE)
        return region
    }

    static func unmap(_ region: UnsafeMutableRawPointer, _ bytes: Int) {
        munmap(region, rounded(bytes))
    }

    /// Marks the whole huge pages inside a freshly allocated, not yet touched buffer (a malloc'd
    /// one: its ends stay in small pages), so that filling it faults huge pages in.
    static func advise(_ buffer: UnsafeMutableRawPointer, _ bytes: Int) {
        let start = (UInt(bitPattern: buffer) + UInt(size) - 1) & ~(UInt(size) - 1)
        let end = (UInt(bitPattern: buffer) + UInt(bytes)) & ~(UInt(size) - 1)
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), Int(end - start), MADV_HUGEPAGE)
    }
}

/// A growable array of plain values in huge pages (see `HugePages`), for the index build's
/// per-term state. Grows by doubling into a fresh mapping, as arrays do.
final class HugePageBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(minimumCapacity: Int = 1) {
        let bytes = HugePages.rounded(max(minimumCapacity, 1) * MemoryLayout<Element>.stride)
        capacity = bytes / MemoryLayout<Element>.stride
        base = HugePages.map(bytes).bindMemory(to: Element.self, capacity: capacity)
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
        let bigger = HugePages.map(2 * capacity * MemoryLayout<Element>.stride)
            .bindMemory(to: Element.self, capacity: 2 * capacity)
        bigger.update(from: base, count: count)
        HugePages.unmap(base, capacity * MemoryLayout<Element>.stride)
        base = bigger
        capacity *= 2
    }
}
