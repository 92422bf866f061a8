import TokenScriptArithmetic
import TokenScriptEthereum

/// What identifies a chain read: chain, contract, the request (calldata, or the event query) and `as`.
///
/// `as` is part of the key because the same call read two ways gives two values; AlphaWallet iOS
/// shared one entry across different `as` and showed one attribute's value for the other (issue #5917).
public struct CacheKey: Hashable, Sendable, CustomStringConvertible {
    public var chainID: UInt64
    public var contract: EthereumAddress
    /// Selector plus encoded arguments for a call; topics and the selected field for an event.
    public var request: [UInt8]
    /// The `as` text (`uint`, `e18`, `abi`), or the selected event field.
    public var conversion: String

    public init(chainID: UInt64, contract: EthereumAddress, request: [UInt8], conversion: String) {
        self.chainID = chainID
        self.contract = contract
        self.request = request
        self.conversion = conversion
    }

    public var description: String { "\(chainID):\(contract):\(Hex.encode(request)) as \(conversion)" }
}

/// How long a value read from the chain may be reused, per attribute.
public struct AttributeCachePolicy: Sendable {
    public var defaultTimeToLive: Duration
    /// By attribute name (any scope); zero disables caching for that attribute.
    public var timeToLive: [String: Duration]

    public init(defaultTimeToLive: Duration = .seconds(30), timeToLive: [String: Duration] = [:]) {
        self.defaultTimeToLive = defaultTimeToLive
        self.timeToLive = timeToLive
    }

    public func timeToLive(for attribute: String) -> Duration { timeToLive[attribute] ?? defaultTimeToLive }
}
