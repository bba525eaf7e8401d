import FolioWire
import Foundation

/// An exclusive lock on DATA/foliod.lock for as long as a foliod serves DATA. Two daemons on one
/// data directory serve two archives from the same files (a page ingested through one is missing
/// from the other) and each removes the other's half-written files at start-up: the second is
/// refused, naming the first.
enum DataDirectoryLock {
    static let fileName = "foliod.lock"

    /// Takes the lock, creating the directory (0750) and the file (0600: a reader in the group who
    /// could open it could also flock it and keep every foliod from starting) when missing. Returns the
    /// descriptor to keep open while serving (closing it releases the lock), or nil for a
    /// read-only directory without a lock file, where no foliod can write either.
    static func acquire(_ directory: String) throws -> Int32? {
        if mkdir(directory, 0o750) != 0 && errno != EEXIST {
            throw StatusError(.failedPrecondition, "cannot create data directory \(directory): \(String(cString: strerror(errno)))")
        }
        var status = stat()
        guard stat(directory, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw StatusError(.failedPrecondition, "data directory \(directory) is not a directory")
        }
        let path = directory + "/" + fileName
        var fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        // An older foliod left it 0640: closed to the group from now on.
        if fd >= 0 { var own = stat(); if fstat(fd, &own) == 0, own.st_uid == geteuid(), own.st_mode & 0o077 != 0 { fchmod(fd, 0o600) } }
        if fd < 0 && (errno == EROFS || errno == EACCES) {
            fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            if fd < 0 && errno == ENOENT { return nil }
        }
        guard fd >= 0 else {
            throw StatusError(.failedPrecondition, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let pid = busy ? lockHolder(fd) ?? pid(in: fd) : nil
            close(fd)
            guard busy else { throw StatusError(.failedPrecondition, "cannot lock \(path): \(String(cString: strerror(errno)))") }
            // Name what holds it: another foliod, or some other program (a user's) holding the file.
            let program = pid.flatMap { try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8) }?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if let pid, let program, program != "foliod" {
                throw StatusError(.failedPrecondition, "\(path) is locked by \(program) (pid \(pid)), not a foliod: stop it or remove the file's group and other permissions")
            }
            throw StatusError(.failedPrecondition, "another foliod\(pid.map { " (pid \($0))" } ?? "") already serves \(directory)")
        }
        // Who holds it, for the message above (best effort: a read-only file keeps the old text).
        let line = "\(getpid())\n"
        if ftruncate(fd, 0) == 0 { _ = line.withCString { pwrite(fd, $0, strlen($0), 0) } }
        return fd
    }

    /// The process holding the flock on `fd`'s file, from /proc/locks (`1: FLOCK ADVISORY WRITE
    /// <pid> <major>:<minor>:<inode> 0 EOF`): on a read-only directory the file keeps the pid of
    /// the foliod that wrote it last, which may be long gone.
    private static func lockHolder(_ fd: Int32) -> Int32? {
        var status = stat()
        guard fstat(fd, &status) == 0, let table = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return nil }
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 6, fields[1] == "FLOCK", let pid = Int32(fields[4]),
                  let inode = fields[5].split(separator: ":").last.flatMap({ UInt64($0) }),
                  inode == UInt64(status.st_ino) else { continue }
            return pid
        }
        return nil
    }

    private static func pid(in fd: Int32) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = pread(fd, &bytes, bytes.count, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: bytes[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
