import Foundation
import TokenScriptEngine
import TokenScriptSQLite

/// A directory for a test's database files, removed when the value goes away.
final class DatabaseDirectory: Sendable {
    let path: String

    init() throws {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("tokenscript-sqlite-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A path for a new database file in this directory.
    func newDatabase() -> String { path + "/\(UUID().uuidString).sqlite" }
}

/// The clock every test store reads: the conformance suites' start time.
let testEpochSeconds: UInt64 = 1_700_000_000

/// The child writer built beside the test runner (`.build/debug/`), or nil.
func testWriterPath() -> String? {
    guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
    var directory = URL(fileURLWithPath: exe).deletingLastPathComponent()
    for _ in 0..<3 {
        let candidate = directory.appendingPathComponent("tokenscript-sqlite-testwriter").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    return nil
}
