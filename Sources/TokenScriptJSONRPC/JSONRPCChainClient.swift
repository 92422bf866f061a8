import TokenScriptArithmetic
import TokenScriptJSON
import Foundation
import TokenScriptEthereum
import TokenScriptEvaluation

/// A `ChainClient` that speaks Ethereum JSON-RPC 2.0 over HTTP(S) to one endpoint.
///
/// Make one per endpoint URL and share it (it is `Sendable`): it owns the `URLSession` whose keep-alive
/// connections make a call cost about one round trip. `ChainConfiguration.client(for:)` does that.
/// Every answer is checked strictly; anything not shaped as the spec says is `.malformedResponse`.
public final class JSONRPCChainClient: ChainClient {
    public let url: URL
    public let options: JSONRPCClientOptions
    private let transport: HTTPTransport

    public init(url: URL, options: JSONRPCClientOptions = JSONRPCClientOptions()) {
        self.url = url
        self.options = options
        transport = HTTPTransport(url: url, options: options)
    }

    public func chainID() async throws(ChainError) -> UInt64 {
        try RPCHex.quantity(await send("eth_chainId", []), field: "eth_chainId result")
    }

    public func blockNumber() async throws(ChainError) -> UInt64 {
        try RPCHex.quantity(await send("eth_blockNumber", []), field: "eth_blockNumber result")
    }

    public func call(to contract: EthereumAddress, data: [UInt8], at block: BlockTag) async throws(ChainError)
        -> [UInt8]
    {
        let request = Self.callRequest(CallRequest(contract: contract, data: data), at: block)
        return try RPCHex.data(await send(request.method, request.params), field: "eth_call result")
    }

    /// One HTTP exchange for all calls; a failure of the exchange itself (timeout, non-JSON …) is thrown,
    /// while each call's own revert or error is its entry in the result.
    public func calls(_ requests: [CallRequest], at block: BlockTag) async throws(ChainError) -> [Result<
        [UInt8], ChainError
    >] {
        guard !requests.isEmpty else { return [] }
        let body = JSONRPCEnvelope.batchBody(for: requests.map { Self.callRequest($0, at: block) })
        let answers = try JSONRPCEnvelope.results(of: await transport.post(body), count: requests.count)
        return answers.map { answer in
            answer.flatMap { value in
                Result { () throws(ChainError) in try RPCHex.data(value, field: "eth_call result") }
            }
        }
    }

    public func logs(_ filter: LogFilter) async throws(ChainError) -> [EventLog] {
        let result = try await send("eth_getLogs", [EventLogCoding.filterObject(filter)])
        return try EventLogCoding.logs(from: result, address: filter.address)
    }

    private static func callRequest(_ call: CallRequest, at block: BlockTag) -> JSONRPCRequest {
        let object: JSONRPCValue = .object([
            "to": .string(call.contract.checksummed), "data": .string(Hex.encode(call.data)),
        ])
        return JSONRPCRequest(method: "eth_call", params: [object, .string(RPCHex.encode(block))])
    }

    private func send(_ method: String, _ params: [JSONRPCValue]) async throws(ChainError) -> JSONRPCValue {
        let body = JSONRPCEnvelope.body(for: JSONRPCRequest(method: method, params: params))
        return try JSONRPCEnvelope.result(of: await transport.post(body))
    }
}
