import Foundation

/// Little-endian, length-prefixed arrays of plain values and strings: the snapshot's building blocks.
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write<T: FixedWidthInteger>(_ values: [T]) {
        write(UInt64(values.count))
        if T.self == UInt8.self || Int(1).littleEndian == Int(1) {
            values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        } else {
            for value in values { write(value) }
        }
    }

    mutating func write(_ string: String) {
        write(Array(string.utf8))
    }

    mutating func write(_ strings: [String]) {
        write(UInt64(strings.count))
        for string in strings { write(string) }
    }
}

struct BinaryReader {
    private let data: [UInt8]
    private(set) var position = 0

    init(_ data: [UInt8]) { self.data = data }

    var isAtEnd: Bool { position == data.count }

    private mutating func take(_ count: Int) throws(SnapshotError) -> Range<Int> {
        guard count >= 0, count <= data.count - position else { throw SnapshotError.corrupt("truncated") }
        defer { position += count }
        return position..<(position + count)
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) throws(SnapshotError) -> T {
        let range = try take(MemoryLayout<T>.size)
        var value = T.zero
        withUnsafeMutableBytes(of: &value) { target in
            data.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[range]))
            }
        }
        return T(littleEndian: value)
    }

    mutating func readArray<T: FixedWidthInteger>(_: T.Type = T.self) throws(SnapshotError) -> [T] {
        let count = try read(UInt64.self)
        guard count <= UInt64(data.count) else { throw SnapshotError.corrupt("bad array length") }
        let range = try take(Int(count) * MemoryLayout<T>.size)
        let values = [T](unsafeUninitializedCapacity: Int(count)) { buffer, initialized in
            data.withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: source[range]))
            }
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
        return String(decoding: data[range], as: UTF8.self)
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

/// The whole file in one array, read with read(2) straight into its storage (no intermediate copy).
func readWholeFile(_ path: String) throws(SnapshotError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw SnapshotError.missing(path) }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw SnapshotError.io("cannot stat \(path)") }
    let size = Int(info.st_size)
    var failed = false
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
        var done = 0
        while done < size {
            let got = read(descriptor, buffer.baseAddress! + done, size - done)
            if got <= 0 {
                if got < 0 && errno == EINTR { continue }
                failed = got < 0
                break
            }
            done += got
        }
        initialized = done
    }
    guard !failed, bytes.count == size else { throw SnapshotError.io("cannot read \(path)") }
    return bytes
}
