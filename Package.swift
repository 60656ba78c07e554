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

        // Dependencies run one way, top to bottom:
        //   NinesModel ← NinesSemantics ← NinesResults ← NinesMarkov, NinesSimulation ← NinesRisk ← NinesReport ← NinesKit
        // with NinesLoader (YAML → Model) and NinesNumerics (GSL, UMFPACK) beside them.

        /// The model as typed values: units, components, domains, diagnostics. No dependencies.
        .target(name: "NinesModel"),

        /// YAML → `Model`, with every problem located (the only importer of Yams).
        .target(
            name: "NinesLoader",
            dependencies: ["NinesModel", .product(name: "Yams", package: "Yams")]
        ),

        /// The format's rules both engines and the risk analyses share, written once: the
        /// model's graph as indices (closure, order, domain chains, eligibility), the structure
        /// function with its degraded status, the static structure over basic events, and the
        /// standby rules as one pure state machine.
        .target(name: "NinesSemantics", dependencies: ["NinesModel"]),

        /// What analyses return, as values: metrics and costs, chain reports, simulation
        /// summaries, cut sets, importance, what-if, sensitivity and uncertainty results.
        .target(name: "NinesResults", dependencies: ["NinesModel", "NinesSemantics"]),

        /// The one thin layer over GSL and UMFPACK: LU solves, seeded random streams, distributions.
        .target(name: "NinesNumerics", dependencies: ["CGSL", "CUMFPACK"]),

        /// Continuous-time Markov chains: construction and exact solution.
        .target(name: "NinesMarkov", dependencies: ["NinesModel", "NinesSemantics", "NinesResults", "NinesNumerics"]),

        /// Discrete-event simulation: any law, replications on every core, intervals and distributions.
        .target(
            name: "NinesSimulation",
            dependencies: [
                "NinesModel", "NinesSemantics", "NinesResults", "NinesNumerics",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),

        /// Analyses and decisions built on the engines: cut sets and importance, what-if
        /// scenarios (the model transformations), sensitivity, uncertainty, the comparison of
        /// designs (Pareto front, break-even).
        .target(name: "NinesRisk", dependencies: ["NinesModel", "NinesSemantics", "NinesResults", "NinesMarkov", "NinesSimulation", "NinesNumerics"]),

        /// Writers: text for people, Markdown for reviews, JSON and CSV for machines, SVG and Mermaid.
        .target(name: "NinesReport", dependencies: ["NinesModel", "NinesSemantics", "NinesResults", "NinesRisk"]),

        /// The embedding API: load, validate, analyse (re-exports what users need).
        .target(
            name: "NinesKit",
            dependencies: ["NinesModel", "NinesLoader", "NinesSemantics", "NinesResults", "NinesMarkov", "NinesSimulation",
                           "NinesRisk", "NinesReport"]
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
        .testTarget(name: "NinesSimulationTests", dependencies: ["NinesSimulation", "NinesSemantics", "NinesMarkov", "NinesKit", "NinesTestSupport",
            .product(name: "PropertyBased", package: "swift-property-based")]),
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
