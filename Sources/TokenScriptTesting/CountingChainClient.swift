import Foundation
import TokenScriptEthereum
import TokenScriptEvaluation

/// Wraps a real client and counts what it is asked, to show reads are shared rather than repeated.
public final class CountingChainClient: ChainClient, @unchecked Sendable {
    private let base: any ChainClient
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    public init(_ base: any ChainClient) { self.base = base }

    public func count(_ method: String) -> Int { lock.withLock { counts[method, default: 0] } }

    private func note(_ method: String) { lock.withLock { counts[method, default: 0] += 1 } }

    public func chainID() async throws(ChainError) -> UInt64 {
        note("chainID")
        return try await base.chainID()
    }

    public func blockNumber() async throws(ChainError) -> UInt64 {
        note("blockNumber")
        return try await base.blockNumber()
    }

    public func call(
        to contract: EthereumAddress, data: [UInt8], at block: BlockTag
    ) async throws(ChainError) -> [UInt8] {
        note("call")
        return try await base.call(to: contract, data: data, at: block)
    }

    public func calls(
        _ requests: [CallRequest], at block: BlockTag
    ) async throws(ChainError) -> [Result<[UInt8], ChainError>] {
        note("calls")
        return try await base.calls(requests, at: block)
    }

    public func logs(_ filter: LogFilter) async throws(ChainError) -> [EventLog] {
        note("logs")
        return try await base.logs(filter)
    }
}
