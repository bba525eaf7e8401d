import ArgumentParser
import CFolioBuildInfo
import FolioBuildInfo
import FolioWire

@main
struct Folio: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folio",
        abstract: "Parse newspaper pages and query a running foliod.",
        version: FolioBuildInfo.versionLine(tool: "folio", protocolVersion: FolioWire.protocolVersion,
                                             commit: String(cString: folio_build_git_commit())),
        subcommands: offlineCommands + daemonCommands
    )

    static func main() async {
        await main(DashedPaths.rewritten(Array(CommandLine.arguments.dropFirst())))
    }
}
