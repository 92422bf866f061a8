/// A line diff of two texts (longest common subsequence), printed as hunks with context.
public enum LineDiff {
    /// `-` lines only in `expected`, `+` lines only in `actual`, `context` unchanged lines around each change;
    /// at most `maximumHunks` hunks (then a note of how many more). Empty when the texts are equal.
    public static func render(expected: String, actual: String, context: Int = 3, maximumHunks: Int = 5) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if a == b { return "" }
        // LCS table from the end.
        let n = a.count, m = b.count
        var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        // Operations: (kind, text, line in expected, line in actual).
        var ops: [(Character, String, Int, Int)] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                ops.append((" ", a[i], i, j)); i += 1; j += 1
            } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
                ops.append(("-", a[i], i, j)); i += 1
            } else {
                ops.append(("+", b[j], i, j)); j += 1
            }
        }
        let changed = ops.indices.filter { ops[$0].0 != " " }
        var hunks: [ClosedRange<Int>] = []
        for index in changed {
            let range = max(0, index - context)...min(ops.count - 1, index + context)
            if let last = hunks.last, range.lowerBound <= last.upperBound + 1 {
                hunks[hunks.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                hunks.append(range)
            }
        }
        var lines: [String] = ["--- golden", "+++ actual"]
        for hunk in hunks.prefix(maximumHunks) {
            let first = ops[hunk.lowerBound]
            lines.append("@@ golden line \(first.2 + 1), actual line \(first.3 + 1) @@")
            for index in hunk { lines.append("\(ops[index].0) \(ops[index].1)") }
        }
        if hunks.count > maximumHunks { lines.append("… \(hunks.count - maximumHunks) more differing places") }
        return lines.joined(separator: "\n")
    }
}
