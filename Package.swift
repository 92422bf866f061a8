// swift-tools-version: 6.0
import PackageDescription

// A pure centre (JSON, Arithmetic, Model, Ethereum, Attestation, Evaluation, Runtime, Engine, Cluster) with adapters
// and tooling around it. ARCHITECTURE.md draws the graph and says why each module may import what it declares here;
// scripts/soundness checks that this file, the article and the imports agree.
let package = Package(
    name: "swift-tokenscript",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tokenscript", targets: ["tokenscript"]),
        // The modules another package would embed. TokenScriptCommands (the CLI's internals) is not one: its API
        // is `package`, for the `tokenscript` executable and the tests.
        .library(name: "TokenScriptModel", targets: ["TokenScriptModel"]),
        .library(name: "TokenScriptDocument", targets: ["TokenScriptDocument"]),
        .library(name: "TokenScriptEthereum", targets: ["TokenScriptEthereum"]),
        .library(name: "TokenScriptEvaluation", targets: ["TokenScriptEvaluation"]),
        .library(name: "TokenScriptJSONRPC", targets: ["TokenScriptJSONRPC"]),
        .library(name: "TokenScriptRuntime", targets: ["TokenScriptRuntime"]),
        .library(name: "TokenScriptSandbox", targets: ["TokenScriptSandbox"]),
        .library(name: "TokenScriptAttestation", targets: ["TokenScriptAttestation"]),
        .library(name: "TokenScriptEngine", targets: ["TokenScriptEngine"]),
        .library(name: "TokenScriptCluster", targets: ["TokenScriptCluster"]),
        .library(name: "TokenScriptClusterConformance", targets: ["TokenScriptClusterConformance"]),
        .library(name: "TokenScriptJournalFile", targets: ["TokenScriptJournalFile"]),
        .library(name: "TokenScriptJournalStoreConformance", targets: ["TokenScriptJournalStoreConformance"]),
        .library(name: "TokenScriptSQLite", targets: ["TokenScriptSQLite"]),
        .library(name: "TokenScriptPostgres", targets: ["TokenScriptPostgres"]),
        .library(name: "TokenScriptNode", targets: ["TokenScriptNode"]),
        .library(name: "TokenScriptAnchor", targets: ["TokenScriptAnchor"]),
        .library(name: "TokenScriptAnchorClient", targets: ["TokenScriptAnchorClient"]),
        .library(name: "TokenScriptJSON", targets: ["TokenScriptJSON"]),
        .library(name: "TokenScriptArithmetic", targets: ["TokenScriptArithmetic"]),
        .library(name: "TokenScriptEffects", targets: ["TokenScriptEffects"]),
        .library(name: "TokenScriptExecutor", targets: ["TokenScriptExecutor"]),
        .library(name: "TokenScriptDevnet", targets: ["TokenScriptDevnet"]),
        .library(name: "TokenScriptDemo", targets: ["TokenScriptDemo"]),
        // Test doubles and fixtures for packages that test code built on these modules (and for our own tests).
        .library(name: "TokenScriptTesting", targets: ["TokenScriptTesting"]),
        // Not for embedding: a product only because SwiftPM lets another package (the libFuzzer harness in
        // Tests/Fuzz, kept separate so that `swift build` never builds it) depend on products alone.
        .library(name: "TokenScriptFuzzTargets", targets: ["TokenScriptFuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CTokenScriptXML",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // Checked conversions and saturating arithmetic for every value that comes from outside (issue 8), and the
        // package's one hex codec, `Hex` (issue 9).
        .target(name: "TokenScriptArithmetic"),
        // The one strict JSON reader and canonical writer (issue 8): pure Swift, no Foundation; it reads `\u` escapes
        // with Arithmetic's `Hex`.
        .target(name: "TokenScriptJSON", dependencies: ["TokenScriptArithmetic"]),
        // The value model; also the vocabulary shared with attestations (`TopicPattern`, `SignatureScheme`).
        .target(name: "TokenScriptModel", dependencies: ["TokenScriptArithmetic"]),
        // Opening files named by untrusted input: regular files only, never blocking, size-capped (Glibc only);
        // and durable writes (`DurableFile`: every byte, synced, the directory entry too).
        .target(name: "TokenScriptFileSystem"),
        .target(
            name: "TokenScriptXML",
            dependencies: ["CTokenScriptXML", "TokenScriptFileSystem"],
            // The server extension's XSD, compiled into the binary (`ServerExtensionSchema.text`).
            resources: [.embedInCode("Schemas/tokenscript-server-1.xsd")]
        ),
        .target(
            name: "TokenScriptDocument",
            dependencies: ["TokenScriptModel", "TokenScriptXML", "TokenScriptJSON", "TokenScriptFileSystem"],
            // The server extension's reference documentation (its XSD is compiled into TokenScriptXML).
            exclude: ["ServerExtension.md", "README.md"]
        ),
        .target(
            name: "TokenScriptCommands",
            dependencies: [
                "TokenScriptArithmetic", "TokenScriptModel", "TokenScriptXML", "TokenScriptDocument",
                "TokenScriptSandbox",
                "TokenScriptAttestation", "TokenScriptJSON",
                "TokenScriptEthereum", "TokenScriptEvaluation", "TokenScriptJSONRPC", "TokenScriptEngine",
                "TokenScriptFileSystem", "TokenScriptEgress", "TokenScriptRuntime", "TokenScriptSimulation",
                "TokenScriptExecutor",
                "TokenScriptEffects", "TokenScriptJournalFile", "TokenScriptNode", "TokenScriptAnchor",
                "TokenScriptAnchorClient", "TokenScriptDevnet", "TokenScriptDemo", "TokenScriptHTTPServer",
                "TokenScriptPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "tokenscript",
            dependencies: ["TokenScriptCommands"],
            plugins: ["BuildCommit"]
        ),
        // Writes the commit being built into the executable for `tokenscript --version` (Plugins/BuildCommit).
        .plugin(name: "BuildCommit", capability: .buildTool()),
        // Sandboxed Lua runtime (issue 3). Lua and libseccomp are touched only by CTokenScriptWorkerCore,
        // which runs in the C worker process; TokenScriptSandbox (pure Swift) owns the worker pool.
        .systemLibrary(
            name: "CTokenScriptLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        .systemLibrary(
            name: "CTokenScriptSeccomp",
            pkgConfig: "libseccomp",
            providers: [.apt(["libseccomp-dev"])]
        ),
        .target(name: "CTokenScriptWorkerCore", dependencies: ["CTokenScriptLua", "CTokenScriptSeccomp"]),
        .executableTarget(name: "tokenscript-lua-worker", dependencies: ["CTokenScriptWorkerCore"]),
        .executableTarget(name: "tokenscript-sandbox-probe", dependencies: ["CTokenScriptWorkerCore"]),
        // The script-runtime vocabulary (issue 9): executions, values, limits, results and the `ScriptRuntime`
        // protocol the engine runs transitions through. Pure Swift, no Foundation.
        .target(
            name: "TokenScriptRuntime", dependencies: ["TokenScriptJSON", "TokenScriptArithmetic"],
            exclude: ["README.md"]),
        .target(
            name: "TokenScriptSandbox",
            dependencies: ["TokenScriptRuntime", "TokenScriptJSON", "TokenScriptArithmetic"]),
        .executableTarget(
            name: "tokenscript-sandbox-testhost", dependencies: ["TokenScriptSandbox", "TokenScriptRuntime"]),
        // Keccak-256, 256-bit integers, EIP-55 and the Solidity ABI codec (issue 4): pure Swift, no networking.
        .target(name: "TokenScriptEthereum", dependencies: ["TokenScriptArithmetic", "TokenScriptJSON"]),
        // Attribute evaluation (issue 4): pure Swift; reads chains through the ChainClient protocol.
        .target(
            name: "TokenScriptEvaluation",
            dependencies: ["TokenScriptArithmetic", "TokenScriptModel", "TokenScriptEthereum"],
            exclude: ["README.md"]
        ),
        // The JSON-RPC ChainClient over HTTP: the networking adapter of evaluation.
        // HTTP exchanges with a deadline and a body cap, shared by the JSON-RPC client and the effect transport.
        // The egress policy of effects (issue 8): pure Swift addresses, ranges, strict URL and header rules,
        // shared by the simulation (engine) and the transport.
        .target(name: "TokenScriptEgress"),
        // libcurl is touched only by TokenScriptHTTPClient's PinnedHTTPClient (connects to checked addresses only).
        .systemLibrary(
            name: "CTokenScriptCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "TokenScriptHTTPClient", dependencies: ["TokenScriptEgress", "CTokenScriptCurl"]),
        .target(
            name: "TokenScriptJSONRPC",
            dependencies: [
                "TokenScriptArithmetic", "TokenScriptEvaluation", "TokenScriptEthereum", "TokenScriptHTTPClient",
                "TokenScriptJSON",
            ]
        ),
        // Signed attestations (issue 5): libsecp256k1 is touched only by TokenScriptSecp256k1 (public-key
        // recovery); the attestation centre is pure Swift plus swift-crypto's Ed25519.
        .systemLibrary(
            name: "CTokenScriptSecp256k1",
            pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]
        ),
        .target(name: "TokenScriptSecp256k1", dependencies: ["CTokenScriptSecp256k1"]),
        .target(
            name: "TokenScriptAttestation",
            dependencies: [
                "TokenScriptArithmetic", "TokenScriptModel", "TokenScriptEthereum", "TokenScriptSecp256k1",
                "TokenScriptJSON", .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
        ),
        // The engine (issue 5): attestations drive token instances through deterministic Lua transitions,
        // journaled and replayable.
        .target(
            name: "TokenScriptEngine",
            dependencies: [
                "TokenScriptArithmetic", "TokenScriptModel", "TokenScriptAttestation", "TokenScriptRuntime",
                "TokenScriptJSON", "TokenScriptEgress",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
        ),
        // Network roles (issue 9): election with leases and fencing epochs, placement, the attestation log, the
        // instance store and the SLO monitor, as protocols with in-memory implementations. Pure Swift.
        .target(
            name: "TokenScriptCluster",
            dependencies: [
                "TokenScriptArithmetic", "TokenScriptAttestation", "TokenScriptEngine", "TokenScriptModel",
                "TokenScriptRuntime", .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
        ),
        // The checks every implementation of the cluster protocols must pass (in memory, SQLite, PostgreSQL).
        .target(
            name: "TokenScriptClusterConformance",
            dependencies: ["TokenScriptCluster", "TokenScriptAttestation", "TokenScriptEngine", "TokenScriptModel"]
        ),
        // The journal as a JSON Lines file (issue 9): the engine's `JournalStore` on disk, appended with fsync.
        .target(name: "TokenScriptJournalFile", dependencies: ["TokenScriptEngine", "TokenScriptFileSystem"]),
        // The embedded store (issue 11): the journal, the lease table, the attestation log, the instance store
        // and placement in one SQLite file (WAL, synchronous=FULL), fencing checked in the write's transaction.
        .target(
            name: "TokenScriptSQLite",
            dependencies: [
                "TokenScriptEngine", "TokenScriptCluster", "TokenScriptAttestation", "TokenScriptRuntime",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["README.md"]
        ),
        // The shared store for many machines (issue 13): the cluster protocols on PostgreSQL through postgres-nio,
        // fencing checked in the write's transaction, per-topic counters, LISTEN/NOTIFY only as a wake-up hint.
        .target(
            name: "TokenScriptPostgres",
            dependencies: [
                "TokenScriptEngine", "TokenScriptCluster", "TokenScriptAttestation", "TokenScriptRuntime",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"]
        ),
        // The service node (issue 11): the store and a Hummingbird HTTP server as services under
        // swift-service-lifecycle, with swift-log to standard error and Prometheus metrics on /metrics.
        .target(
            name: "TokenScriptNode",
            dependencies: [
                "TokenScriptHTTPServer", "TokenScriptSQLite", "TokenScriptPostgres", "TokenScriptEngine",
                "TokenScriptCluster",
                "TokenScriptExecutor", "TokenScriptModel", "TokenScriptFileSystem",
                "TokenScriptEffects", "TokenScriptAttestation", "TokenScriptRuntime", "TokenScriptJSON",
                "TokenScriptArithmetic", "TokenScriptAnchorClient", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["README.md"],
            // The API's OpenAPI document, committed and served at /openapi.json from the binary itself.
            resources: [.embedInCode("openapi.json")]
        ),
        // HTTP pieces both servers share (JSON errors, route metrics, readiness, the JSON answers), so the
        // service node and the anchoring node answer alike.
        .target(
            name: "TokenScriptHTTPServer",
            dependencies: [
                "TokenScriptJSON", "TokenScriptFileSystem",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The anchoring node (issue 11): the authoritative SQLite log, election and placement served over HTTP
        // to nodes that sign their requests, failure routing with the anchor's own key, state-hash evidence.
        .target(
            name: "TokenScriptAnchor",
            dependencies: [
                "TokenScriptArithmetic", "TokenScriptSQLite", "TokenScriptPostgres", "TokenScriptCluster",
                "TokenScriptAttestation", "TokenScriptEngine",
                "TokenScriptEffects", "TokenScriptEgress", "TokenScriptAnchorClient", "TokenScriptHTTPServer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["README.md"]
        ),
        // The node's side of the anchor: the cluster protocols over HTTP (`RemoteAttestationLog`, `RemoteElection`,
        // `RemotePlacement`, `RemoteAnchoringNode`), every request signed with the node's key; and the wire shapes.
        .target(
            name: "TokenScriptAnchorClient",
            dependencies: [
                "TokenScriptCluster", "TokenScriptAttestation", "TokenScriptEngine", "TokenScriptEffects",
                "TokenScriptJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            exclude: ["README.md"]
        ),
        // The local network in one command (issue 11): `tokenscript devnet` starts its anchoring and service nodes
        // as child processes of the same executable, waits for their READY lines, writes the manifest and stops
        // every child by PID on SIGTERM.
        .target(name: "TokenScriptDevnet", dependencies: ["TokenScriptChildProcess"], exclude: ["README.md"]),
        // Starting other programs without Foundation's Process: posix_spawn, no inherited descriptors, waitpid.
        .target(name: "TokenScriptChildProcess", exclude: ["README.md"]),
        // The demo's outside world (issue 11): a hotel booking API that books once per idempotency key and can be
        // told to time out, and an airline that signs flight-status attestations and posts them to a node.
        .target(
            name: "TokenScriptDemo",
            dependencies: [
                "TokenScriptAttestation", "TokenScriptHTTPClient", "TokenScriptJSON", "TokenScriptCluster",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["README.md"]
        ),
        // A process that appends to a SQLite store until it is killed, for the kill -9 recovery test.
        .executableTarget(
            name: "tokenscript-sqlite-testwriter",
            dependencies: [
                "TokenScriptSQLite", "TokenScriptCluster", "TokenScriptAttestation", "TokenScriptEngine",
                "TokenScriptJournalStoreConformance", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The journal-store contract as checks that throw, so any store (memory, file, the network's) runs one suite.
        .target(
            name: "TokenScriptJournalStoreConformance",
            dependencies: ["TokenScriptEngine", "TokenScriptAttestation", "TokenScriptRuntime"]
        ),
        // Effects (issue 5): web API calls with retries, idempotency keys, fencing and the anchor fallback;
        // HTTPEffectTransport is its only networking, under an EgressPolicy.
        .target(
            name: "TokenScriptEffects",
            dependencies: [
                "TokenScriptArithmetic", "TokenScriptModel", "TokenScriptHTTPClient", "TokenScriptEgress",
                "TokenScriptEngine", "TokenScriptJSON",
                "TokenScriptAttestation", "TokenScriptCluster", "TokenScriptRuntime",
            ],
            exclude: ["README.md"]
        ),
        .target(
            name: "TokenScriptExecutor",
            dependencies: [
                "TokenScriptEngine", "TokenScriptCluster", "TokenScriptEffects", "TokenScriptAttestation",
                "TokenScriptModel",
                "TokenScriptRuntime",
            ]
        ),
        // Scenarios, the scenario runner, dry runs, the scripted transport, pretty JSON and line diffs (issue 9):
        // tooling that drives the live effect path (EffectCoordinator, EffectExecutor) with scripted answers.
        .target(
            name: "TokenScriptSimulation",
            dependencies: [
                "TokenScriptArithmetic", "TokenScriptAttestation", "TokenScriptEffects", "TokenScriptEgress",
                "TokenScriptEngine", "TokenScriptEthereum", "TokenScriptExecutor", "TokenScriptJSON",
                "TokenScriptModel",
                "TokenScriptRuntime", "TokenScriptCluster",
            ],
            exclude: ["README.md"]
        ),
        // The readers of untrusted input as fuzz targets (issue 8): driven by libFuzzer from the separate package
        // Tests/Fuzz (scripts/fuzz), and replayed over Fixtures/fuzz by TokenScriptFuzzTargetsTests.
        .target(
            name: "TokenScriptFuzzTargets",
            dependencies: [
                "TokenScriptModel", "TokenScriptDocument", "TokenScriptEthereum", "TokenScriptEvaluation",
                "TokenScriptAttestation", "TokenScriptEngine", "TokenScriptRuntime", "TokenScriptJSON",
            ]
        ),
        // The testing product: paths to Fixtures/, TokenScripts/ and ../shared with the skip-or-fail rule for
        // ../shared, loopback HTTP servers, fixed test keys, an in-memory chain.
        .target(
            name: "TokenScriptTesting",
            dependencies: [
                "TokenScriptArithmetic", "TokenScriptAttestation", "TokenScriptEthereum", "TokenScriptEvaluation",
                "TokenScriptEngine", "TokenScriptCluster", "TokenScriptSimulation", "TokenScriptChildProcess",
            ],
            exclude: ["README.md"]
        ),
        .testTarget(name: "TokenScriptJSONTests", dependencies: ["TokenScriptJSON"]),
        .testTarget(name: "TokenScriptChildProcessTests", dependencies: ["TokenScriptChildProcess"]),
        .testTarget(name: "TokenScriptModelTests", dependencies: ["TokenScriptModel", "TokenScriptTesting"]),
        .testTarget(name: "TokenScriptArithmeticTests", dependencies: ["TokenScriptArithmetic"]),
        .testTarget(
            name: "TokenScriptXMLTests",
            dependencies: ["TokenScriptXML", "TokenScriptFileSystem", "TokenScriptTesting"]),
        .testTarget(
            name: "TokenScriptEthereumTests",
            dependencies: ["TokenScriptArithmetic", "TokenScriptEthereum", "TokenScriptTesting"]
        ),
        .testTarget(
            name: "TokenScriptAttestationTests",
            dependencies: [
                "TokenScriptArithmetic", "TokenScriptAttestation", "TokenScriptModel", "TokenScriptEthereum",
                "TokenScriptTesting", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "TokenScriptEvaluationTests",
            dependencies: [
                "TokenScriptArithmetic", "TokenScriptEvaluation", "TokenScriptJSONRPC", "TokenScriptDocument",
                "TokenScriptModel", "TokenScriptEthereum", "TokenScriptTesting",
            ]
        ),
        .testTarget(
            name: "TokenScriptJSONRPCTests",
            dependencies: [
                "TokenScriptArithmetic", "TokenScriptJSONRPC", "TokenScriptEvaluation", "TokenScriptEthereum",
                "TokenScriptTesting",
            ]
        ),
        .testTarget(
            name: "TokenScriptDocumentTests",
            dependencies: ["TokenScriptDocument", "TokenScriptModel", "TokenScriptXML", "TokenScriptTesting"]
        ),
        .testTarget(
            name: "TokenScriptCommandsTests",
            dependencies: [
                "TokenScriptCommands", "TokenScriptDocument", "TokenScriptModel", "TokenScriptTesting",
                "TokenScriptEgress", "TokenScriptEngine", "TokenScriptAttestation", "TokenScriptSandbox",
                "TokenScriptRuntime", "TokenScriptEffects", "TokenScriptChildProcess", "tokenscript",
                "tokenscript-lua-worker",
            ]
        ),
        .testTarget(
            name: "TokenScriptSandboxTests",
            dependencies: [
                "TokenScriptSandbox", "TokenScriptRuntime", "tokenscript-lua-worker", "tokenscript-sandbox-probe",
                "tokenscript-sandbox-testhost", "TokenScriptJSON",
            ]
        ),
        .testTarget(
            name: "TokenScriptEngineTests",
            dependencies: [
                "TokenScriptEngine", "TokenScriptDocument", "TokenScriptModel", "TokenScriptAttestation",
                "TokenScriptSandbox", "TokenScriptRuntime", "TokenScriptJournalFile",
                "TokenScriptJournalStoreConformance", "TokenScriptTesting", "tokenscript-lua-worker",
                "TokenScriptArithmetic", "TokenScriptJSON",
            ]
        ),
        .testTarget(
            name: "TokenScriptEffectsTests",
            dependencies: [
                "TokenScriptEffects", "TokenScriptCluster", "TokenScriptEgress", "TokenScriptHTTPClient",
                "TokenScriptModel", "TokenScriptTesting", "TokenScriptEngine", "TokenScriptAttestation",
                "TokenScriptSimulation",
            ]
        ),
        .testTarget(
            name: "TokenScriptFuzzTargetsTests", dependencies: ["TokenScriptFuzzTargets", "TokenScriptTesting"]),
        .testTarget(name: "TokenScriptEgressTests", dependencies: ["TokenScriptEgress"]),
        .testTarget(
            name: "TokenScriptClusterTests",
            dependencies: [
                "TokenScriptCluster", "TokenScriptClusterConformance", "TokenScriptEngine", "TokenScriptModel",
                "TokenScriptRuntime",
            ]
        ),
        .testTarget(
            name: "TokenScriptPostgresTests",
            dependencies: [
                "TokenScriptPostgres", "TokenScriptCluster", "TokenScriptClusterConformance", "TokenScriptEngine",
                "TokenScriptJournalStoreConformance", "TokenScriptTesting",
            ]
        ),
        .testTarget(
            name: "TokenScriptSQLiteTests",
            dependencies: [
                "TokenScriptSQLite", "TokenScriptCluster", "TokenScriptClusterConformance", "TokenScriptEngine",
                "TokenScriptJournalStoreConformance", "TokenScriptAttestation", "tokenscript-sqlite-testwriter",
                "TokenScriptChildProcess", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "TokenScriptNodeTests",
            dependencies: [
                "TokenScriptNode", "TokenScriptHTTPServer", "TokenScriptSQLite", "TokenScriptTesting", "tokenscript",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                "TokenScriptEngine", "TokenScriptCommands", "TokenScriptEffects", "TokenScriptSandbox",
                "TokenScriptAttestation", "TokenScriptJSON", "TokenScriptCluster", "tokenscript-lua-worker",
                "TokenScriptAnchorClient", "TokenScriptAnchor", "TokenScriptRuntime",
            ]
        ),
        .testTarget(
            name: "TokenScriptAnchorTests",
            dependencies: [
                "TokenScriptAnchor", "TokenScriptAnchorClient", "TokenScriptCluster",
                "TokenScriptClusterConformance", "TokenScriptAttestation", "TokenScriptEngine", "TokenScriptEffects",
                "TokenScriptEgress", "TokenScriptTesting", "TokenScriptModel", "tokenscript",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "TokenScriptDevnetTests",
            dependencies: [
                "TokenScriptDevnet", "TokenScriptDemo", "TokenScriptAttestation", "TokenScriptDocument",
                "TokenScriptEngine", "TokenScriptHTTPClient", "TokenScriptTesting", "tokenscript",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "TokenScriptSimulationTests",
            dependencies: [
                "TokenScriptSimulation", "TokenScriptEngine", "TokenScriptEffects", "TokenScriptExecutor",
                "TokenScriptEgress", "TokenScriptAttestation", "TokenScriptDocument", "TokenScriptModel",
                "TokenScriptSandbox", "TokenScriptRuntime", "TokenScriptCluster", "TokenScriptTesting",
                "tokenscript-lua-worker",
            ]
        ),
        .testTarget(
            name: "TokenScriptExecutorTests",
            dependencies: [
                "TokenScriptExecutor", "TokenScriptEngine", "TokenScriptCluster", "TokenScriptEffects",
                "TokenScriptEgress", "TokenScriptAttestation", "TokenScriptDocument", "TokenScriptModel",
                "TokenScriptSandbox", "TokenScriptRuntime", "TokenScriptTesting", "tokenscript-lua-worker",
            ]),
    ]
)
