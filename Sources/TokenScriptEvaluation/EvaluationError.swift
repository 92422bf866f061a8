import TokenScriptEthereum

/// Why one attribute has no value: which attribute, which origin, and the reason, in one printable line.
///
/// `attribute 'balance' (ethereum:call balanceOf): reverted: …`
public struct EvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// The attribute is part of a dependency cycle; the names go round it, starting and ending at itself.
        case cycle([String])
        /// A `ref`, `local-ref` or `${…}` that names no attribute and no special ref.
        case unknownReference(String)
        /// An attribute this one reads failed; its own error says why.
        case dependency(String)
        /// The contract has no address on that chain (or is not declared).
        case noContract(name: String, chainID: UInt64)
        /// The call returned no data: there is no contract code at the address.
        case noCode(address: EthereumAddress, chainID: UInt64)
        /// An origin no runtime implements (`ethereum:storage`) or a form this one does not.
        case unsupportedOrigin(String)
        /// The attribute declares no origin.
        case noOrigin
        /// The chain read failed: revert, timeout, transport, malformed answer.
        case chain(ChainError)
        /// An argument does not fit its ABI type.
        case encoding(ABIEncodingError)
        /// The answer is not valid ABI data of the expected type.
        case decoding(ABIDecodingError)
        /// The `ts:abi` or a type name in the TokenScript is unusable.
        case abi(String)
        /// A value could not be converted (`as`, bitmask, syntax, path).
        case conversion(String)
        /// No log matched the event filter up to the evaluated block.
        case noMatchingLog(event: String)
        /// A user-entry attribute or card value that the context does not supply.
        case missingUserEntry(String)
        /// `tokenId` was read for a fungible token (the context has no token id).
        case noTokenID
        /// A special ref the context does not supply (`ownerAddress`, `walletAddress`).
        case missingContext(String)

        public var description: String {
            switch self {
            case .cycle(let names): "dependency cycle: " + names.joined(separator: " → ")
            case .unknownReference(let name): "unknown reference '\(name)'"
            case .dependency(let name): "depends on '\(name)', which failed"
            case .noContract(let name, let chainID): "contract '\(name)' has no address on chain \(chainID)"
            case .noCode(let address, let chainID):
                "no contract at \(address) on chain \(chainID) (the call returned no data)"
            case .unsupportedOrigin(let what): "unsupported origin: \(what)"
            case .noOrigin: "the attribute has no origin"
            case .chain(let error): error.description
            case .encoding(let error): error.description
            case .decoding(let error): error.description
            case .abi(let message): "ABI: \(message)"
            case .conversion(let message): message
            case .noMatchingLog(let event): "no \(event) log matches the filter"
            case .missingUserEntry(let name): "no user entry for '\(name)'"
            case .noTokenID: "tokenId is not defined for this token (fungible)"
            case .missingContext(let name): "the evaluation context has no \(name)"
            }
        }
    }

    /// The attribute's name (with its card for card-local attributes).
    public var attribute: String
    /// The failing origin: its kind and what it reads, `ethereum:call balanceOf`.
    public var origin: String
    public var reason: Reason

    public var description: String { "attribute '\(attribute)' (\(origin)): \(reason)" }
}

/// Internal steps throw the bare reason; the evaluator adds the attribute and origin.
extension EvaluationError.Reason: Error {}
