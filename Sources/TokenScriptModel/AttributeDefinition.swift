/// A named value of a token (`ts:attribute`, or `ts:attribute-type` before 2020/03).
///
/// Defined at token scope (direct children of `ts:token`) or card scope (local to one card);
/// the two scopes may reuse a name, and `ref=` looks in the card first.
public struct AttributeDefinition: Sendable, Hashable, Codable {
    public var name: String
    public var label: LocalizedText
    /// The LDAP syntax; optional since 2024/01.
    public var syntax: ValueSyntax?
    /// `oid=` of the attribute itself (rare).
    public var oid: String?
    /// `distinct="true"`: the attribute tells tokens apart (token scope only).
    public var distinct: Bool
    /// All origins in order; evaluation uses the first.
    public var origins: [AttributeOrigin]
    public var location: SourceLocation?

    public init(
        name: String, label: LocalizedText = .init([]), syntax: ValueSyntax? = nil, oid: String? = nil,
        distinct: Bool = false, origins: [AttributeOrigin] = [], location: SourceLocation? = nil
    ) {
        self.name = name
        self.label = label
        self.syntax = syntax
        self.oid = oid
        self.distinct = distinct
        self.origins = origins
        self.location = location
    }

    /// The origin every runtime evaluates.
    public var origin: AttributeOrigin? { origins.first }

    /// Names this attribute reads (special refs included), deduplicated in order of appearance.
    public var referencedNames: [String] {
        var seen: [String] = []
        for name in origins.first?.referencedNames ?? [] where !seen.contains(name) {
            seen.append(name)
        }
        return seen
    }
}

/// The refs every runtime provides without an attribute declaring them.
public enum SpecialReference {
    public static let names: Set<String> = ["tokenId", "ownerAddress", "walletAddress", "contractAddress"]

    /// Whether a name is provided by the runtime: the fixed names and `contractAddress_<Name>[_<chainId>]`.
    public static func isSpecial(_ name: String) -> Bool {
        names.contains(name) || name.hasPrefix("contractAddress_")
    }
}
