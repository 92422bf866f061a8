import Foundation

/// Compares output with a file under `Fixtures/golden/`; `TOKENSCRIPT_UPDATE_GOLDEN=1` re-records it.
public enum Golden {
    /// Returns nil when `actual` matches, else a readable first difference.
    public static func check(_ actual: String, against name: String) -> String? {
        let path = TestPaths.fixtures + "/golden/" + name
        if ProcessInfo.processInfo.environment["TOKENSCRIPT_UPDATE_GOLDEN"] == "1" {
            try? FileManager.default.createDirectory(
                atPath: TestPaths.fixtures + "/golden", withIntermediateDirectories: true)
            try? (actual + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return nil
        }
        guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            return "missing golden file \(path); record it with TOKENSCRIPT_UPDATE_GOLDEN=1 swift test"
        }
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, pair) in zip(expectedLines, actualLines).enumerated() where pair.0 != pair.1 {
            return "\(name):\(index + 1): expected\n  \(pair.0)\ngot\n  \(pair.1)"
        }
        if expectedLines.count != actualLines.count {
            return "\(name): expected \(expectedLines.count) lines, got \(actualLines.count)"
        }
        return nil
    }
}
