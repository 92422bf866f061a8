/// Why the devnet could not start or stopped running, naming the child and quoting the end of its standard
/// error, so the user sees the child's own words.
public struct DevnetError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }

    /// `child` failed: `what`, then its stderr tail (indented) when it wrote any.
    static func child(_ name: String, _ what: String, standardErrorTail: String, logFile: String) -> DevnetError {
        var text = "\(name): \(what)"
        let tail = standardErrorTail.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "  | \($0)" }.joined(separator: "\n")
        if standardErrorTail.isEmpty {
            text += " (nothing on its standard error, \(logFile))"
        } else {
            text += "; the end of its standard error (\(logFile)):\n" + tail
        }
        return DevnetError(text)
    }
}
