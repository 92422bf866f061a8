import Foundation
import TokenScriptEthereum
import TokenScriptEvaluation

/// Forwards to a client and counts what goes through it: the number of `eth_call`s an evaluation makes is measured,
/// not assumed. The bookkeeping is a lock and an append, nanoseconds against a round trip to the node.
final class CountingChainClient: ChainClient, @unchecked Sendable {
    let base: any ChainClient
    private let lock = NSLock()
    private var requests: [CallRequest] = []
    private var calls = 0
    private var blockNumbers = 0

    init(_ base: any ChainClient) { self.base = base }

    var callCount: Int { lock.withLock { calls } }
    var blockNumberCount: Int { lock.withLock { blockNumbers } }

    /// The calls recorded since the last take.
    func takeRequests() -> [CallRequest] {
        lock.withLock {
            defer { requests = [] }
            return requests
        }
    }

    func chainID() async throws(ChainError) -> UInt64 { try await base.chainID() }

    func blockNumber() async throws(ChainError) -> UInt64 {
        lock.withLock { blockNumbers += 1 }
        return try await base.blockNumber()
    }

    func call(to contract: EthereumAddress, data: [UInt8], at block: BlockTag) async throws(ChainError) -> [UInt8] {
        lock.withLock {
            calls += 1
            requests.append(CallRequest(contract: contract, data: data))
        }
        return try await base.call(to: contract, data: data, at: block)
    }

    func calls(_ requests: [CallRequest], at block: BlockTag) async throws(ChainError) -> [Result<[UInt8], ChainError>] {
        lock.withLock {
            calls += requests.count
            self.requests += requests
        }
        return try await base.calls(requests, at: block)
    }

    func logs(_ filter: LogFilter) async throws(ChainError) -> [EventLog] { try await base.logs(filter) }
}
