// swift-tools-version:6.0
import PackageDescription

// One target per layer; dependencies point one way:
// FolioModel ← FolioText ← FolioEntities ← FolioParser, FolioIndex ← FolioWire ← FolioServer, FolioClient ← executables.
let package = Package(
    name: "Folio",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "FolioClient", targets: ["FolioClient"]),
        .library(name: "FolioModel", targets: ["FolioModel"]),
        .executable(name: "foliod", targets: ["foliod"]),
        .executable(name: "folio", targets: ["folio"]),
        .executable(name: "folio-bench", targets: ["folio-bench"]),
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
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),

        .target(name: "FolioModel", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .target(name: "FolioText", dependencies: ["COpenCC"]),
        .target(name: "FolioEntities", dependencies: ["FolioModel", "FolioText"],
                resources: [.copy("Data")]),
        .target(name: "FolioParser", dependencies: ["FolioModel", "FolioText", "FolioEntities"]),
        .target(name: "FolioIndex", dependencies: ["FolioModel", "FolioText"]),
        .target(name: "FolioWire", dependencies: [
            "CZlib",
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .target(name: "FolioServer", dependencies: [
            "FolioModel", "FolioText", "FolioEntities", "FolioParser", "FolioIndex", "FolioWire",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "Atomics", package: "swift-atomics"),
        ], resources: [.copy("Resources/sample")]),
        .target(name: "FolioClient", dependencies: [
            "FolioModel", "FolioWire",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),

        .executableTarget(name: "foliod", dependencies: [
            "FolioServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "folio", dependencies: [
            "FolioClient", "FolioParser", "FolioText",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "folio-bench", dependencies: [
            "FolioParser", "FolioEntities", "FolioIndex", "FolioClient", "FolioText",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Benchmarks/folio-bench"),

        .testTarget(name: "FolioTextTests", dependencies: ["FolioText"]),
        .testTarget(name: "FolioEntitiesTests", dependencies: ["FolioEntities"]),
        .testTarget(name: "FolioParserTests", dependencies: ["FolioParser"]),
        .testTarget(name: "FolioIndexTests", dependencies: ["FolioIndex", "FolioParser"]),
        .testTarget(name: "FolioWireTests", dependencies: [
            "FolioWire", "FolioModel",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        .testTarget(name: "FolioServerTests", dependencies: [
            "FolioServer", "FolioWire", "FolioModel",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        .testTarget(name: "FolioIntegrationTests", dependencies: ["FolioClient", "FolioModel", "FolioWire"]),
    ],
    swiftLanguageModes: [.v5]
)
