import FolioText
import Foundation
import Testing

struct RegularFileTests {
    private func folder() throws -> String {
        let path = NSTemporaryDirectory() + "regular-file-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aRegularFileIsReadWhole() throws {
        let dir = try folder()
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/page"))
        #expect(RegularFile.read(dir + "/page") == .success(bytes))
        #expect(RegularFile.read(dir + "/page", limit: 199_999) == .failure(.tooLarge(limit: 199_999)))
        try Data().write(to: URL(fileURLWithPath: dir + "/empty"))
        #expect(RegularFile.read(dir + "/empty") == .success([]))
    }

    @Test func whatIsNotARegularFileIsNamedAndNotRead() throws {
        let dir = try folder()
        try Data("text".utf8).write(to: URL(fileURLWithPath: dir + "/page"))
        #expect(symlink(dir + "/page", dir + "/link") == 0)
        #expect(mkfifo(dir + "/fifo", 0o600) == 0)  // nobody writes to it: an open for reading would wait
        #expect(RegularFile.read(dir + "/link") == .failure(.notRegular("a symbolic link")))
        #expect(RegularFile.read(dir + "/fifo") == .failure(.notRegular("a FIFO")))
        #expect(RegularFile.read(dir) == .failure(.notRegular("a directory")))
        #expect(RegularFile.read("/dev/null") == .failure(.notRegular("a character device")))
        #expect(RegularFile.read(dir + "/absent") == .failure(.missing))
        #expect(RegularFile.Failure.notRegular("a FIFO").message == "is a FIFO, not a regular file")
    }
}
