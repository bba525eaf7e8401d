import Foundation

/// Little-endian, length-prefixed arrays of plain values and strings: the snapshot's building blocks.
/// In memory, or streamed to a file descriptor through a small buffer (`init(streamingTo:)`).
package struct BinaryWriter {
    private(set) var bytes: [UInt8] = []
    private let descriptor: Int32?
    /// Bytes already written to the descriptor.
    private var flushed = 0
    private var failed = false
    private static let bufferSize = 1 << 20

    init() { descriptor = nil }

    init(streamingTo descriptor: Int32) {
        self.descriptor = descriptor
        bytes.reserveCapacity(Self.bufferSize)
    }

    /// Where the next byte goes, from the start of the output.
    var offset: Int { flushed + bytes.count }

    package mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        flushIfFull()
    }

    mutating func write<T: FixedWidthInteger>(_ values: [T]) {
        write(UInt64(values.count))
        if T.self == UInt8.self || Int(1).littleEndian == Int(1) {
            values.withUnsafeBytes { append($0) }
        } else {
            for value in values { write(value) }
        }
    }

    /// Bytes as they are, without a length.
    package mutating func writeRaw(_ values: [UInt8]) {
        values.withUnsafeBytes { append($0) }
    }

    mutating func write(_ string: String) {
        write(Array(string.utf8))
    }

    mutating func write(_ strings: [String]) {
        write(UInt64(strings.count))
        for string in strings { write(string) }
    }

    /// Large arrays go out in buffer-sized pieces, so the buffer never grows to their size.
    private mutating func append(_ raw: UnsafeRawBufferPointer) {
        guard descriptor != nil else { return bytes.append(contentsOf: raw) }
        var start = 0
        while start < raw.count {
            let end = min(raw.count, start + Self.bufferSize)
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[start..<end]))
            flushIfFull()
            start = end
        }
    }

    private mutating func flushIfFull() {
        if descriptor != nil && bytes.count >= Self.bufferSize { _ = flush() }
    }

    /// Writes out the buffer (streaming only); false when any write so far failed.
    mutating func flush() -> Bool {
        guard let descriptor else { return true }
        var done = 0
        while done < bytes.count && !failed {
            let wrote = bytes.withUnsafeBytes { writeToDescriptor(descriptor, $0.baseAddress! + done, $0.count - done) }
            if wrote < 0 && errno == EINTR { continue }
            if wrote <= 0 { failed = true } else { done += wrote }
        }
        flushed += bytes.count
        bytes.removeAll(keepingCapacity: true)
        return !failed
    }
}

/// write(2), out of reach of `BinaryWriter`'s own `write` methods.
private func writeToDescriptor(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// Reads from raw bytes the caller keeps alive (a `MappedFile`) while the reader is in use.
struct BinaryReader {
    private let data: UnsafeRawBufferPointer
    private(set) var position = 0

    init(_ data: UnsafeRawBufferPointer) { self.data = data }

    var isAtEnd: Bool { position == data.count }

    /// Skips `count` bytes and returns where they are (the payload is read from the mapping later).
    mutating func take(_ count: Int) throws(SnapshotError) -> Range<Int> {
        guard count >= 0, count <= data.count - position else { throw SnapshotError.corrupt("truncated") }
        defer { position += count }
        return position..<(position + count)
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) throws(SnapshotError) -> T {
        let range = try take(MemoryLayout<T>.size)
        return T(littleEndian: data.loadUnaligned(fromByteOffset: range.lowerBound, as: T.self))
    }

    mutating func readArray<T: FixedWidthInteger>(_: T.Type = T.self) throws(SnapshotError) -> [T] {
        let count = try read(UInt64.self)
        guard count <= UInt64(data.count) else { throw SnapshotError.corrupt("bad array length") }
        let range = try take(Int(count) * MemoryLayout<T>.size)
        let values = [T](unsafeUninitializedCapacity: Int(count)) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: data[range]))
            initialized = Int(count)
        }
        #if _endian(big)
        return values.map { T(littleEndian: $0) }
        #else
        return values
        #endif
    }

    mutating func readString() throws(SnapshotError) -> String {
        let count = try read(UInt64.self)
        guard count <= UInt64(data.count) else { throw SnapshotError.corrupt("bad string length") }
        let range = try take(Int(count))
        return String(decoding: UnsafeRawBufferPointer(rebasing: data[range]), as: UTF8.self)
    }

    mutating func readStrings() throws(SnapshotError) -> [String] {
        let count = try read(UInt64.self)
        guard count <= UInt64(data.count) else { throw SnapshotError.corrupt("bad list length") }
        var result: [String] = []
        result.reserveCapacity(Int(count))
        for _ in 0..<count { result.append(try readString()) }
        return result
    }
}

/// A whole file mapped read-only. The snapshot is decoded straight from it (no copy of the file in
/// the heap), and the parts already decoded are dropped from memory as the load goes on, so the
/// load's peak is what it builds plus a little, not the file plus what it builds. Snapshots are
/// only ever replaced by rename (a new file), never rewritten in place, so a mapping stays valid.
package final class MappedFile {
    package let bytes: UnsafeRawBufferPointer
    /// Everything before this offset was released (see `release(upTo:)`).
    private var releasedUpTo = 0
    private static let pageSize = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)

    package init(_ path: String) throws(SnapshotError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            // Only a file that is not there is missing: one foliod may not read (its owner or mode
            // after a restore) or a path through a file is a fault to name.
            if errno == ENOENT { throw SnapshotError.missing(path) }
            throw SnapshotError.io("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SnapshotError.io("cannot stat \(path)") }
        let size = Int(info.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else {
            throw SnapshotError.io("cannot map \(path): errno \(errno)")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }

    /// Drops the resident pages before `offset` (in steps of at least `step` bytes, to keep system
    /// calls few). The mapping stays valid: a page touched again is read back from the file.
    package func release(upTo offset: Int, step: Int = 8 << 20) {
        let end = min(offset, bytes.count) / Self.pageSize * Self.pageSize
        guard let base = bytes.baseAddress, end - releasedUpTo >= step else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + releasedUpTo), end - releasedUpTo, MADV_DONTNEED)
        releasedUpTo = end
    }

    /// Drops every resident page from `offset` on, and releases from there again: for a part of
    /// the file that lies before what was read last (the snapshot's records precede its segments).
    package func restartRelease(at offset: Int) {
        let start = min(offset, bytes.count) / Self.pageSize * Self.pageSize
        guard let base = bytes.baseAddress, start < bytes.count else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), bytes.count - start, MADV_DONTNEED)
        releasedUpTo = start
    }

    /// Drops every resident page (before a second pass over the file).
    func releaseAll() {
        release(upTo: bytes.count, step: 0)
        releasedUpTo = 0
    }
}
