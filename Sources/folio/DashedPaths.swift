/// A page file whose name starts with a dash (`-x.txt`) given to `ingest` or `parse`: ArgumentParser
/// reads it as a group of short flags, and the `h` in it showed the help and exited 0 with nothing
/// ingested. Those commands have no short option but -h, so such an argument is a path: it is moved
/// behind a `--`, where arguments are paths only. A lone `-` (standard input) stays where it is.
enum DashedPaths {
    static let commands: Set<String> = ["ingest", "parse"]

    static func rewritten(_ arguments: [String]) -> [String] {
        guard let command = arguments.first, commands.contains(command) else { return arguments }
        var kept = [command], paths: [String] = []
        var rest = arguments.dropFirst()
        while let argument = rest.first {
            rest = rest.dropFirst()
            if argument == "--" {
                paths += rest
                break
            }
            let isDashedPath = argument.hasPrefix("-") && !argument.hasPrefix("--") && argument.count > 1 && argument != "-h"
            if isDashedPath { paths.append(argument) } else { kept.append(argument) }
        }
        return paths.isEmpty ? kept : kept + ["--"] + paths
    }
}
