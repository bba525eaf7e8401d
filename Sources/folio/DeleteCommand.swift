import ArgumentParser
import FolioClient

/// `folio delete`: pages out of the archive, with their articles.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete pages (and their articles) from the archive.",
        discussion: """
        Prints `ID<TAB>N articles removed` per page deleted; a page id not stored is reported and \
        the others are still deleted (exit 2). A write: allowed to foliod's own user, root and \
        foliod's --allow-uid/--allow-gid. \(daemonExitCodesHelp)
        """)

    @Argument(help: "Ids of the pages to delete (`folio list` shows them).")
    var ids: [String]

    @OptionGroup var connection: DaemonConnectionOptions

    func validate() throws {
        if ids.isEmpty { throw ValidationError("give the ids of the pages to delete") }
    }

    func run() async throws {
        let failure: Int32? = try await connection.run { client in
            var first: Int32?
            for id in ids {
                do {
                    let deleted = try await client.deletePage(id: id)
                    Terminal.out("\(deleted.pageID)\t\(deleted.articlesRemoved) articles removed")
                } catch let error as FolioError where error.kind != .cannotConnect && error.code != .permissionDenied {
                    let unknown = error.kind == .outcomeUnknown
                        ? ": the page may have been deleted or not; check with folio page \(id)" : ""
                    Terminal.error("\(id): \(error.message)\(unknown)")
                    first = first ?? DaemonExit.code(for: error)
                }
            }
            return first
        }
        if let failure { throw ExitCode(failure) }
    }
}
