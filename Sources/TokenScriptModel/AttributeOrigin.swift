/// Where an attribute's value comes from (a child of the attribute's `ts:origins`).
///
/// Every runtime uses only the first origin; the model keeps all of them so tools can warn.
public enum AttributeOrigin: Sendable, Hashable {
    /// `ethereum:call`, or the 2019 form `ts:ethereum function=`.
    case call(EthereumCall)
    /// `ethereum:event`: a value selected from a matching log.
    case event(EthereumEvent)
    /// `ethereum:storage`: a contract storage slot (no public runtime implements it).
    case storage(EthereumStorage)
    /// `ts:token-id`: bits of the token id.
    case tokenID(TokenIDOrigin)
    /// `ts:user-entry`: a value the user or the card enters.
    case userEntry(UserEntryOrigin)
    /// A literal `ts:data`, such as `<ts:data><ts:uint8>3</ts:uint8></ts:data>`.
    case literal(DataArgument)
    /// `ts:data ref="attr.path"`: a path into another attribute's structured value (2024/01).
    case path(AttributePath)
    /// `ts:attribute ref=`: the value of another attribute.
    case attributeReference(String)

    /// The kind as the documentation writes it: `ethereum:call`, `ts:token-id` …
    public var kind: String {
        switch self {
        case .call: "ethereum:call"
        case .event: "ethereum:event"
        case .storage: "ethereum:storage"
        case .tokenID: "ts:token-id"
        case .userEntry: "ts:user-entry"
        case .literal: "ts:data"
        case .path: "ts:data ref"
        case .attributeReference: "ts:attribute ref"
        }
    }

    /// The names this origin reads: special refs, attributes, and `${…}` in event filters.
    public var referencedNames: [String] {
        switch self {
        case .call(let call): call.arguments.compactMap(\.referencedName)
        case .event(let event): event.filter.flatMap(\.referencedNames)
        case .storage: []
        case .tokenID: ["tokenId"]
        case .userEntry: []
        case .literal(let argument): argument.referencedName.map { [$0] } ?? []
        case .path(let path): [path.attribute]
        case .attributeReference(let name): [name]
        }
    }

    /// The `ts:mapping` applied to the output, if any.
    public var mapping: Mapping? {
        switch self {
        case .call(let call): call.mapping
        case .tokenID(let origin): origin.mapping
        case .userEntry(let origin): origin.mapping
        default: nil
        }
    }
}

/// A read-only contract call whose result is the value.
public struct EthereumCall: Sendable, Hashable, Codable {
    /// The `ts:contract` name; nil means the token's holding contract.
    public var contract: String?
    public var function: String
    public var conversion: ValueConversion?
    public var bitmask: Bitmask?
    public var arguments: [DataArgument]
    public var mapping: Mapping?

    public init(
        contract: String?, function: String, conversion: ValueConversion?, bitmask: Bitmask? = nil,
        arguments: [DataArgument] = [], mapping: Mapping? = nil
    ) {
        self.contract = contract
        self.function = function
        self.conversion = conversion
        self.bitmask = bitmask
        self.arguments = arguments
        self.mapping = mapping
    }
}

/// A value read from the logs of a contract event.
public struct EthereumEvent: Sendable, Hashable, Codable {
    /// One `name=value` pair of the `filter` query string; the value may interpolate `${attr}`.
    public struct FilterTerm: Sendable, Hashable, Codable {
        public var field: String
        public var value: FilterValue

        public init(field: String, value: FilterValue) {
            self.field = field
            self.value = value
        }

        public var referencedNames: [String] { value.referencedAttributes }
    }

    public var contract: String?
    /// The `asnx:module` named type declaring the event's fields.
    public var type: String
    /// The `filter` attribute as written.
    public var filterText: String?
    /// `filter` read as a query string (`label=${tokenId}&x=1`), the reading engine-js uses.
    public var filter: [FilterTerm]
    /// The event field whose value the attribute takes.
    public var select: String?

    public init(contract: String?, type: String, filterText: String?, filter: [FilterTerm], select: String?) {
        self.contract = contract
        self.type = type
        self.filterText = filterText
        self.filter = filter
        self.select = select
    }
}

/// A contract storage slot (declared in the XSD; unused by every public file).
public struct EthereumStorage: Sendable, Hashable, Codable {
    public var contract: String?
    public var variable: String?
    public var index: String?

    public init(contract: String?, variable: String?, index: String?) {
        self.contract = contract
        self.variable = variable
        self.index = index
    }
}

/// How a raw value becomes an attribute's value: `as`, then an optional bitmask and mapping. The token-id and
/// user-entry origins read their value the same way and differ only in where it comes from.
public struct ValueReading: Sendable, Hashable, Codable {
    public var conversion: ValueConversion?
    /// Nil means the whole value ([`Bitmask.all`]).
    public var bitmask: Bitmask?
    public var mapping: Mapping?

    public init(conversion: ValueConversion?, bitmask: Bitmask?, mapping: Mapping?) {
        self.conversion = conversion
        self.bitmask = bitmask
        self.mapping = mapping
    }
}

/// Bits of the token id: `(tokenId & mask) >> trailingZeroBits(mask)`, then `as`.
public typealias TokenIDOrigin = ValueReading

/// A value entered by the user or set by the card, parsed by `as` (eN scales exactly, without floating point).
public typealias UserEntryOrigin = ValueReading
