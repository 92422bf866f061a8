// swift-tools-version: 6.0
import PackageDescription

// Benchmarks for swift-tokenscript, kept out of the root package so that the library never depends on them.
// Build:  swift build -c release --package-path Benchmarks --scratch-path Benchmarks/.build-bench
// Run:    Benchmarks/run-parse-benchmark.sh, Benchmarks/run-eval-benchmark.sh, Benchmarks/run-engine-benchmark.sh,
//         Benchmarks/run-floor-benchmark.sh,
//         Benchmarks/sandbox/run.sh (see BENCHMARKS.md; the engine and sandbox benchmarks need
//         TOKENSCRIPT_LUA_WORKER, which their scripts build and set; so does the floor benchmark)
let package = Package(
    name: "tokenscript-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-tokenscript", path: ".."),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .executableTarget(
            name: "tokenscript-benchmarks",
            dependencies: [
                .product(name: "TokenScriptDocument", package: "swift-tokenscript"),
                .product(name: "TokenScriptEvaluation", package: "swift-tokenscript"),
                .product(name: "TokenScriptJSONRPC", package: "swift-tokenscript"),
                .product(name: "TokenScriptArithmetic", package: "swift-tokenscript"),
                .product(name: "TokenScriptEthereum", package: "swift-tokenscript"),
                .product(name: "TokenScriptModel", package: "swift-tokenscript"),
                .product(name: "TokenScriptEngine", package: "swift-tokenscript"),
                .product(name: "TokenScriptAttestation", package: "swift-tokenscript"),
                .product(name: "TokenScriptRuntime", package: "swift-tokenscript"),
                .product(name: "TokenScriptSandbox", package: "swift-tokenscript"),
                .product(name: "TokenScriptJournalFile", package: "swift-tokenscript"),
                .product(name: "TokenScriptNode", package: "swift-tokenscript"),
                .product(name: "TokenScriptSQLite", package: "swift-tokenscript"),
                .product(name: "TokenScriptPostgres", package: "swift-tokenscript"),
                .product(name: "TokenScriptCluster", package: "swift-tokenscript"),
                .product(name: "TokenScriptEffects", package: "swift-tokenscript"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The sandbox pool's side of Benchmarks/sandbox/run.sh: executions per second, latencies, charging rates.
        .executableTarget(
            name: "tokenscript-sandbox-benchmark",
            dependencies: [
                .product(name: "TokenScriptRuntime", package: "swift-tokenscript"),
                .product(name: "TokenScriptSandbox", package: "swift-tokenscript"),
            ]
        ),
        // The unsandboxed reference of Benchmarks/sandbox/run.sh: stock Lua in-process, never in a production binary.
        .systemLibrary(name: "CBenchmarkLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        .executableTarget(name: "lua-inprocess-baseline", dependencies: ["CBenchmarkLua"]),
    ]
)
