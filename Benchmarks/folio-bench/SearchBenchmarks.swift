import ArgumentParser

let searchBenchmarks: [ParsableCommand.Type] = []
