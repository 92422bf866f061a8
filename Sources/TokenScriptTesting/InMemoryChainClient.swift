import TokenScriptArithmetic
import Foundation
import TokenScriptEthereum
import TokenScriptEvaluation

/// A chain held in memory, for evaluation tests that need exact answers and no node: `eth_call` answers come
/// from a table of (contract, calldata) a test fills in, logs from a list; everything asked is counted.
/// Calls nobody scripted fail as an RPC error naming the contract and selector, never a silent zero.
public final class InMemoryChainClient: ChainClient, @unchecked Sendable {
    private let lock = NSLock()
    private let chain: UInt64
    private var head: UInt64
    private var answers: [CallRequest: Result<[UInt8], ChainError>] = [:]
    private var storedLogs: [EventLog] = []
    private var counts: [String: Int] = [:]

    public init(chainID: UInt64 = 31337, blockNumber: UInt64 = 1) {
        chain = chainID
        head = blockNumber
    }

    /// `contract` answers `function(arguments)` with `outputs`, ABI-encoded as the function declares.
    public func answer(
        _ contract: EthereumAddress, _ function: ABIFunction, _ arguments: [ABIValue] = [],
        returning outputs: [ABIValue]
    ) throws {
        let data = try ABIEncoder.encode(outputs, as: function.outputs.map(\.type))
        answer(contract, calldata: try function.encodeCall(arguments), with: .success(data))
    }

    /// `contract` answers exactly `calldata` with `result` (raw bytes, a revert, any chain error).
    public func answer(_ contract: EthereumAddress, calldata: [UInt8], with result: Result<[UInt8], ChainError>) {
        lock.withLock { answers[CallRequest(contract: contract, data: calldata)] = result }
    }

    /// Adds a log; `logs(_:)` returns the matching ones, oldest first.
    public func emit(_ log: EventLog) { lock.withLock { storedLogs.append(log) } }

    /// Moves the chain's head (what `blockNumber()` and `.latest` report).
    public func mine(to blockNumber: UInt64) { lock.withLock { head = blockNumber } }

    /// How many times `method` ("chainID", "blockNumber", "call", "calls", "logs") was asked.
    public func count(_ method: String) -> Int { lock.withLock { counts[method, default: 0] } }

    private func note(_ method: String) { lock.withLock { counts[method, default: 0] += 1 } }

    public func chainID() async throws(ChainError) -> UInt64 {
        note("chainID")
        return chain
    }

    public func blockNumber() async throws(ChainError) -> UInt64 {
        note("blockNumber")
        return lock.withLock { head }
    }

    public func call(
        to contract: EthereumAddress, data: [UInt8], at block: BlockTag
    ) async throws(ChainError) -> [UInt8] {
        note("call")
        return try lookUp(contract, data).get()
    }

    public func calls(
        _ requests: [CallRequest], at block: BlockTag
    ) async throws(ChainError) -> [Result<[UInt8], ChainError>] {
        note("calls")
        return requests.map { lookUp($0.contract, $0.data) }
    }

    public func logs(_ filter: LogFilter) async throws(ChainError) -> [EventLog] {
        note("logs")
        let (all, latest) = lock.withLock { (storedLogs, head) }
        func number(_ tag: BlockTag) -> UInt64 {
            if case .number(let number) = tag { number } else { latest }
        }
        let range = number(filter.fromBlock)...max(number(filter.fromBlock), number(filter.toBlock))
        return all.filter { log in
            log.address == filter.address && range.contains(log.blockNumber)
                && filter.topics.enumerated().allSatisfy { position, allowed in
                    guard let allowed else { return true }
                    return position < log.topics.count && allowed.contains(log.topics[position])
                }
        }.sorted { a, b in
            (a.blockNumber, a.transactionIndex, a.logIndex) < (b.blockNumber, b.transactionIndex, b.logIndex)
        }
    }

    private func lookUp(_ contract: EthereumAddress, _ data: [UInt8]) -> Result<[UInt8], ChainError> {
        let selector = Hex.encode(Array(data.prefix(4)))
        return lock.withLock { answers[CallRequest(contract: contract, data: data)] }
            ?? .failure(.rpc(code: -32000, message: "no answer for \(selector) at \(contract)"))
    }
}
