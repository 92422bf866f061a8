import Foundation
import Testing

/// Debian's `chromium`, headless, for the status pages' tests: the DOM a real browser built from a page, and a
/// screenshot of it kept as a test artifact. Every run is bounded by `timeout` (coreutils): a browser that
/// hangs fails the test instead of stalling the suite.
public enum HeadlessBrowser {
    /// The browser, when installed (`scripts/ensure-system-packages` installs it).
    public static var executable: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Where screenshots go: `$TOKENSCRIPT_TEST_ARTIFACTS`, else `.build/test-artifacts` of the repository.
    public static var artifactDirectory: String {
        ProcessInfo.processInfo.environment["TOKENSCRIPT_TEST_ARTIFACTS"]
            ?? TestPaths.packageRoot + "/.build/test-artifacts"
    }

    /// The DOM after the page loaded, serialised by the browser.
    public static func dom(of url: String, seconds: Int = 60) async throws -> String {
        let outcome = try await run(["--dump-dom", url], seconds: seconds)
        guard outcome.status == 0 else {
            throw HeadlessBrowserError("chromium --dump-dom \(url) exited \(outcome.status): \(outcome.standardError)")
        }
        return outcome.standardOutput
    }

    /// A PNG of the page, `name` in `artifactDirectory`; answers its path.
    @discardableResult
    public static func screenshot(of url: String, name: String, seconds: Int = 60) async throws -> String {
        try FileManager.default.createDirectory(atPath: artifactDirectory, withIntermediateDirectories: true)
        let path = artifactDirectory + "/" + name
        try? FileManager.default.removeItem(atPath: path)
        let outcome = try await run(["--screenshot=\(path)", "--window-size=1280,1000", url], seconds: seconds)
        guard outcome.status == 0, FileManager.default.fileExists(atPath: path) else {
            throw HeadlessBrowserError(
                "chromium --screenshot \(url) exited \(outcome.status): \(outcome.standardError)")
        }
        return path
    }

    private static func run(_ arguments: [String], seconds: Int) async throws -> Subprocess.Outcome {
        guard let executable else { throw HeadlessBrowserError("no chromium: run scripts/ensure-system-packages") }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        // As root a browser needs --no-sandbox; the profile is a throw-away directory, so runs never share state.
        return try await Subprocess.run(
            "/usr/bin/timeout",
            [
                "--kill-after=5", "\(seconds)", executable, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=\(profile.path)",
            ] + arguments)
    }
}

public struct HeadlessBrowserError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension Trait where Self == ConditionTrait {
    /// `@Test(.needsBrowser)`: runs wherever chromium is installed, and always under CI, where a missing browser
    /// is a failure and not a skip.
    public static var needsBrowser: Self {
        .enabled(
            if: TestPaths.isCI || HeadlessBrowser.executable != nil,
            "no chromium: skipped (scripts/ensure-system-packages installs it; under CI=true this test runs and fails)")
    }
}
