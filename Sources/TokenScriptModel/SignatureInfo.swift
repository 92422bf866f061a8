/// The shape of an enveloped XML-DSig signature (`ds:Signature`); verification is a later layer's job.
public struct SignatureInfo: Sendable, Hashable, Codable {
    public var canonicalizationMethod: String?
    public var signatureMethod: String?
    public var digestMethods: [String] = []
    public var transforms: [String] = []
    public var referenceCount = 0
    /// The key material present in `ds:KeyInfo`: `X509Data`, `KeyValue`, `KeyName` …
    public var keyInfo: [String] = []
    public var certificateCount = 0
    public var hasSignatureValue = false
    public var location: SourceLocation?

    /// An empty signature at `location`; the reader fills it in as it walks `ds:Signature`.
    public init(location: SourceLocation?) {
        self.location = location
    }

    /// Whether it has what an enveloped signature needs: a method, a reference with a digest, and a value.
    public var isWellFormed: Bool {
        signatureMethod != nil && canonicalizationMethod != nil && referenceCount > 0 && !digestMethods.isEmpty
            && hasSignatureValue
    }
}
