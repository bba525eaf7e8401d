import FolioEntities
import FolioModel
import FolioText

extension PageParser {
    /// The texts of an article that entities are looked for in: headline, subtitle, every
    /// block of lead ++ body (index = block index) and every caption (index = caption index).
    static func entityFields(of a: Folio_V1_Article) -> [EntityField] {
        var fields: [EntityField] = []
        if !a.headline.isEmpty { fields.append(EntityField(field: .headline, index: 0, text: a.headline)) }
        if !a.subtitle.isEmpty { fields.append(EntityField(field: .subtitle, index: 0, text: a.subtitle)) }
        fields.reserveCapacity(2 + a.lead.count + a.body.count + a.captions.count)
        for (i, b) in a.lead.enumerated() {
            fields.append(EntityField(field: .block, index: i, text: b.text))
        }
        for (i, b) in a.body.enumerated() {
            fields.append(EntityField(field: .block, index: a.lead.count + i, text: b.text))
        }
        for (i, c) in a.captions.enumerated() {
            fields.append(EntityField(field: .caption, index: i, text: c.text))
        }
        return fields
    }
}

extension PageParser {
    /// People credited in bylines and datelines are persons too; they stand outside the text
    /// fields, so they carry no mentions. Added unless the recognizer already found them.
    static func creditedPeople(of a: Folio_V1_Article, into entities: inout [Folio_V1_Entity]) {
        let names = a.bylines.map(\.name) + (a.hasDateline ? a.dateline.reporters : [])
        // Most articles credit nobody: skip folding every person found.
        guard names.contains(where: { !$0.isEmpty }) else { return }
        // A few names against the people found: compared one by one (String ==, the Set's own
        // equality) instead of hashing every person (hashing a String normalizes it, slow for CJK).
        let few = names.count <= 8
        var seen: [String] = []
        if few { for e in entities where e.type == .person { seen.append(personKey(e.text)) } }
        var known = few ? [] : Set(entities.filter { $0.type == .person }.map { personKey($0.text) })
        for name in names where !name.isEmpty {
            let folded = personKey(name)
            if few {
                guard !seen.contains(folded) else { continue }
                seen.append(folded)
            } else {
                guard known.insert(folded).inserted else { continue }
            }
            var e = Folio_V1_Entity()
            e.type = .person
            e.text = name
            e.normalized = folded
            entities.append(e)
        }
    }

    /// A credited name's key as the recognizer writes one: folded, but Latin capitals kept
    /// (`Michael Smith`) and any dot of a foreign name as U+00B7 (馬丁•雅克 from Big5 → 马丁·雅克).
    static func personKey(_ name: String) -> String {
        let fold = CharacterFold.shared
        var out = String.UnicodeScalarView()
        for s in name.unicodeScalars {
            if CharacterClass.isNameDot(s) {
                out.append("·")
            } else {
                out.append((0x41...0x5A).contains(s.value) ? s : fold.fold(s))
            }
        }
        return String(out)
    }
}
