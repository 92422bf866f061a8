/// Something libxml2 or the reader's safety rules reported, with its place.
///
/// Kept independent of the TokenScript model so this adapter depends on nothing but libxml2;
/// the document layer turns problems into diagnostics.
public struct XMLProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: Sendable, Hashable {
        case warning
        case error
    }

    public enum Kind: Sendable, Hashable {
        /// Not well-formed, bad encoding, undeclared entity …
        case syntax
        /// Network access or a path outside the document's directory was refused.
        case forbiddenAccess
        /// A size, depth or expansion limit stopped the parse.
        case limit
        /// An allowed external entity whose file does not exist.
        case missingResource
        /// An XSD validity error.
        case schema
    }

    public var severity: Severity
    public var kind: Kind
    public var message: String
    /// The file the problem is in: the document, or an entity file it pulled in.
    public var file: String
    public var line: Int
    public var column: Int

    public var description: String {
        let place = column > 0 ? "\(file):\(line):\(column)" : "\(file):\(line)"
        return "\(place): \(severity == .error ? "error" : "warning"): \(message)"
    }
}

/// The reader could not produce a tree at all.
public struct XMLReadFailure: Error, Sendable, CustomStringConvertible {
    /// Every problem seen, the fatal one last.
    public var problems: [XMLProblem]

    public init(problems: [XMLProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
