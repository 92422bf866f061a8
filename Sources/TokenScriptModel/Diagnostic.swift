/// A problem found while reading a TokenScript, with its place and severity.
///
/// Lenient reading turns unknown constructs into warnings; strict reading turns them into errors.
/// Anything that stops the model from being built is always an error.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case warning
        case error

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
    }

    /// What kind of problem this is, so tools can filter without parsing messages.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The XML is not well-formed or not valid UTF-8.
        case syntax
        /// An entity or include tried to reach the network or leave the document's directory.
        case forbiddenAccess
        /// A resource limit was hit (size, depth, entity expansion).
        case limit
        /// An entity or include names a file that is not there (an unbuilt source).
        case missingResource
        /// An element or attribute the model does not know.
        case unknownConstruct
        /// A known element whose content is wrong (bad bitmask, unknown `as`, bad filter).
        case invalidValue
        /// Reported by an XSD supplied with `--xsd`.
        case schema
        /// A namespace that is not a TokenScript one, or an unpublished version.
        case namespace
        /// A Lua body of the server extension that does not compile, or whose result names something the
        /// extension does not declare (found by `tokenscript validate`, which compiles Lua in a sandbox worker).
        case lua
    }

    public var severity: Severity
    public var kind: Kind
    public var message: String
    public var location: SourceLocation?

    public init(_ severity: Severity, _ kind: Kind, _ message: String, at location: SourceLocation?) {
        self.severity = severity
        self.kind = kind
        self.message = message
        self.location = location
    }

    /// `file:line:column: error: message`, as compilers print it.
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        return "\(place)\(severity.rawValue): \(message)"
    }
}
