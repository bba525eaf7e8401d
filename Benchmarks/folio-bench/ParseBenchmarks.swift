import ArgumentParser

let parseBenchmarks: [ParsableCommand.Type] = []
