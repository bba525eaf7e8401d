import Foundation
import Testing
@testable import FolioServer

/// Who may write: by uid, by primary gid, and by a supplementary group (`usermod -aG folio-writers`).
@Suite struct AccessPolicyTests {
    @Test func aSupplementaryGroupPermitsWrites() {
        let policy = AccessPolicy(uids: [], gids: [4242])
        var peer = PeerCredentials(pid: 1, uid: 1000, gid: 1000)
        #expect(!policy.permitsWrites(peer))
        peer.groups = [27, 4242]
        #expect(policy.permitsWrites(peer))
        #expect(AccessPolicy(uids: [1000], gids: []).permitsWrites(PeerCredentials(pid: 1, uid: 1000, gid: 5)))
        #expect(!policy.permitsWrites(nil))
    }

    /// The groups read for a peer are those the kernel gives the process.
    @Test func supplementaryGroupsAreTheProcessGroups() {
        let count = getgroups(0, nil)
        var groups = [gid_t](repeating: 0, count: Int(max(count, 0)))
        _ = getgroups(count, &groups)
        #expect(PeerCredentials.supplementaryGroups(of: getpid()) == Set(groups.map { UInt32($0) }))
        #expect(PeerCredentials.supplementaryGroups(of: -1).isEmpty)
    }
}
