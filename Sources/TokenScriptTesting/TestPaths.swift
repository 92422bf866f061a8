import Foundation
import Testing

/// Where tests find their inputs, and whether tests that need `../shared` may run.
///
/// `../shared` (the public corpus, the XSDs, the hostile Lua catalogue) sits beside the checkout and is
/// never copied into it. Without it those tests are skipped with a message — except under `CI=true`,
/// where they run and fail, because a CI run that silently skipped them would prove nothing.
public enum TestPaths {
    /// The package root, found from this file's path.
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // TestPaths.swift, TokenScriptTesting, Sources
        return url.path
    }()

    public static var fixtures: String { packageRoot + "/Fixtures" }
    public static var tokenScripts: String { packageRoot + "/TokenScripts" }
    public static var shared: String { URL(fileURLWithPath: packageRoot + "/../shared").standardized.path }
    public static var corpus: String { shared + "/corpus/tokenscript" }
    public static var xsd: String { shared + "/corpus/xsd" }

    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    public static var sharedIsPresent: Bool {
        FileManager.default.fileExists(atPath: corpus + "/INDEX.tsv")
    }

    /// Whether tests needing `../shared` run: when it is there, and always under CI.
    public static var runsSharedTests: Bool { sharedIsPresent || isCI }

    /// A built executable of this package, from the directory the test runner lives in.
    public static func executable(_ name: String) -> String {
        let runner =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: runner).deletingLastPathComponent()
        // On Linux the runner is .build/<config>/<Package>PackageTests.xctest; executables sit beside it.
        if directory.lastPathComponent.hasSuffix(".xctest") { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent(name).path
    }

    /// Files of the corpus, sorted.
    public static func corpusFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []
        return names.filter { $0.hasSuffix(".xml") || $0.hasSuffix(".tsml") }.sorted().map { corpus + "/" + $0 }
    }
}

extension Trait where Self == ConditionTrait {
    /// `@Test(.needsShared)`: skipped with a message when `../shared` is absent, run (and failing) under CI.
    public static var needsShared: Self {
        .enabled(if: TestPaths.runsSharedTests, "../shared is absent: skipped (under CI=true this test runs and fails)")
    }
}
