import TokenScriptEthereum

/// What attribute evaluation needs from a chain: a plugin seam, so the centre does no networking.
///
/// The JSON-RPC implementation lives in `TokenScriptJSONRPC`; tests use it against a real local node.
/// Every method reads at an explicit block so that values evaluated together are consistent.
public protocol ChainClient: Sendable {
    /// The chain id the endpoint reports (`eth_chainId`).
    func chainID() async throws(ChainError) -> UInt64
    /// The latest block number (`eth_blockNumber`).
    func blockNumber() async throws(ChainError) -> UInt64
    /// A read-only call (`eth_call`); a revert is `ChainError.reverted` with its data.
    func call(to contract: EthereumAddress, data: [UInt8], at block: BlockTag) async throws(ChainError) -> [UInt8]
    /// Several calls at once (a JSON-RPC batch); results in request order, each its own success or failure.
    func calls(_ requests: [CallRequest], at block: BlockTag) async throws(ChainError) -> [Result<[UInt8], ChainError>]
    /// Logs matching a filter (`eth_getLogs`), oldest first.
    func logs(_ filter: LogFilter) async throws(ChainError) -> [EventLog]
}

/// One `eth_call` of a batch.
public struct CallRequest: Sendable, Hashable {
    public var contract: EthereumAddress
    public var data: [UInt8]

    public init(contract: EthereumAddress, data: [UInt8]) {
        self.contract = contract
        self.data = data
    }
}

/// Which block a read sees.
public enum BlockTag: Sendable, Hashable, CustomStringConvertible {
    case latest
    case number(UInt64)

    public var description: String {
        switch self {
        case .latest: "latest"
        case .number(let number): "\(number)"
        }
    }
}

/// `eth_getLogs` parameters: one contract, topics by position (nil = any, several = any of them).
public struct LogFilter: Sendable, Hashable {
    public var address: EthereumAddress
    public var topics: [[[UInt8]]?]
    public var fromBlock: BlockTag
    public var toBlock: BlockTag

    public init(
        address: EthereumAddress, topics: [[[UInt8]]?], fromBlock: BlockTag = .number(0), toBlock: BlockTag = .latest
    ) {
        self.address = address
        self.topics = topics
        self.fromBlock = fromBlock
        self.toBlock = toBlock
    }
}

/// One log entry as the node returns it.
public struct EventLog: Sendable, Hashable {
    public var address: EthereumAddress
    public var topics: [[UInt8]]
    public var data: [UInt8]
    public var blockNumber: UInt64
    public var transactionIndex: UInt64
    public var logIndex: UInt64

    public init(
        address: EthereumAddress, topics: [[UInt8]], data: [UInt8], blockNumber: UInt64, transactionIndex: UInt64,
        logIndex: UInt64
    ) {
        self.address = address
        self.topics = topics
        self.data = data
        self.blockNumber = blockNumber
        self.transactionIndex = transactionIndex
        self.logIndex = logIndex
    }
}

/// Why a chain read failed, precise enough to name in an attribute's error.
public enum ChainError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call reverted; `data` is the revert payload (decode with `ABIRevert`).
    case reverted(data: [UInt8], message: String)
    /// No answer within the deadline, after the allowed retries.
    case timeout(seconds: Double)
    /// Connection refused, reset, DNS …
    case transport(String)
    /// The endpoint answered something that is not a valid JSON-RPC response of the expected shape.
    case malformedResponse(String)
    /// A JSON-RPC error object other than a revert.
    case rpc(code: Int, message: String)
    /// No RPC endpoint is configured for this chain.
    case noEndpoint(chainID: UInt64)

    public var description: String {
        switch self {
        case .reverted(_, let message): "reverted: \(message)"
        case .timeout(let seconds): "timed out after \(seconds) s"
        case .transport(let message): "transport error: \(message)"
        case .malformedResponse(let message): "malformed response: \(message)"
        case .rpc(let code, let message): "RPC error \(code): \(message)"
        case .noEndpoint(let chainID): "no RPC endpoint configured for chain \(chainID) (use --chain \(chainID)=URL)"
        }
    }
}
