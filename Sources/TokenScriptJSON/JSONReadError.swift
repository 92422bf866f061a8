/// Why a document was refused, and where: 1-based line and column (the column counts Unicode scalars,
/// tabs as one), the byte offset, and the path of the value being read.
public struct JSONReadError: Error, Hashable, Sendable, CustomStringConvertible {
    public let reason: String
    public let line: Int
    public let column: Int
    public let offset: Int
    public let path: JSONPath

    public init(reason: String, line: Int, column: Int, offset: Int, path: JSONPath) {
        self.reason = reason
        self.line = line
        self.column = column
        self.offset = offset
        self.path = path
    }

    /// `line 3, column 7 (payload.delay): duplicate key "delay"`
    public var description: String { "line \(line), column \(column) (\(path)): \(reason)" }
}
