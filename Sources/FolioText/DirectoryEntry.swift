#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `readdir` entry's name. glibc sizes an entry to its name (`d_reclen`): copying the whole
/// 256-byte `d_name` field read past the end of the last entry of the directory buffer (found by
/// the router fuzzer under AddressSanitizer). The name is read in place up to its NUL.
public enum DirectoryEntry {
    public static func nameBytes(_ entry: UnsafePointer<dirent>) -> [UInt8] {
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        let name = (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: UInt8.self)
        return Array(UnsafeBufferPointer(start: name, count: strlen(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self))))
    }
}
