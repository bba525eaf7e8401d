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

    /// ArgumentParser's `main`, with standard output flushed (and a failure to write it reported)
    /// before folio exits, on success and on error alike.
    static func main() async {
        do {
            var command = try parseAsRoot(DashedPaths.rewritten(Array(CommandLine.arguments.dropFirst())))
            // Before any event loop exists: SwiftNIO traps when it cannot open its descriptors.
            if let refusal = FileLimit.raise(), daemonCommands.contains(where: { $0 == type(of: command) }) {
                Terminal.error(refusal)
                throw ExitCode(DaemonExit.failure)
            }
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
            StandardOutput.shared.flush()
        } catch {
            StandardOutput.shared.flush()
            exit(withError: error)
        }
    }
}
