import FolioWire
import NIOCore
import NIOPosix

/// A zlib preset dictionary built from the archive's own articles, and the deflate/inflate that
/// use it for the stored article bodies.
///
/// Most stored articles are a few KB: too short for deflate to find much to refer back to in the
/// article itself. A 32 KB dictionary of the byte strings that recur across many articles (the
/// message's field tags around common phrases, agencies, places, dates, entity types) gives it
/// that history: on held-out pfr1998 articles level 6 with the dictionary stores markedly less than
/// level 1 without (Benchmarks/RESULTS.md, "Store dictionary"). The dictionary is built when a
/// snapshot is written from a corpus that has none, stored in the snapshot, and read back with it;
/// nothing of it comes from outside the archive.
///
/// Blocks made with a dictionary are a raw deflate stream no client can inflate, so foliod sends
/// those articles plain (see `ArticleBody.responseFrame`).
final class ArticleDictionary: Sendable {
    /// The deflate window: a longer dictionary could never be referred to.
    static let maximumSize = 32 * 1024
    /// Deflate level of the stored bodies: they are compressed once, in the background, and the
    /// dictionary's matches need a level that looks for them (level 1 gains a third as much).
    static let level: Int32 = 6

    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// A raw deflate stream (final block included) of `plain` with this dictionary as its history.
    func deflate(_ plain: UnsafeRawBufferPointer) -> [UInt8] {
        Zlib.Deflater(format: .raw, level: Self.level, dictionary: bytes).deflate(plain)
    }

    func deflate(_ plain: [UInt8]) -> [UInt8] {
        plain.withUnsafeBytes { deflate($0) }
    }

    private static let inflaters = ThreadSpecificVariable<Zlib.Inflater>()

    /// Appends the `plainCount` bytes that `blocks` (made by `deflate`) inflate to; throws
    /// `dataLoss` (`out` unchanged) when they do not inflate to exactly that.
    func inflate(_ blocks: ArraySlice<UInt8>, plainCount: Int, into out: inout ByteBuffer) throws {
        let inflater = Self.inflaters.currentValue ?? {
            let made = Zlib.Inflater(format: .raw)
            Self.inflaters.currentValue = made
            return made
        }()
        let before = out.writerIndex
        do {
            try blocks.withUnsafeBytes { try inflater.inflate($0, dictionary: bytes, limit: plainCount, into: &out) }
        } catch {
            throw StatusError(.dataLoss, "stored article did not inflate to its \(plainCount) bytes: \(error)")
        }
        guard out.writerIndex - before == plainCount else {
            let produced = out.writerIndex - before
            out.moveWriterIndex(to: before)
            throw StatusError(.dataLoss, "stored article did not inflate to its \(plainCount) bytes (\(produced) bytes)")
        }
    }

    func inflate(_ blocks: ArraySlice<UInt8>, plainCount: Int) throws -> [UInt8] {
        var out = ByteBuffer()
        try inflate(blocks, plainCount: plainCount, into: &out)
        return Array(out.readableBytesView)
    }
}
