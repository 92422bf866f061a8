/// A contract function: what a TokenScript `ethereum:call` origin or action invokes.
///
/// Calldata is the 4-byte selector (the first bytes of keccak256 of the canonical signature) followed
/// by the ABI encoding of the arguments; the result is the ABI encoding of the outputs.
public struct ABIFunction: Hashable, Sendable {
    public var name: String
    public var inputs: [ABIParameter]
    public var outputs: [ABIParameter]
    /// `view`, `pure`, `nonpayable` or `payable`, as the JSON ABI says; informational.
    public var stateMutability: String

    public init(name: String, inputs: [ABIParameter], outputs: [ABIParameter] = [], stateMutability: String = "view") {
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.stateMutability = stateMutability
    }

    /// A function from types alone, e.g. `ABIFunction(name: "balanceOf", inputs: [.address], outputs: [.uint256])`.
    public init(name: String, inputs: [ABIType], outputs: [ABIType] = []) {
        self.init(
            name: name, inputs: inputs.map { ABIParameter(type: $0) }, outputs: outputs.map { ABIParameter(type: $0) })
    }

    /// The canonical signature, e.g. `transfer(address,uint256)`.
    public var signature: String { name + inputs.signatureList }

    /// The first four bytes of keccak256(signature).
    public var selector: [UInt8] { Array(Keccak256.hash(utf8: signature).prefix(4)) }

    /// Selector plus encoded arguments: the `data` of an `eth_call` or transaction.
    public func encodeCall(_ arguments: [ABIValue]) throws(ABIEncodingError) -> [UInt8] {
        selector + (try ABIEncoder.encode(arguments, as: inputs.map(\.type)))
    }

    /// The arguments of calldata for this function; the selector must match.
    public func decodeCall(_ calldata: [UInt8]) throws(ABIDecodingError) -> [ABIValue] {
        guard calldata.count >= 4 else {
            throw ABIDecodingError(
                offset: 0, type: "selector", reason: .truncated(needed: 4, available: calldata.count))
        }
        guard Array(calldata.prefix(4)) == selector else {
            throw ABIDecodingError(offset: 0, type: signature, reason: .wrongSignature(Array(calldata.prefix(4))))
        }
        return try ABIDecoder.decode(inputs.map(\.type), from: Array(calldata.dropFirst(4)))
    }

    /// The return values of a call; tuple outputs keep their component names.
    public func decodeOutput(_ data: [UInt8]) throws(ABIDecodingError) -> [ABIValue] {
        try ABIDecoder.decode(outputs.map(\.type), from: data)
    }
}
