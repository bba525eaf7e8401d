import ArgumentParser
import CFolioBuildInfo
import FolioBuildInfo
import FolioWire

/// Benchmarks print figures; run them in release builds (`swift run -c release folio-bench …`).
@main
struct FolioBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folio-bench",
        abstract: "Folio benchmarks (release builds only give meaningful figures).",
        version: FolioBuildInfo.versionLine(tool: "folio-bench", protocolVersion: FolioWire.protocolVersion,
                                             commit: String(cString: folio_build_git_commit())),
        subcommands: parseBenchmarks + entityBenchmarks + [AdversarialParseBenchmark.self, ChaosLoadBenchmark.self] + serverBenchmarks + searchBenchmarks + startupBenchmarks + [ChurnBenchmark.self]
    )
}
