/// The shape of an enveloped XML-DSig signature (`ds:Signature`); verification is a later layer's job.
public struct SignatureInfo: Sendable, Hashable, Codable {
    public var canonicalizationMethod: String?
    public var signatureMethod: String?
    public var digestMethods: [String]
    public var transforms: [String]
    public var referenceCount: Int
    /// The key material present in `ds:KeyInfo`: `X509Data`, `KeyValue`, `KeyName` …
    public var keyInfo: [String]
    public var certificateCount: Int
    public var hasSignatureValue: Bool
    public var location: SourceLocation?

    public init(
        canonicalizationMethod: String? = nil, signatureMethod: String? = nil, digestMethods: [String] = [],
        transforms: [String] = [], referenceCount: Int = 0, keyInfo: [String] = [], certificateCount: Int = 0,
        hasSignatureValue: Bool = false, location: SourceLocation? = nil
    ) {
        self.canonicalizationMethod = canonicalizationMethod
        self.signatureMethod = signatureMethod
        self.digestMethods = digestMethods
        self.transforms = transforms
        self.referenceCount = referenceCount
        self.keyInfo = keyInfo
        self.certificateCount = certificateCount
        self.hasSignatureValue = hasSignatureValue
        self.location = location
    }

    /// Whether it has what an enveloped signature needs: a method, a reference with a digest, and a value.
    public var isWellFormed: Bool {
        signatureMethod != nil && canonicalizationMethod != nil && referenceCount > 0 && !digestMethods.isEmpty
            && hasSignatureValue
    }
}
