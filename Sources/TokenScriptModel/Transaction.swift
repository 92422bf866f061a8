/// A transaction a card or a named action sends (`ethereum:transaction`).
public struct EthereumTransaction: Sendable, Hashable, Codable {
    /// The `ts:contract` name; nil means the token's holding contract.
    public var contract: String?
    /// The function to call; nil for a plain payment (`ethereum:to`).
    public var function: String?
    public var conversion: ValueConversion?
    public var arguments: [DataArgument]
    /// `ethereum:value`: wei sent with the transaction.
    public var value: DataArgument?
    /// `ethereum:to`: the recipient of a plain payment.
    public var to: String?

    public init(
        contract: String?, function: String?, conversion: ValueConversion? = nil, arguments: [DataArgument] = [],
        value: DataArgument? = nil, to: String? = nil
    ) {
        self.contract = contract
        self.function = function
        self.conversion = conversion
        self.arguments = arguments
        self.value = value
        self.to = to
    }

    /// `function(type1,type2)`, the signature the selector is computed from.
    public var signature: String? {
        function.map { "\($0)(\(arguments.map(\.type).joined(separator: ",")))" }
    }

    /// Names the transaction reads, for dependency display.
    public var referencedNames: [String] {
        (arguments + (value.map { [$0] } ?? [])).compactMap(\.referencedName)
    }
}

/// A top-level transaction with a name that card code invokes (`<ts:transaction name=…>`, 2024/01).
public struct NamedTransaction: Sendable, Hashable, Codable {
    public var name: String
    public var transaction: EthereumTransaction
    public var location: SourceLocation?

    public init(name: String, transaction: EthereumTransaction, location: SourceLocation? = nil) {
        self.name = name
        self.transaction = transaction
        self.location = location
    }
}
