import Glibc

/// Memory read at random (the index build's posting chain ends and per-term state, the tagger's
/// tables), mapped in 2 MiB huge pages: with 4 KB pages nearly every such access also misses the
/// TLB. Mapped directly (not malloc'd), so that freed memory goes back to the system at once.
/// Where the kernel gives no huge pages the same memory works in ordinary ones, only slower.
package enum HugePages {
    package static let size = 2 << 20

    /// Tests: every mapping made in this task fails, as under an address-space limit.
    @TaskLocal package static var refusesMappings = false

    /// `bytes` rounded up to whole huge pages.
    package static func rounded(_ bytes: Int) -> Int { (bytes + size - 1) / size * size }

    /// A zero-filled region of `rounded(bytes)` bytes, aligned to a huge page and marked for them;
    /// where the extra room the alignment takes is not there (an address-space limit), the same
    /// region in ordinary pages; nil when even that mapping fails.
    package static func map(_ bytes: Int) -> UnsafeMutableRawPointer? {
        if refusesMappings { return nil }
        let length = rounded(bytes)
        // Map one huge page more and cut it off the ends around the aligned part.
        guard let mapped = mmap(nil, length + size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              mapped != MAP_FAILED else {
            guard let plain = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                  plain != MAP_FAILED else { return nil }
            return plain
        }
        let address = UInt(bitPattern: mapped)
        let aligned = (address + UInt(size) - 1) & ~(UInt(size) - 1)
        let head = Int(aligned - address)
        if head > 0 { munmap(mapped, head) }
        if size - head > 0 { munmap(UnsafeMutableRawPointer(bitPattern: aligned + UInt(length)), size - head) }
        let region = UnsafeMutableRawPointer(bitPattern: aligned)!
        _ = madvise(region, length, MADV_HUGEPAGE)
        return region
    }

    package static func unmap(_ region: UnsafeMutableRawPointer, _ bytes: Int) {
        munmap(region, rounded(bytes))
    }

    /// Marks the whole huge pages inside a freshly allocated, not yet touched buffer (a malloc'd
    /// one: its ends stay in small pages), so that filling it faults huge pages in.
    package static func advise(_ buffer: UnsafeMutableRawPointer, _ bytes: Int) {
        let start = (UInt(bitPattern: buffer) + UInt(size) - 1) & ~(UInt(size) - 1)
        let end = (UInt(bitPattern: buffer) + UInt(bytes)) & ~(UInt(size) - 1)
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), Int(end - start), MADV_HUGEPAGE)
    }
}

