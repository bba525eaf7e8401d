import Testing
@testable import FolioIndex

/// Documents coded after the code was made from a sample (characters the sample never saw
/// included) decode to exactly what was added, before and after the sample's end.
@Suite struct TextCodeWriterTests {
    @Test func documentsAfterTheSampleRoundTrip() {
        let documents = ["中国人民\n日报", "中国经济", "鬱龘𠀋\u{FFFD}abc", "", "人民日报\n中国"]
        for sampleUnits in [1, 5, 9, 1_000] {
            var writer = TextCodeWriter(sampleUnits: sampleUnits)
            for document in documents { writer.append(document) }
            let (bytes, starts, codec) = writer.finish()
            #expect(starts.count == documents.count + 1)
            #expect(bytes.count == starts.last)
            #expect(bytes.withUnsafeBufferPointer(TextCodec.isWellFormed))
            for (index, document) in documents.enumerated() {
                var units: [UInt16] = []
                bytes.withUnsafeBufferPointer { codec.decode($0, starts[index]..<starts[index + 1], into: &units) }
                #expect(units == Array(document.utf16), "sample \(sampleUnits), document \(index)")
            }
        }
    }
}
