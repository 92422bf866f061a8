import Foundation
import Testing

@testable import TokenScriptRuntime
@testable import TokenScriptSandbox

/// Shared fixtures for the sandbox tests.
enum SandboxTestSupport {
    /// One pool for the tests that only need "some worker"; tests that count workers make their own.
    static let pool: SandboxPool = {
        do { return try SandboxPool(configuration: .init(size: 2)) } catch {
            fatalError("cannot start sandbox pool: \(error)")
        }
    }()

    /// The package root (this file is Tests/TokenScriptSandboxTests/SandboxTestSupport.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `/work/shared` as `../shared` beside the package root.
    static let sharedDirectory = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static var sharedIsPresent: Bool {
        FileManager.default.fileExists(atPath: sharedDirectory.appendingPathComponent("hostile/lua/cases.tsv").path)
    }

    /// Skips (with a message) when ../shared is absent, except under CI=true, where the test runs
    /// and fails on the missing files.
    static let needsShared = Testing.ConditionTrait.enabled(
        if: sharedIsPresent || isCI, "needs ../shared/hostile/lua beside the package (absent here)")

    static func run(
        _ source: String, input: SandboxValue = .null, limits: SandboxLimits = .init(),
        mode: SandboxMode = .nondeterministic, hostFunctions: [HostFunction] = [.log, .input],
        on pool: SandboxPool = pool
    ) -> SandboxResult {
        pool.runBlocking(
            SandboxExecution(source: source, input: input, limits: limits, mode: mode, hostFunctions: hostFunctions))
    }
}
