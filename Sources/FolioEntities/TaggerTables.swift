import FolioMemory

/// The tables `Tagger.tag` reads at random (character index and rows, pair rows, the pair and
/// name-list slots and filters: about 2 MB), copied side by side into one region of 2 MiB pages.
/// With 4 KB pages the ~500 pages they span overflow the TLB and most row reads also missed it.
/// Read-only once built; freed with the tagger.
final class TaggerTables: @unchecked Sendable {
    let charBlock: UnsafeBufferPointer<UInt16>
    let unigram: UnsafeBufferPointer<TaggerModel.Packed>
    let bigram: UnsafeBufferPointer<TaggerModel.Packed>
    let classRows: UnsafeBufferPointer<TaggerModel.Packed>
    let nameRows: UnsafeBufferPointer<TaggerModel.Row>
    let bigramSlots: UnsafeBufferPointer<UInt64>
    let bigramFilter: UnsafeBufferPointer<UInt64>
    let nameSlots: UnsafeBufferPointer<UInt64>
    let nameFilter: UnsafeBufferPointer<UInt64>
    let namePayloads: UnsafeBufferPointer<UInt8>
    let nameStarts: UnsafeBufferPointer<UInt64>
    private let region: UnsafeMutableRawPointer
    private let length: Int
    /// Whether `region` is a mapping of its own (else plain memory: the mapping failed).
    private let mapped: Bool

    init(_ m: TaggerModel) {
        let names = m.names.withTables { slots, filter, payloads in (Array(slots), Array(filter), Array(payloads)) }
        let starts = m.names.starts.withSlots { Array($0) }
        let bigramSlots = m.bigramIndex.withSlots { Array($0) }
        // The most read first: the filter words and the character index, then the rows.
        var layout = Layout()
        let oBigramFilter = layout.place(m.bigramIndex.filter.words)
        let oCharBlock = layout.place(m.charBlock)
        let oClassRows = layout.place(m.classRows16)
        let oBigramSlots = layout.place(bigramSlots)
        let oUnigram = layout.place(m.unigram16)
        let oBigram = layout.place(m.bigram16)
        let oNameFilter = layout.place(names.1)
        let oNameStarts = layout.place(starts)
        let oNameSlots = layout.place(names.0)
        let oPayloads = layout.place(names.2)
        let oNameRows = layout.place(m.nameRows)
        let length = HugePages.rounded(layout.size)
        self.length = length
        let mapped = HugePages.map(length)
        let region = mapped ?? UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 64)
        self.region = region
        self.mapped = mapped != nil
        func copy<T>(_ a: [T], _ offset: Int) -> UnsafeBufferPointer<T> {
            let p = (region + offset).bindMemory(to: T.self, capacity: a.count)
            a.withUnsafeBufferPointer { if let from = $0.baseAddress { p.update(from: from, count: a.count) } }
            return UnsafeBufferPointer(start: p, count: a.count)
        }
        self.bigramFilter = copy(m.bigramIndex.filter.words, oBigramFilter)
        self.charBlock = copy(m.charBlock, oCharBlock)
        self.classRows = copy(m.classRows16, oClassRows)
        self.bigramSlots = copy(bigramSlots, oBigramSlots)
        self.unigram = copy(m.unigram16, oUnigram)
        self.bigram = copy(m.bigram16, oBigram)
        self.nameFilter = copy(names.1, oNameFilter)
        self.nameStarts = copy(starts, oNameStarts)
        self.nameSlots = copy(names.0, oNameSlots)
        self.namePayloads = copy(names.2, oPayloads)
        self.nameRows = copy(m.nameRows, oNameRows)
    }

    /// `m` without the tables copied here (and the loader's Int32 character index): what the
    /// tagger keeps of the model besides them, so that the tables are not held twice.
    static func remainder(of m: TaggerModel) -> TaggerModel {
        var rest = m
        rest.charRow = []
        rest.charBlock = []
        rest.unigram16 = []
        rest.bigram16 = []
        rest.classRows16 = []
        rest.nameRows = []
        rest.bigramIndex = m.bigramIndex.withoutTables()
        rest.names = m.names.withoutTables()
        return rest
    }

    deinit {
        if mapped { HugePages.unmap(region, length) } else { region.deallocate() }
    }

    /// Offsets of arrays laid one after another, each on a 64-byte line.
    private struct Layout {
        var size = 0
        mutating func place<T>(_ a: [T]) -> Int {
            let at = (size + 63) & ~63
            size = at + max(a.count, 1) * MemoryLayout<T>.stride
            return at
        }
    }
}
