/// Codes a segment's documents as they are added: the first documents wait in UTF-16 until they
/// hold `sampleUnits` units, the code is made from them (character frequencies of newspaper text
/// settle long before that), and every document after is coded on arrival. A character the sample
/// did not rank still round-trips (escaped, four bytes).
struct TextCodeWriter {
    static let defaultSampleUnits = 1 << 20

    private let sampleUnits: Int
    private var pending: [UInt16] = []
    private var pendingStarts: [Int] = [0]
    private var codec: TextCodec?
    private var codes: [UInt32] = []
    private var bytes: [UInt8] = []
    private var byteStarts: [Int] = [0]

    init(sampleUnits: Int = Self.defaultSampleUnits) {
        self.sampleUnits = sampleUnits
    }

    mutating func append(_ document: String) {
        if codec == nil {
            pending.append(contentsOf: document.utf16)
            pendingStarts.append(pending.count)
            if pending.count >= sampleUnits { makeCode() }
            return
        }
        for unit in document.utf16 { TextCodec.append(unit, codes: codes, to: &bytes) }
        byteStarts.append(bytes.count)
    }

    private mutating func makeCode() {
        let codec = TextCodec(coding: pending)
        codes = codec.encodingTable()
        self.codec = codec
        for doc in 0..<(pendingStarts.count - 1) {
            for index in pendingStarts[doc]..<pendingStarts[doc + 1] { TextCodec.append(pending[index], codes: codes, to: &bytes) }
            byteStarts.append(bytes.count)
        }
        pending = []
        pendingStarts = [0]
    }

    /// The coded text, each document's start as a byte offset (and the end), and the code.
    mutating func finish() -> (bytes: [UInt8], starts: [Int], codec: TextCodec) {
        if codec == nil { makeCode() }
        // The segment keeps these bytes: copied to an array of their size (growth left up to half unused).
        return (bytes.withUnsafeBufferPointer { Array($0) }, byteStarts, codec!)
    }
}
