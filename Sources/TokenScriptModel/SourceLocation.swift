/// Where something was written: file, 1-based line and column.
///
/// Every diagnostic carries one so that an issuer can jump to the offending element.
/// A column of 0 means the column is unknown; a line of 0 means the whole file.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form compilers print and editors understand.
    public var description: String {
        if line <= 0 { return file }
        return column > 0 ? "\(file):\(line):\(column)" : "\(file):\(line)"
    }
}
