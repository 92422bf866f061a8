import TokenScriptEthereum

/// The token, wallet and chain an evaluation is for: everything outside the TokenScript that values depend on.
public struct EvaluationContext: Sendable, Hashable {
    /// The token's chain: where its contracts are called.
    public var chainID: UInt64
    /// The selected token; nil for fungible tokens, where a `tokenId` ref is an error.
    public var tokenID: UInt256?
    /// The token's owner; nil means the wallet (ERC-20 balances are the wallet's).
    public var owner: EthereumAddress?
    /// The wallet the evaluation is done for (`walletAddress`).
    public var wallet: EthereumAddress?
    /// `latest` is resolved once to a number, so every value of one evaluation reads the same state.
    public var block: BlockTag
    /// `ts:user-entry` values and card-set `local-ref` values, by attribute name, as the user typed them.
    public var userEntries: [String: String]
    /// Preferred languages for `ts:mapping` and selection labels, best first.
    public var languages: [String]
    /// The `ts:origins` entry the token came from (`Membership`, `MemberPass`), for `card@origins`; nil: any.
    public var tokenOrigin: String?

    public init(
        chainID: UInt64, tokenID: UInt256? = nil, owner: EthereumAddress? = nil, wallet: EthereumAddress? = nil,
        block: BlockTag = .latest, userEntries: [String: String] = [:], languages: [String] = ["en"],
        tokenOrigin: String? = nil
    ) {
        self.chainID = chainID
        self.tokenID = tokenID
        self.owner = owner
        self.wallet = wallet
        self.block = block
        self.userEntries = userEntries
        self.languages = languages
        self.tokenOrigin = tokenOrigin
    }
}
