import Foundation
import Testing
import FolioEntities

@Test func scratchProbe() {
    guard let text = ProcessInfo.processInfo.environment["PROBE"] else { return }
    for line in text.split(separator: "|") {
        let es = EntityRecognizer.shared.recognize(fields: [EntityField(field: .block, index: 0, text: String(line))], pageDate: "1998-01-16")
        print("PROBE \(line)")
        for e in es { print("PROBE   \(e.type) \(e.text) \(e.mentions.map { "\($0.start)-\($0.end)" })") }
    }
}
