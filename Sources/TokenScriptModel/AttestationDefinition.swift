/// Which off-chain attestations a TokenScript accepts as tokens (`ts:attestation`, 2022/09+, usually EAS).
public struct AttestationDefinition: Sendable, Hashable, Codable {
    /// A field shown for the attestation (`ts:attributeField`).
    public struct Field: Sendable, Hashable, Codable {
        public var name: String
        public var label: LocalizedText
        public var displayType: String?

        public init(name: String, label: LocalizedText = .init([]), displayType: String? = nil) {
            self.name = name
            self.label = label
            self.displayType = displayType
        }
    }

    public var name: String
    /// `type=`, `eas` in every public file.
    public var type: String?
    public var displayName: LocalizedText
    public var image: String?
    public var description: LocalizedText
    public var fields: [Field]
    /// Issuer public keys (`ts:key`, hex secp256k1).
    public var keys: [String]
    /// Fields whose values identify the collection (`ts:collectionFields`, or the old `ts:eventId`).
    public var collectionFields: [String]
    /// Fields whose values form the token id (`ts:idFields`, comma separated).
    public var idFields: [String]
    /// `ts:eas schemaUID=`.
    public var easSchemaUID: String?
    public var location: SourceLocation?

    public init(
        name: String, type: String? = nil, displayName: LocalizedText = .init([]), image: String? = nil,
        description: LocalizedText = .init([]), fields: [Field] = [], keys: [String] = [],
        collectionFields: [String] = [],
        idFields: [String] = [], easSchemaUID: String? = nil, location: SourceLocation? = nil
    ) {
        self.name = name
        self.type = type
        self.displayName = displayName
        self.image = image
        self.description = description
        self.fields = fields
        self.keys = keys
        self.collectionFields = collectionFields
        self.idFields = idFields
        self.easSchemaUID = easSchemaUID
        self.location = location
    }
}
