/// A document read successfully: its tree, and the warnings (and schema errors) seen on the way.
public struct XMLReadResult: Sendable {
    public var root: XMLElement
    public var problems: [XMLProblem]
    /// The bytes as read, so diagnostics can point at exact columns.
    public var source: [UInt8]
    /// The directory `ts:include` and entities are resolved against (real path, symlinks resolved).
    public var baseDirectory: String
    /// The XSD the document was checked against, when a schema set was given and had one for its namespace.
    public var schemaFile: String?
    /// What entity expansions used of the document's substitution budget; `ts:include` files are charged on.
    public var substitution: SubstitutionBudget

    public init(
        root: XMLElement, problems: [XMLProblem], source: [UInt8], baseDirectory: String, schemaFile: String?,
        substitution: SubstitutionBudget = SubstitutionBudget(limit: XMLReadOptions().maximumSubstitutedBytes)
    ) {
        self.substitution = substitution
        self.root = root
        self.problems = problems
        self.source = source
        self.baseDirectory = baseDirectory
        self.schemaFile = schemaFile
    }
}
