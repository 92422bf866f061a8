/// The limits and access rules for reading untrusted XML.
///
/// The defaults fit every real TokenScript (the largest public one is 2.4 MB, nests 40 deep)
/// with room to spare, and stop the classic attacks: entity bombs, deep nesting, huge files,
/// and entities or includes that reach outside the document's directory or onto the network.
public struct XMLReadOptions: Sendable, Hashable {
    /// Files larger than this are refused before a byte is parsed.
    public var maximumDocumentBytes: Int
    /// An external entity file larger than this is refused.
    public var maximumEntityFileBytes: Int
    /// All entity expansions and `ts:include` files of one document together, in bytes (see `SubstitutionBudget`).
    public var maximumSubstitutedBytes: Int
    /// Attributes (namespace declarations included) on one element; checked before libxml2 parses the tag.
    public var maximumAttributesPerElement: Int
    /// Nodes of the tree (elements, attributes, text runs, comments, instructions), entity expansions included.
    /// libxml2's tree costs a few hundred bytes a node; the largest public TokenScript has about 200 elements.
    public var maximumNodes: Int
    /// Namespace declarations (`xmlns`, `xmlns:p`) in the document and its expansions: libxml2 looks each
    /// prefixed name up through all those in scope.
    public var maximumNamespaceDeclarations: Int
    /// `<!ENTITY …>` declarations per document: libxml2's cost grows faster than their number (600,000
    /// take 19 s); TokenScripts declare a handful.
    public var maximumEntityDeclarations: Int
    /// Load `<!ENTITY x SYSTEM "file">` when the file lies in the document's directory (unbuilt sources rely on it).
    public var resolvesLocalEntities: Bool
    /// Namespaces whose elements are kept as serialized markup rather than expanded into the tree.
    public var opaqueNamespaces: Set<String>

    public init(
        maximumDocumentBytes: Int = 16 << 20, maximumEntityFileBytes: Int = 4 << 20, resolvesLocalEntities: Bool = true,
        opaqueNamespaces: Set<String> = [XMLNamespace.xhtml], maximumSubstitutedBytes: Int = 16 << 20,
        maximumAttributesPerElement: Int = 1024, maximumNodes: Int = 200_000, maximumNamespaceDeclarations: Int = 1024,
        maximumEntityDeclarations: Int = 10_000
    ) {
        self.maximumEntityDeclarations = maximumEntityDeclarations
        self.maximumNodes = maximumNodes
        self.maximumNamespaceDeclarations = maximumNamespaceDeclarations
        self.maximumDocumentBytes = maximumDocumentBytes
        self.maximumEntityFileBytes = maximumEntityFileBytes
        self.maximumSubstitutedBytes = maximumSubstitutedBytes
        self.maximumAttributesPerElement = maximumAttributesPerElement
        self.resolvesLocalEntities = resolvesLocalEntities
        self.opaqueNamespaces = opaqueNamespaces
    }

    /// libxml2's own nesting limit without `XML_PARSE_HUGE`, which we never set.
    public static let maximumDepth = 256
}
