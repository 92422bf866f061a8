// swift-tools-version: 6.0
import PackageDescription

// Benchmarks for swift-tokenscript, kept out of the root package so that the library never depends on them.
// Build:  swift build -c release --package-path Benchmarks --scratch-path Benchmarks/.build-bench
// Run:    Benchmarks/run-parse-benchmark.sh, Benchmarks/run-eval-benchmark.sh   (see BENCHMARKS.md)
let package = Package(
    name: "tokenscript-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "swift-tokenscript", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "tokenscript-benchmarks",
            dependencies: [
                .product(name: "TokenScriptDocument", package: "swift-tokenscript"),
                .product(name: "TokenScriptEvaluation", package: "swift-tokenscript"),
                .product(name: "TokenScriptJSONRPC", package: "swift-tokenscript"),
                .product(name: "TokenScriptEthereum", package: "swift-tokenscript"),
                .product(name: "TokenScriptModel", package: "swift-tokenscript"),
            ]
        )
    ]
)
