import ArgumentParser

/// Benchmarks print figures; run them in release builds (`swift run -c release folio-bench …`).
@main
struct FolioBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folio-bench",
        abstract: "Folio benchmarks (release builds only give meaningful figures).",
        subcommands: parseBenchmarks + entityBenchmarks + serverBenchmarks + searchBenchmarks + startupBenchmarks
    )
}
