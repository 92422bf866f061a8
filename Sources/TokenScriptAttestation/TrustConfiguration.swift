import TokenScriptModel

/// Which issuers a token believes, about which topics: the gate every attestation passes before it can
/// trigger anything.
///
/// An issuer is a scheme plus a key, so an Ethereum address trusted for `eip712` is not thereby trusted
/// for `eip191` (a wallet's blind `personal_sign` is a weaker consent than reviewed typed data).
public struct TrustConfiguration: Hashable, Sendable {
    /// One issuer and the topics it may speak about.
    public struct Grant: Hashable, Sendable {
        public var issuer: Issuer
        public var topics: [TopicPattern]

        public init(issuer: Issuer, topics: [TopicPattern]) {
            self.issuer = issuer
            self.topics = topics
        }
    }

    public var grants: [Grant]
    /// Seconds an `issuedAt` may lie ahead of `now` before the attestation is "not yet valid": issuers'
    /// clocks drift, but an attestation dated far ahead could sit ready to fire later.
    public var clockSkew: UInt64

    public init(grants: [Grant] = [], clockSkew: UInt64 = 300) {
        self.grants = grants
        self.clockSkew = clockSkew
    }

    public func trusts(_ issuer: Issuer, for topic: String) -> Bool {
        grants.contains { $0.issuer == issuer && $0.topics.contains { $0.matches(topic) } }
    }
}
