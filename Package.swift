// swift-tools-version:6.0
import Foundation
import PackageDescription

/// The git commit for `--version`: $FOLIO_GIT_COMMIT (the Makefile sets it), else HEAD read from
/// .git without running git, else "unknown". A bare token: it becomes a C define.
func gitCommit() -> String {
    let allowed = Set("0123456789abcdefABCDEF-dirty")
    if let given = ProcessInfo.processInfo.environment["FOLIO_GIT_COMMIT"], !given.isEmpty {
        return given.allSatisfy(allowed.contains) ? given : "unknown"
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    func read(_ url: URL) -> String? {
        (try? String(contentsOf: url, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    var gitDirectory = root.appendingPathComponent(".git")
    if let pointer = read(gitDirectory), pointer.hasPrefix("gitdir: ") {  // a worktree
        gitDirectory = URL(fileURLWithPath: String(pointer.dropFirst(8)), relativeTo: root)
    }
    guard let head = read(gitDirectory.appendingPathComponent("HEAD")) else { return "unknown" }
    var sha = head
    if head.hasPrefix("ref: ") {
        let ref = String(head.dropFirst(5))
        let common = read(gitDirectory.appendingPathComponent("commondir"))
            .map { URL(fileURLWithPath: $0, relativeTo: gitDirectory) } ?? gitDirectory
        let packed = read(common.appendingPathComponent("packed-refs"))?.split(separator: "\n")
            .first { $0.hasSuffix(" " + ref) }.map { String($0.prefix(40)) }
        sha = read(common.appendingPathComponent(ref)) ?? packed ?? ""
    }
    let short = String(sha.prefix(12))
    return short.count == 12 && short.allSatisfy(allowed.contains) ? short : "unknown"
}

// One target per layer; dependencies point one way:
// FolioModel ← FolioText ← FolioEntities (FolioMemory: huge-page mappings for it and FolioIndex) ← FolioParser, FolioPDF (poppler), FolioIndex ← FolioWire ← FolioStore ← FolioServer,
// FolioClient ← executables (foliod's production wiring, FoliodServices, is the one place the parser meets the server).
/// Swift 6 language mode for every target, tests included.
// Release builds leave out the run-time exclusivity checks: on parse-heavy code they cost 7–10% of
// `folio-bench parse` (Benchmarks/RESULTS.md, twenty-sixth round). Debug builds, and so every test
// suite, keep them, as do the fuzz builds.
let swift6: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

// The layers that parse and index run optimized in debug builds too: the test suites parse and
// index pages by the hundred, and at -Onone that code runs about 100× slower than at -O (a 5 MB
// page took 46 s). Overflow and exclusivity checks stay on; only the optimizer differs.
let optimizedInDebug: Set<String> = ["FolioText", "FolioEntities", "FolioParser", "FolioIndex"]

let package = Package(
    name: "Folio",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "FolioClient", targets: ["FolioClient"]),
        .library(name: "FolioModel", targets: ["FolioModel"]),
        .executable(name: "foliod", targets: ["foliod"]),
        .executable(name: "folio", targets: ["folio"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
    ],
    targets: [
        .systemLibrary(name: "COpenCC", path: "Sources/COpenCC", pkgConfig: "opencc",
                       providers: [.apt(["libopencc-dev"])]),
        .systemLibrary(name: "CPoppler", path: "Sources/CPoppler", pkgConfig: "poppler-glib",
                       providers: [.apt(["libpoppler-glib-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibdeflate", path: "Sources/CLibdeflate", providers: [.apt(["libdeflate-dev"])]),

        .target(name: "CFolioBuildInfo", cSettings: [.define("FOLIO_GIT_COMMIT", to: gitCommit())]),
        .target(name: "FolioBuildInfo", swiftSettings: swift6),
        .target(name: "FolioModel", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")], swiftSettings: swift6),
        .target(name: "FolioText", dependencies: ["COpenCC"], resources: [.copy("Data")], swiftSettings: swift6),
        .target(name: "FolioMemory", swiftSettings: swift6),
        .target(name: "FolioEntities", dependencies: ["FolioModel", "FolioText", "FolioMemory", "CFolioPrefetch"],
                resources: [.copy("Data")], swiftSettings: swift6),
        .target(name: "FolioParser", dependencies: ["FolioModel", "FolioText", "FolioEntities"],
                resources: [.copy("Data")], swiftSettings: swift6),
        .target(name: "FolioPDF", dependencies: ["CPoppler"], swiftSettings: swift6),
        .target(name: "CFolioPrefetch"),
        .target(name: "FolioIndex", dependencies: ["FolioModel", "FolioText", "FolioMemory", "CFolioPrefetch"], swiftSettings: swift6),

        .target(name: "FolioWire", dependencies: [
            "CZlib", "CLibdeflate",
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),  // ThreadSpecificVariable: per-thread zlib streams
        ], swiftSettings: swift6),
        // The page store, its records, dictionaries and snapshot file: no sockets, no parser.
        .target(name: "FolioStore", dependencies: [
            "FolioModel", "FolioText", "FolioIndex", "FolioWire", "FolioBuildInfo", "FolioMemory",
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: swift6),
        .target(name: "FolioServer", dependencies: [
            "FolioModel", "FolioText", "FolioIndex", "FolioStore", "FolioWire", "FolioBuildInfo", "FolioMemory",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "Atomics", package: "swift-atomics"),
        ], resources: [.copy("Resources/sample")], swiftSettings: swift6),
        // Tests and benchmarks only: the shared corpus' location and reader, a seeded generator, an
        // in-process daemon on a temporary socket (DaemonHarness) with its test doubles and raw client.
        .target(name: "FolioTestSupport", dependencies: [
            "FolioModel", "FolioIndex", "FolioWire", "FolioStore", "FolioServer",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ], swiftSettings: swift6),
        .target(name: "FolioClient", dependencies: [
            "FolioModel", "FolioWire",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ], swiftSettings: swift6),
        // foliod's production wiring (the parser, OpenCC, the index behind the server's seams): a
        // library, not part of the executable, because the fuzz targets and server tests use it too.
        .target(name: "FoliodServices", dependencies: [
            "FolioModel", "FolioText", "FolioEntities", "FolioParser", "FolioIndex", "FolioStore", "FolioWire",
        ], swiftSettings: swift6),

        .executableTarget(name: "foliod", dependencies: [
            "FolioServer", "FolioStore", "FoliodServices", "FolioBuildInfo", "CFolioBuildInfo", "FolioMemory",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: swift6),
        .executableTarget(name: "folio", dependencies: [
            "FolioClient", "FolioParser", "FolioPDF", "FolioText", "FolioBuildInfo", "CFolioBuildInfo",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ], swiftSettings: swift6),
        // Not a product (nobody installs it); `swift build --product folio-bench` still builds it.
        .executableTarget(name: "folio-bench", dependencies: [
            "FolioParser", "FolioEntities", "FolioIndex", "FolioClient", "FolioText", "FolioWire", "FolioBuildInfo",
            "CFolioBuildInfo", "FolioTestSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ], path: "Benchmarks/folio-bench", swiftSettings: swift6),

        .testTarget(name: "FolioTextTests", dependencies: ["FolioText"], swiftSettings: swift6),
        .testTarget(name: "FolioEntitiesTests", dependencies: ["FolioEntities", "FolioTestSupport"], swiftSettings: swift6),
        .testTarget(name: "FolioParserTests", dependencies: ["FolioParser", "FolioTestSupport"], swiftSettings: swift6),
        .testTarget(name: "FolioPDFTests", dependencies: ["FolioPDF"], swiftSettings: swift6),
        .testTarget(name: "FolioIndexTests", dependencies: ["FolioIndex", "FolioParser", "FolioTestSupport"], swiftSettings: swift6),
        .testTarget(name: "FolioStoreTests", dependencies: ["FolioStore", "FolioIndex", "FolioModel", "FolioTestSupport"], swiftSettings: swift6),
        .testTarget(name: "FolioWireTests", dependencies: [
            "FolioWire", "FolioModel", "FolioTestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ], swiftSettings: swift6),
        .testTarget(name: "FolioServerTests", dependencies: [
            "FolioServer", "FolioStore", "FolioIndex", "FoliodServices", "FolioWire", "FolioModel", "FolioTestSupport", "FolioMemory",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ], swiftSettings: swift6),
        .testTarget(name: "FolioIntegrationTests", dependencies: ["FolioClient", "FolioModel", "FolioWire", "FolioTestSupport"], swiftSettings: swift6),
    ],
    swiftLanguageModes: [.v5]
)

for target in package.targets where optimizedInDebug.contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-O"], .when(configuration: .debug))]
}

// libFuzzer targets (Fuzz/), added only for `make fuzz` (FOLIO_FUZZ=1, scratch path .build-fuzz):
// they have no main of their own and link only with -sanitize=fuzzer, so the normal build never sees them.
if Context.environment["FOLIO_FUZZ"] == "1" {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzFrame", ["FolioWire", .product(name: "NIOCore", package: "swift-nio")]),
        ("FuzzEnvelope", ["FolioWire", "FolioClient", "FolioModel", .product(name: "NIOCore", package: "swift-nio"),
                          .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        ("FuzzRouter", ["FolioServer", "FolioStore", "FoliodServices", "FolioWire", "FolioModel", "FolioIndex",
                        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                        .product(name: "Logging", package: "swift-log"),
                        .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        ("FuzzParser", ["FolioParser", "FolioModel"]),
        ("FuzzPDF", ["FolioPDF", "FolioParser"]),
        ("FuzzStore", ["FolioStore", "FoliodServices", "FolioIndex", "FolioModel"]),
    ]
    // Fuzzing runs Folio's code optimized (about 7× the inputs a second of -Onone on the parser);
    // the packages it depends on stay at -Onone, which keeps the build short.
    for target in package.targets where target.type != .system {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-O"])]
    }
    package.targets.append(.target(name: "FuzzDriver", path: "Fuzz/Targets/FuzzDriver"))
    for target in fuzzTargets {
        package.products.append(.executable(name: target.name, targets: [target.name]))
        package.targets.append(.executableTarget(name: target.name, dependencies: target.dependencies + ["FuzzDriver"],
                                                 path: "Fuzz/Targets/\(target.name)"))
    }
}
