// swift-tools-version: 6.1
//
// Nines: availability and cost analysis of architectures described as component graphs.
// A thin command (`nines`) over an embeddable library (`NinesKit`); one module per responsibility.

import PackageDescription

let package = Package(
    name: "Nines",
    products: [
        .library(name: "NinesKit", targets: ["NinesKit"]),
        .executable(name: "nines", targets: ["nines"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // ---------------------------------------------------------------------------------------
        // C libraries

        /// GSL (Debian `libgsl-dev`): dense linear algebra, random number generators, distributions.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),

        /// UMFPACK from SuiteSparse (Debian `libsuitesparse-dev`): sparse direct LU for large chains.
        .systemLibrary(
            name: "CUMFPACK",
            providers: [.apt(["libsuitesparse-dev"])]
        ),

        // ---------------------------------------------------------------------------------------
        // The library

        /// The model as typed values: units, components, domains, diagnostics. No dependencies.
        .target(name: "NinesModel"),

        /// YAML → `Model`, with every problem located (the only importer of Yams).
        .target(
            name: "NinesLoader",
            dependencies: ["NinesModel", .product(name: "Yams", package: "Yams")]
        ),

        /// The one thin layer over GSL and UMFPACK: LU solves, seeded random streams, distributions.
        .target(name: "NinesNumerics", dependencies: ["CGSL", "CUMFPACK"]),

        /// Continuous-time Markov chains: construction and exact solution.
        .target(name: "NinesMarkov", dependencies: ["NinesModel", "NinesNumerics"]),

        /// Discrete-event simulation: any law, replications on every core, intervals and distributions.
        .target(
            name: "NinesSimulation",
            dependencies: [
                "NinesModel", "NinesNumerics",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),

        /// Writers: text for people, JSON and CSV for machines.
        .target(name: "NinesRisk", dependencies: ["NinesModel", "NinesMarkov", "NinesNumerics"]),

        .target(name: "NinesReport", dependencies: ["NinesModel"]),

        /// The embedding API: load, validate, analyse (re-exports what users need).
        .target(
            name: "NinesKit",
            dependencies: ["NinesModel", "NinesLoader", "NinesMarkov", "NinesSimulation", "NinesRisk", "NinesReport"]
        ),

        // ---------------------------------------------------------------------------------------
        // The command

        .executableTarget(
            name: "nines",
            dependencies: [
                "NinesKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // ---------------------------------------------------------------------------------------
        // Tests

        .target(
            name: "NinesTestSupport",
            dependencies: [
                "NinesKit",
                .product(name: "RealModule", package: "swift-numerics"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Tests/NinesTestSupport"
        ),
        .testTarget(name: "NinesModelTests", dependencies: ["NinesModel", "NinesTestSupport",
            .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "NinesLoaderTests", dependencies: ["NinesLoader", "NinesKit", "NinesTestSupport",
            .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "NinesNumericsTests", dependencies: ["NinesNumerics", "NinesTestSupport"]),
        .testTarget(name: "NinesMarkovTests", dependencies: ["NinesMarkov", "NinesKit", "NinesTestSupport",
            .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "NinesSimulationTests", dependencies: ["NinesSimulation", "NinesMarkov", "NinesKit", "NinesTestSupport"]),
        .testTarget(name: "NinesRiskTests", dependencies: ["NinesRisk", "NinesKit", "NinesTestSupport"]),
        .testTarget(name: "NinesReportTests", dependencies: ["NinesReport", "NinesKit", "NinesTestSupport"]),
        .testTarget(name: "ninesTests", dependencies: ["nines", "NinesTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// Strict settings for every Swift target, as swift-log does.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
