import ArgumentParser

/// Commands that talk to foliod through FolioClient.
let daemonCommands: [ParsableCommand.Type] = []
