import FolioWire
import Foundation

/// An exclusive lock on DATA/foliod.lock for as long as a foliod serves DATA. Two daemons on one
/// data directory serve two archives from the same files (a page ingested through one is missing
/// from the other) and each removes the other's half-written files at start-up: the second is
/// refused, naming the first. DATA itself is locked too (flock on a read-only descriptor of the
/// directory): a read-only directory without the lock file has nothing else to lock, and a foliod
/// that found no file must still keep out one that later could create it.
struct DataDirectoryLock {
    static let fileName = "foliod.lock"
    /// Descriptors to keep open while serving (closing them releases the locks).
    let file: Int32?
    let directory: Int32

    func release() {
        if let file { close(file) }
        close(directory)
    }

    /// Locks DATA/foliod.lock (when it exists or can be made) and then DATA itself.
    static func acquire(_ directory: String) throws -> DataDirectoryLock {
        let locked = try lockFile(directory)
        // A refused foliod leaves no trace: a lock file it made (the first one's was removed) goes.
        func giveUpFile() {
            guard let locked else { return }
            if locked.created { unlink(directory + "/" + fileName) }
            close(locked.fd)
        }
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            giveUpFile()
            throw StatusError(.failedPrecondition, "cannot open data directory \(directory): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let holder = busy ? lockHolder(fd) : nil
            close(fd)
            giveUpFile()
            guard busy else { throw StatusError(.failedPrecondition, "cannot lock \(directory): \(String(cString: strerror(errno)))") }
            throw refusal(directory: directory, locked: directory, by: holder)
        }
        // Who holds it, once both locks are ours (best effort: a read-only file keeps the old text).
        if let locked {
            let line = "\(getpid())\n"
            if ftruncate(locked.fd, 0) == 0 { _ = line.withCString { pwrite(locked.fd, $0, strlen($0), 0) } }
        }
        return DataDirectoryLock(file: locked?.fd, directory: fd)
    }

    /// "another foliod (pid N) already serves DIR", or the other program that holds the lock.
    private static func refusal(directory: String, locked path: String, by pid: Int32?) -> StatusError {
        let program = pid.flatMap { try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8) }?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if let pid, let program, program != "foliod" {
            let cure = path == directory ? "stop it" : "stop it or remove the file's group and other permissions"
            return StatusError(.failedPrecondition, "\(path) is locked by \(program) (pid \(pid)), not a foliod: \(cure)")
        }
        return StatusError(.failedPrecondition, "another foliod\(pid.map { " (pid \($0))" } ?? "") already serves \(directory)")
    }

    /// Takes the file's lock, creating the directory (0750) and the file (0600: a reader in the group who
    /// could open it could also flock it and keep every foliod from starting) when missing. Returns the
    /// descriptor and whether this call made the file, or nil for a read-only directory without a
    /// lock file (the directory's lock then keeps a second foliod out).
    private static func lockFile(_ directory: String) throws -> (fd: Int32, created: Bool)? {
        if mkdir(directory, 0o750) != 0 && errno != EEXIST {
            throw StatusError(.failedPrecondition, "cannot create data directory \(directory): \(String(cString: strerror(errno)))")
        }
        var status = stat()
        guard stat(directory, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw StatusError(.failedPrecondition, "data directory \(directory) is not a directory")
        }
        let path = directory + "/" + fileName
        var fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
        var created = false
        if fd < 0 && errno == ENOENT {
            fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            created = fd >= 0
            if fd < 0 && errno == EEXIST { fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW) }  // another made it first
        }
        // A hard-linked copy of the data directory (cp -al) shares the file with the original, and a
        // foliod on either would keep one on the other out: the file gets an inode of its own (a
        // second foliod on this directory is still kept out by the directory's own lock).
        if fd >= 0 {
            var own = stat()
            if fstat(fd, &own) == 0, own.st_nlink > 1, unlink(path) == 0 {
                close(fd)
                fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
                created = fd >= 0
            }
        }
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
            throw refusal(directory: directory, locked: path, by: pid)
        }
        return (fd, created)
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
