/// The dated namespace a TokenScript document declares, such as `http://tokenscript.org/2024/01/tokenscript`.
///
/// Versions are compared by date because every runtime decides what it can read that way:
/// elements were renamed at 2020/03 and 2020/06, and 2022/09 and 2024/01 added elements.
public struct SchemaVersion: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    public init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    public static let v2019_05 = SchemaVersion(year: 2019, month: 5)
    public static let v2019_07 = SchemaVersion(year: 2019, month: 7)
    public static let v2019_10 = SchemaVersion(year: 2019, month: 10)
    public static let v2020_03 = SchemaVersion(year: 2020, month: 3)
    public static let v2020_06 = SchemaVersion(year: 2020, month: 6)
    public static let v2022_09 = SchemaVersion(year: 2022, month: 9)
    public static let v2024_01 = SchemaVersion(year: 2024, month: 1)

    /// Every public namespace version, oldest first.
    public static let published: [SchemaVersion] = [
        .v2019_05, .v2019_07, .v2019_10, .v2020_03, .v2020_06, .v2022_09, .v2024_01,
    ]

    /// Parses `http://tokenscript.org/YYYY/MM/tokenscript` (also `https`, with or without `www.`).
    public init?(namespace: String) {
        var rest = Substring(namespace)
        for scheme in ["http://", "https://"] where rest.hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
        }
        if rest.hasPrefix("www.") { rest = rest.dropFirst(4) }
        guard rest.hasPrefix("tokenscript.org/") else { return nil }
        let parts = rest.dropFirst("tokenscript.org/".count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2] == "tokenscript", parts[0].count == 4, parts[1].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month)
        else { return nil }
        self.init(year: year, month: month)
    }

    /// The canonical namespace URI of this version.
    public var namespace: String { "http://tokenscript.org/\(description)/tokenscript" }

    /// `YYYY/MM`, the form the TokenScript documentation uses.
    public var description: String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        return "\(year)/\(m)"
    }

    /// Whether a public schema with this date exists; unknown dates are parsed leniently with a warning.
    public var isPublished: Bool { Self.published.contains(self) }

    public static func < (lhs: SchemaVersion, rhs: SchemaVersion) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}
