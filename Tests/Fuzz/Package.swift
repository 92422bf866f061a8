// swift-tools-version: 6.0
import PackageDescription

// libFuzzer harness for swift-tokenscript (issue 8), kept out of the root package so that a plain `swift build`
// or `swift test` never builds it. One executable serves every target; TOKENSCRIPT_FUZZ_TARGET picks the reader
// (see FuzzTarget in Sources/TokenScriptFuzzTargets). Build and run through scripts/fuzz, which does:
//   swift build --package-path Tests/Fuzz --scratch-path .build-fuzz --sanitize fuzzer
let package = Package(
    name: "tokenscript-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "swift-tokenscript", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "tokenscript-fuzz",
            dependencies: [.product(name: "TokenScriptFuzzTargets", package: "swift-tokenscript")],
            // libFuzzer supplies main().
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ]
)
