/// A smart contract the token lives on or calls, with one address per chain (`ts:contract`).
public struct Contract: Sendable, Hashable, Codable {
    public struct Address: Sendable, Hashable, Codable {
        /// The chain id as written in `network=` (decimal in every real file).
        public var network: String
        /// The address as written, `0x` and 40 hex digits in valid files.
        public var address: String

        public init(network: String, address: String) {
            self.network = network
            self.address = address
        }

        /// The chain id as a number, when `network` is decimal.
        public var chainID: Int? { Int(network) }
    }

    public var name: String
    /// `interface=` or `ts:interface`: erc20, erc721, erc875, erc1155 …
    public var interface: String?
    public var addresses: [Address]
    /// The JSON ABI text of `ts:abi` (2022/09+), used by `as="abi"` and struct arguments.
    public var abi: String?

    public init(name: String, interface: String? = nil, addresses: [Address] = [], abi: String? = nil) {
        self.name = name
        self.interface = interface
        self.addresses = addresses
        self.abi = abi
    }

    /// The address on a chain, for contracts deployed on several.
    public func address(onChain chainID: Int) -> String? {
        addresses.first { $0.chainID == chainID }?.address
    }
}

/// What a TokenScript applies to (`ts:origins` at token level).
public enum TokenOrigin: Sendable, Hashable {
    /// Tokens held in this contract (`ts:ethereum contract=`).
    case contract(String)
    /// Attestations of this definition (`ts:attestation name=`, 2022/09+).
    case attestation(String)
}
