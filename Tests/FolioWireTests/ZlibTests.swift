import FolioWire
import NIOCore
import Testing

@Suite struct ZlibTests {
    @Test func roundTripsText() throws {
        let input = samplePayload(50_000)
        let compressed = Zlib.compress(input)
        #expect(compressed.count < input.count / 3)
        #expect(compressed.prefix(2) == [0x78, 0x01])  // level 1 header, as Python's zlib.compress(x, 1)
        #expect(try Zlib.decompress(compressed, limit: 1 << 20) == input)
    }

    @Test func refusesABombWhileInflating() throws {
        let bomb = Zlib.compress([UInt8](repeating: 0, count: 17 << 20), level: 9)
        #expect(bomb.count < 64 << 10)
        let error = #expect(throws: WireError.self) { try Zlib.decompress(bomb, limit: 16 << 20) }
        #expect(error?.kind == .inflatedTooLarge)
        #expect(error?.code == .resourceExhausted)
    }

    @Test func acceptsExactlyTheLimit() throws {
        let input = samplePayload(10_000)
        #expect(try Zlib.decompress(Zlib.compress(input), limit: 10_000) == input)
        #expect(throws: WireError.self) { try Zlib.decompress(Zlib.compress(input), limit: 9_999) }
    }

    @Test func rejectsCorruptTruncatedAndTrailingData() {
        let good = Zlib.compress(samplePayload(4000))
        for bad in [[0x01, 0x02, 0x03], Array(good.dropLast(3)), good + [0x00], []] as [[UInt8]] {
            let error = #expect(throws: WireError.self) { try Zlib.decompress(bad, limit: 1 << 20) }
            #expect(error?.kind == .corruptCompression)
            #expect(error?.code == .invalidArgument)
        }
    }

    /// One Inflater serves a connection's frames in turn, including after a refused one.
    @Test func reusedInflaterStartsEachStreamAfresh() throws {
        let inflater = Zlib.Inflater()
        let bomb = Zlib.compress([UInt8](repeating: 0, count: 3 << 20), level: 9)
        let streams: [(input: [UInt8], expected: [UInt8]?)] = [
            (Zlib.compress(samplePayload(2000, seed: 1)), samplePayload(2000, seed: 1)),
            (Zlib.compress(samplePayload(70_000, seed: 2)), samplePayload(70_000, seed: 2)),
            (bomb, nil),
            (Array(Zlib.compress(samplePayload(4000)).dropLast(3)), nil),
            (Zlib.compress(samplePayload(5, seed: 3)), samplePayload(5, seed: 3)),
            (Zlib.compress([UInt8]()), []),
        ]
        for (index, stream) in streams.enumerated() {
            var out = ByteBuffer()
            do {
                try stream.input.withUnsafeBytes { try inflater.inflate($0, limit: 1 << 20, into: &out) }
                #expect(Array(out.readableBytesView) == stream.expected, "stream \(index)")
            } catch {
                #expect(stream.expected == nil, "stream \(index): \(error)")
            }
        }
    }

    @Test func adlerCombineMatchesWholeChecksum() {
        let a = samplePayload(3000, seed: 1), b = samplePayload(5000, seed: 2)
        let whole = (a + b).withUnsafeBytes { Zlib.adler32($0) }
        let combined = Zlib.adler32Combine(a.withUnsafeBytes { Zlib.adler32($0) },
                                           b.withUnsafeBytes { Zlib.adler32($0) }, lengthOfB: b.count)
        #expect(whole == combined)
    }
}
