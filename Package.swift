// swift-tools-version: 6.0
import PackageDescription

// Layers, from the centre out (see Sources/*/README-free doc comments and README.md):
//   TokenScriptModel      pure Swift value model, filter grammar, diagnostics
//   TokenScriptXML        the only module that touches libxml2 (safe reading, XSD)
//   TokenScriptDocument   XML tree -> model, versions, includes, lenient/strict
//   TokenScriptCommands   CLI commands (`package` access), called in-process by tests
//   tokenscript           a few-line executable
let package = Package(
    name: "swift-tokenscript",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tokenscript", targets: ["tokenscript"]),
        // The modules another package would embed. TokenScriptCommands (the CLI's internals) is not one: its API
        // is `package`, for the `tokenscript` executable and the tests.
        .library(name: "TokenScriptModel", targets: ["TokenScriptModel"]),
        .library(name: "TokenScriptDocument", targets: ["TokenScriptDocument"]),
        .library(name: "TokenScriptEthereum", targets: ["TokenScriptEthereum"]),
        .library(name: "TokenScriptEvaluation", targets: ["TokenScriptEvaluation"]),
        .library(name: "TokenScriptJSONRPC", targets: ["TokenScriptJSONRPC"]),
        .library(name: "TokenScriptSandbox", targets: ["TokenScriptSandbox"]),
        .library(name: "TokenScriptAttestation", targets: ["TokenScriptAttestation"]),
        .library(name: "TokenScriptEngine", targets: ["TokenScriptEngine"]),
        .library(name: "TokenScriptEffects", targets: ["TokenScriptEffects"]),
        .library(name: "TokenScriptJSON", targets: ["TokenScriptJSON"]),
        // Test doubles and fixtures for packages that test code built on these modules (and for our own tests).
        .library(name: "TokenScriptTesting", targets: ["TokenScriptTesting"]),
        // Not for embedding: a product only because SwiftPM lets another package (the libFuzzer harness in
        // Tests/Fuzz, kept separate so that `swift build` never builds it) depend on products alone.
        .library(name: "TokenScriptFuzzTargets", targets: ["TokenScriptFuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CTokenScriptXML",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // The one strict JSON reader and canonical writer (issue 8): pure Swift, no Foundation, no dependencies.
        .target(name: "TokenScriptJSON"),
        // Checked conversions and saturating arithmetic for every value that comes from outside (issue 8).
        .target(name: "TokenScriptArithmetic"),
        .target(name: "TokenScriptModel", dependencies: ["TokenScriptArithmetic"]),
        // Opening files named by untrusted input: regular files only, never blocking, size-capped (Glibc only).
        .target(name: "TokenScriptFileSystem"),
        .target(
            name: "TokenScriptXML",
            dependencies: ["CTokenScriptXML", "TokenScriptFileSystem"]
        ),
        .target(
            name: "TokenScriptDocument",
            dependencies: ["TokenScriptModel", "TokenScriptXML", "TokenScriptJSON", "TokenScriptFileSystem"],
            // The server extension's XSD (embedded in TokenScriptXML) and its reference documentation.
            exclude: ["Schemas/tokenscript-server-1.xsd", "ServerExtension.md"]
        ),
        .target(
            name: "TokenScriptCommands",
            dependencies: [
                "TokenScriptArithmetic", "TokenScriptModel", "TokenScriptXML", "TokenScriptDocument", "TokenScriptSandbox",
                "TokenScriptEthereum", "TokenScriptEvaluation", "TokenScriptJSONRPC", "TokenScriptEngine",
                "TokenScriptFileSystem", "TokenScriptEgress",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "tokenscript",
            dependencies: ["TokenScriptCommands"]
        ),
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
        .target(name: "TokenScriptSandbox", dependencies: ["TokenScriptJSON", "TokenScriptArithmetic"]),
        .executableTarget(name: "tokenscript-sandbox-testhost", dependencies: ["TokenScriptSandbox"]),
        // Keccak-256, 256-bit integers, EIP-55 and the Solidity ABI codec (issue 4): pure Swift, no networking.
        .target(name: "TokenScriptEthereum", dependencies: ["TokenScriptJSON"]),
        // Attribute evaluation (issue 4): pure Swift; reads chains through the ChainClient protocol.
        .target(
            name: "TokenScriptEvaluation", dependencies: ["TokenScriptArithmetic", "TokenScriptModel", "TokenScriptEthereum"],
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
        .target(name: "TokenScriptJSONRPC", dependencies: ["TokenScriptEvaluation", "TokenScriptEthereum", "TokenScriptHTTPClient", "TokenScriptJSON"]),
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
                "TokenScriptArithmetic", "TokenScriptEthereum", "TokenScriptSecp256k1", "TokenScriptJSON",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
        ),
        // The engine (issue 5): attestations drive token instances through deterministic Lua transitions,
        // journaled and replayable.
        .target(
            name: "TokenScriptEngine",
            dependencies: [
                "TokenScriptArithmetic", "TokenScriptModel", "TokenScriptAttestation", "TokenScriptSandbox", "TokenScriptJSON", "TokenScriptEgress",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
        ),
        // Effects (issue 5): web API calls with retries, idempotency keys, fencing and the anchor fallback;
        // HTTPEffectTransport is its only networking, under an EgressPolicy.
        .target(
            name: "TokenScriptEffects", dependencies: ["TokenScriptArithmetic", "TokenScriptModel", "TokenScriptHTTPClient", "TokenScriptEgress"],
            exclude: ["README.md"]
        ),
        .target(name: "TokenScriptExecutor", dependencies: ["TokenScriptArithmetic", "TokenScriptEngine", "TokenScriptEffects", "TokenScriptAttestation", "TokenScriptModel", "TokenScriptSandbox"]),
        // The readers of untrusted input as fuzz targets (issue 8): driven by libFuzzer from the separate package
        // Tests/Fuzz (scripts/fuzz), and replayed over Fixtures/fuzz by TokenScriptFuzzTargetsTests.
        .target(
            name: "TokenScriptFuzzTargets",
            dependencies: [
                "TokenScriptModel", "TokenScriptDocument", "TokenScriptEthereum", "TokenScriptEvaluation",
                "TokenScriptAttestation", "TokenScriptEngine", "TokenScriptSandbox", "TokenScriptJSON",
            ]
        ),
        // The testing product: paths to Fixtures/, TokenScripts/ and ../shared with the skip-or-fail rule for
        // ../shared, loopback HTTP servers, fixed test keys, an in-memory chain.
        .target(
            name: "TokenScriptTesting",
            dependencies: [
                "TokenScriptAttestation", "TokenScriptEthereum", "TokenScriptEvaluation", "TokenScriptEngine",
            ],
            exclude: ["README.md"]
        ),
        .testTarget(name: "TokenScriptJSONTests", dependencies: ["TokenScriptJSON"]),
        .testTarget(name: "TokenScriptModelTests", dependencies: ["TokenScriptModel", "TokenScriptTesting"]),
        .testTarget(name: "TokenScriptArithmeticTests", dependencies: ["TokenScriptArithmetic"]),
        .testTarget(name: "TokenScriptXMLTests", dependencies: ["TokenScriptXML", "TokenScriptFileSystem", "TokenScriptTesting"]),
        .testTarget(name: "TokenScriptEthereumTests", dependencies: ["TokenScriptEthereum", "TokenScriptTesting"]),
        .testTarget(
            name: "TokenScriptAttestationTests",
            dependencies: [
                "TokenScriptAttestation", "TokenScriptSecp256k1", "TokenScriptEthereum", "TokenScriptTesting",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "TokenScriptEvaluationTests",
            dependencies: [
                "TokenScriptEvaluation", "TokenScriptJSONRPC", "TokenScriptDocument", "TokenScriptModel",
                "TokenScriptEthereum", "TokenScriptTesting",
            ]
        ),
        .testTarget(
            name: "TokenScriptJSONRPCTests",
            dependencies: ["TokenScriptJSONRPC", "TokenScriptEvaluation", "TokenScriptEthereum", "TokenScriptTesting"]
        ),
        .testTarget(
            name: "TokenScriptDocumentTests",
            dependencies: ["TokenScriptDocument", "TokenScriptModel", "TokenScriptXML", "TokenScriptTesting"]
        ),
        .testTarget(
            name: "TokenScriptCommandsTests",
            dependencies: [
                "TokenScriptCommands", "TokenScriptDocument", "TokenScriptModel", "TokenScriptTesting", "TokenScriptEgress",
                "TokenScriptEngine", "TokenScriptAttestation", "TokenScriptSandbox", "tokenscript", "tokenscript-lua-worker",
            ]
        ),
        .testTarget(
            name: "TokenScriptSandboxTests",
            dependencies: [
                "TokenScriptSandbox", "tokenscript-lua-worker", "tokenscript-sandbox-probe",
                "tokenscript-sandbox-testhost",
            ]
        ),
        .testTarget(
            name: "TokenScriptEngineTests",
            dependencies: [
                "TokenScriptEngine", "TokenScriptEgress", "TokenScriptDocument", "TokenScriptModel", "TokenScriptAttestation",
                "TokenScriptSandbox", "TokenScriptTesting", "tokenscript-lua-worker",
            ]
        ),
        .testTarget(
            name: "TokenScriptEffectsTests",
            dependencies: ["TokenScriptEffects", "TokenScriptEgress", "TokenScriptHTTPClient", "TokenScriptModel", "TokenScriptTesting"]
        ),
        .testTarget(name: "TokenScriptFuzzTargetsTests", dependencies: ["TokenScriptFuzzTargets", "TokenScriptTesting"]),
        .testTarget(name: "TokenScriptEgressTests", dependencies: ["TokenScriptEgress"]),
        .testTarget(name: "TokenScriptExecutorTests", dependencies: ["TokenScriptExecutor", "TokenScriptEngine", "TokenScriptEffects", "TokenScriptEgress", "TokenScriptAttestation", "TokenScriptDocument", "TokenScriptModel", "TokenScriptSandbox", "TokenScriptTesting", "tokenscript-lua-worker"]),
    ]
)
