import ArgumentParser
import FolioClient
import FolioModel

/// Entity types as the CLI spells them.
enum EntityNames: String, CaseIterable, ExpressibleByArgument {
    case person, organization, place, quantity, date

    var proto: Folio_V1_EntityType {
        switch self {
        case .person: .person
        case .organization: .organization
        case .place: .place
        case .quantity: .quantity
        case .date: .date
        }
    }

    static func label(_ type: Folio_V1_EntityType) -> String {
        switch type {
        case .person: "person"
        case .organization: "organization"
        case .place: "place"
        case .quantity: "quantity"
        case .date: "date"
        case .unspecified, .UNRECOGNIZED: "entity"
        }
    }
}

/// `folio entities`: the entities of the archive, most mentioned first.
struct EntitiesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entities", abstract: "List people, places, organizations, quantities and dates.",
        discussion: "--json prints the ListEntitiesResponse; --ndjson one EntitySummary per line. --script gives "
            + "the entities' texts and forms in that script (a prefix matches either script).\n\(daemonExitCodesHelp)")

    @Option(name: .long, help: "Only this type: person, organization, place, quantity or date.")
    var type: EntityNames?

    @Option(name: .long, help: "Only entities starting with this text (either script).")
    var prefix: String?

    @Flag(name: .long, help: "Sort by text instead of by mentions.")
    var byText = false

    @Option(name: .shortAndLong, help: "Entities per answer.")
    var limit: UInt32?

    @Option(name: .customLong("page-token"), help: "Continue from a previous answer's next page token.")
    var pageToken: String?

    @OptionGroup var output: DaemonOutputOptions
    @OptionGroup var connection: DaemonConnectionOptions

    func run() async throws {
        var request = Folio_V1_ListEntitiesRequest()
        request.type = type?.proto ?? .unspecified
        request.prefix = prefix ?? ""
        request.order = byText ? .text : .mostMentioned
        request.pageSize = limit ?? 0
        request.pageToken = pageToken ?? ""
        request.script = output.script.proto
        let response = try await connection.run { try await $0.listEntities(request) }
        if output.json { return try Terminal.json(response) }
        if output.ndjson {
            for entity in response.entities { try Terminal.json(entity) }
            return
        }
        for entity in response.entities {
            let forms = entity.forms.filter { $0 != entity.text }
            let also = forms.isEmpty ? "" : Terminal.dim("  (\(forms.joined(separator: "、")))")
            let label = EntityNames.label(entity.type).padding(toLength: 12, withPad: " ", startingAt: 0)
            Terminal.out("\(label) \(Terminal.bold(entity.text))  \(entity.mentions) mentions in \(entity.articles) articles\(also)")
        }
        Terminal.out(Terminal.dim("\(response.entities.count) of \(response.total) entities"))
        Terminal.moreHint(response.nextPageToken)
    }
}

/// `folio entity TEXT`: every mention of one entity across the archive.
struct EntityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entity", abstract: "Show one entity and where it is mentioned.",
        discussion: "--json prints the GetEntityResponse; --ndjson one EntityMention per line. --script gives the "
            + "entity's texts and its mentions' texts and headlines in that script; mention offsets stay those of the "
            + "stored text (folio get ID without --script).\n\(daemonExitCodesHelp)")

    @Argument(help: "The entity: its key or any form it is printed in (either script).")
    var text: String

    @Option(name: .long, help: "Its type, when the text names several kinds of entity.")
    var type: EntityNames?

    @Option(name: .shortAndLong, help: "Mentions per answer.")
    var limit: UInt32?

    @Option(name: .customLong("page-token"), help: "Continue from a previous answer's next page token.")
    var pageToken: String?

    @OptionGroup var output: DaemonOutputOptions
    @OptionGroup var connection: DaemonConnectionOptions

    func run() async throws {
        var request = Folio_V1_GetEntityRequest()
        request.text = text
        request.type = type?.proto ?? .unspecified
        request.pageSize = limit ?? 0
        request.pageToken = pageToken ?? ""
        request.script = output.script.proto
        let response = try await connection.run { try await $0.getEntity(request) }
        if output.json { return try Terminal.json(response) }
        if output.ndjson {
            for mention in response.mentions { try Terminal.json(mention) }
            return
        }
        let entity = response.entity
        Terminal.out("\(Terminal.bold(entity.text))  \(EntityNames.label(entity.type)), "
            + "\(entity.mentions) mentions in \(entity.articles) articles")
        if entity.forms.count > 1 { Terminal.out(Terminal.dim("forms: " + entity.forms.joined(separator: "、"))) }
        // People credited in a byline or dateline are entities of their articles with no mention in
        // the text (a byline is no text field): say where they are, rather than list nothing.
        if entity.type == .person && entity.mentions < entity.articles {
            Terminal.out(Terminal.dim("credited in bylines or datelines too: folio list --author \(entity.text)"))
        }
        for mention in response.mentions {
            let at = "\(Self.place(of: mention.mention)) [\(mention.mention.start),\(mention.mention.end))"
            Terminal.out("  \(mention.articleID)  \(mention.headline)  \(Terminal.dim("\(mention.text) · \(at)"))")
        }
        Terminal.moreHint(response.nextPageToken)
    }

    /// Where a mention is, as its offsets count: the headline, the subtitle, caption N or block N
    /// (lead and body; a headline mention read as "block 0" pointed at other text).
    static func place(of mention: Folio_V1_Mention) -> String {
        switch mention.field {
        case .headline: "headline"
        case .subtitle: "subtitle"
        case .caption: "caption \(mention.block)"
        default: "block \(mention.block)"
        }
    }
}
