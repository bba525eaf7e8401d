import Foundation
import Testing
@testable import FolioIndex

/// Inputs the fuzz targets (Fuzz/) found, kept as regression tests.
@Suite struct FuzzFindingsTests {
    /// The 25 arrays of a stored segment (Segment.write's order), all empty but `field`, which holds `values`.
    static func segmentBytes(field: Int, values: [UInt64]) -> [UInt8] {
        var writer = BinaryWriter()
        for number in 0..<25 {
            if number == field { writer.write(values) } else { writer.write(UInt64(0)) }
        }
        return writer.bytes
    }

    /// FuzzStore: a text or term offset above Int.max trapped in `Int(UInt64)` while a snapshot loaded.
    @Test(arguments: [2, 20])  // textStarts, termStarts
    func offsetsBeyondIntMaxAreDamage(field: Int) {
        let bytes = Self.segmentBytes(field: field, values: [0, UInt64.max])
        bytes.withUnsafeBytes { raw in
            var reader = BinaryReader(raw)
            #expect(throws: SnapshotError.corrupt("offset out of range")) { try Segment.read(from: &reader, articles: nil) }
        }
    }
}
