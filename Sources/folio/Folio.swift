import ArgumentParser

@main
struct Folio: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folio",
        abstract: "Parse newspaper pages and query a running foliod.",
        subcommands: offlineCommands + daemonCommands
    )
}
