import Foundation

/// The two pieces of the systemd protocol foliod speaks, without libsystemd.
public enum Systemd {
    /// Sends a state line ("READY=1", "STOPPING=1", "RELOADING=1", "STATUS=…") to $NOTIFY_SOCKET.
    /// Returns false when not run under systemd (no NOTIFY_SOCKET) or the send failed.
    @discardableResult
    public static func notify(_ state: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard var path = environment["NOTIFY_SOCKET"], !path.isEmpty else { return false }
        let abstract = path.hasPrefix("@")
        if abstract { path.removeFirst() }
        let bytes = Array(path.utf8)
        guard bytes.count < 108 else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let offset = abstract ? 1 : 0  // abstract names start with a NUL byte
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: [UInt8](repeating: 0, count: offset) + bytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + offset + bytes.count + (abstract ? 0 : 1))
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                message.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sockaddrPointer, length) }
            }
        }
        return sent == message.count
    }

    /// The listening socket passed by socket activation (fd 3), when LISTEN_PID is this
    /// process and LISTEN_FDS ≥ 1. The variables are removed so children do not inherit them.
    public static func activationSocket(environment: [String: String] = ProcessInfo.processInfo.environment,
                                        consume: Bool = true) -> Int32? {
        guard let fds = environment["LISTEN_FDS"].flatMap(Int.init), fds >= 1,
              let pid = environment["LISTEN_PID"].flatMap(Int32.init), pid == getpid()
        else { return nil }
        if !consume { return 3 }
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDNAMES")
        let fd: Int32 = 3
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }

    /// Refuses a passed descriptor that is not a listening Unix stream socket. foliod's access
    /// control rests on the peer's uid (SO_PEERCRED) and the socket file's mode: a TCP socket
    /// (a unit with `ListenStream=8080`) would serve the archive to the network, unchecked.
    /// More than one passed socket is refused too: foliod serves one, and the clients of the
    /// others would wait unanswered (systemd keeps accepting on them).
    public static func checkActivationSocket(_ fd: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if let count = environment["LISTEN_FDS"].flatMap(Int.init), count > 1 {
            throw SocketSetupError(.activation, "socket activation passed \(count) sockets; foliod serves one: give foliod.socket a single ListenStream=")
        }
        func option(_ name: Int32) -> Int32? {
            var value: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            return getsockopt(fd, SOL_SOCKET, name, &value, &length) == 0 ? value : nil
        }
        guard let domain = option(SO_DOMAIN), let type = option(SO_TYPE), let listening = option(SO_ACCEPTCONN) else {
            throw SocketSetupError(.activation, "the descriptor passed by socket activation (fd \(fd)) is not a socket: \(String(cString: strerror(errno)))")
        }
        guard domain == AF_UNIX, type == Int32(SOCK_STREAM.rawValue) else {
            throw SocketSetupError(.activation, "the socket passed by socket activation (fd \(fd)) is not a Unix stream socket (domain \(domain), type \(type)): "
                + "foliod serves only a Unix socket (ListenStream=/run/folio/foliod.sock), whose peers' uids it checks")
        }
        guard listening != 0 else {
            throw SocketSetupError(.activation, "the socket passed by socket activation (fd \(fd)) is not listening (Accept=no and a ListenStream= socket are expected)")
        }
    }
}
