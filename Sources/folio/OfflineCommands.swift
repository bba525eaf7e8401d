import ArgumentParser

/// Commands that work without a daemon.
let offlineCommands: [ParsableCommand.Type] = [ParseCommand.self]
