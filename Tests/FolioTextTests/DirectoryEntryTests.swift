import FolioText
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `readdir` names read in place: every length up to the longest a file system allows, the last
/// entry of a directory included (the whole-field copy read past its buffer: the router fuzzer).
@Suite struct DirectoryEntryTests {
    @Test func namesOfEveryLengthAreReadWhole() throws {
        let directory = NSTemporaryDirectory() + "folio-dirent-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var expected: Set<[UInt8]> = []
        for length in [1, 2, 7, 8, 9, 64, 200, 255] {
            let name = Array(String(repeating: "a", count: length - 1).utf8) + [UInt8(ascii: "z")]
            FileManager.default.createFile(atPath: directory + "/" + String(decoding: name, as: UTF8.self), contents: nil)
            expected.insert(name)
        }
        let chinese = Array("锦州港.page".utf8)
        FileManager.default.createFile(atPath: directory + "/锦州港.page", contents: nil)
        expected.insert(chinese)
        let stream = try #require(opendir(directory))
        defer { closedir(stream) }
        var found: Set<[UInt8]> = []
        while let entry = readdir(stream) {
            let name = DirectoryEntry.nameBytes(entry)
            if name != Array(".".utf8) && name != Array("..".utf8) { found.insert(name) }
        }
        #expect(found == expected)
    }
}
