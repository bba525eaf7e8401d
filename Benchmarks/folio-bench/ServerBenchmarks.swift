import ArgumentParser

let serverBenchmarks: [ParsableCommand.Type] = []
