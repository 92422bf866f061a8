import Foundation
import Testing
import TokenScriptArithmetic
import TokenScriptTesting
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptJSONRPC

@Suite("Reverts, RPC errors and batches against a scripted server")
struct RevertAndBatchTests {
    @Test("code 3 with data is a revert whose reason ABIRevert decodes")
    func gethRevert() async throws {
        let data = errorStringRevert("Ticket: unknown token")
        let server = try ScriptedHTTPServer(replies: [
            .json(
                failure(code: 3, message: "execution reverted: Ticket: unknown token", data: "\"\(Hex.encode(data))\""))
        ])
        let client = JSONRPCChainClient(url: server.url, options: fastOptions)
        let error = await chainError { () throws(ChainError) in
            try await client.call(to: someContract, data: [1], at: .latest)
        }
        #expect(error == .reverted(data: data, message: "execution reverted: Ticket: unknown token"))
        if case .reverted(let revertData, _)? = error {
            #expect(ABIRevert(data: revertData) == .error("Ticket: unknown token"))
        }
        #expect(server.requestCount == 1, "a revert is an answer and must not be retried")
    }

    @Test("-32000 is a revert only when its message says so; other errors are .rpc")
    func serverErrors() async throws {
        let server = try ScriptedHTTPServer(replies: [
            .json(failure(code: -32000, message: "execution reverted", data: #""0x""#)),
            .json(failure(code: -32000, message: "Execution REVERTED")),
            .json(failure(code: -32000, message: "header not found")),
            .json(failure(code: -32601, message: "method not found")),
            .json(
                failure(
                    code: -32000, message: "VM Exception while processing transaction: revert",
                    data: #"{"result":"0x01"}"#)),
        ])
        let client = JSONRPCChainClient(url: server.url, options: fastOptions)
        func attempt() async -> ChainError? {
            await chainError { () throws(ChainError) in try await client.call(to: someContract, data: [], at: .latest) }
        }
        #expect(await attempt() == .reverted(data: [], message: "execution reverted"))
        #expect(await attempt() == .reverted(data: [], message: "Execution REVERTED"))
        #expect(await attempt() == .rpc(code: -32000, message: "header not found"))
        #expect(await attempt() == .rpc(code: -32601, message: "method not found"))
        #expect(await attempt() == .reverted(data: [1], message: "VM Exception while processing transaction: revert"))
        #expect(server.requestCount == 5, "none of these is retried")
    }

    @Test("a batch is one HTTP request; answers in any order map back by id, a missing id fails only its entry")
    func batchOrderAndMissingID() async throws {
        let revert = errorStringRevert("no")
        let answers =
            "["
            + [
                success(#""0x03""#, id: 3),
                failure(code: 3, message: "execution reverted: no", data: "\"\(Hex.encode(revert))\"", id: 4),
                success(#""0x01""#, id: 1),
                failure(code: -32602, message: "invalid params", id: 5),
            ].joined(separator: ",") + "]"
        let server = try ScriptedHTTPServer(replies: [.json(answers)])
        let client = JSONRPCChainClient(url: server.url, options: fastOptions)
        let requests = (1...5).map { CallRequest(contract: someContract, data: [UInt8($0)]) }
        let results = try await client.calls(requests, at: .number(16))
        #expect(results.count == 5)
        #expect(try results[0].get() == [1])
        #expect(results[1].failureError?.malformedMessage == "batch answer for id 2 is missing")
        #expect(try results[2].get() == [3])
        #expect(results[3].failureError == .reverted(data: revert, message: "execution reverted: no"))
        #expect(results[4].failureError == .rpc(code: -32602, message: "invalid params"))
        #expect(server.requestCount == 1)

        // The request: one JSON array, ids 1…5, each an eth_call at block 0x10.
        let sent = try JSONSerialization.jsonObject(with: Data(server.requests[0].body.utf8)) as? [[String: Any]]
        let batch = try #require(sent)
        #expect(batch.map { $0["id"] as? Int } == [1, 2, 3, 4, 5])
        #expect(batch.allSatisfy { $0["jsonrpc"] as? String == "2.0" && $0["method"] as? String == "eth_call" })
        let params = try #require(batch[1]["params"] as? [Any])
        let object = try #require(params.first as? [String: Any])
        #expect((object["to"] as? String)?.lowercased() == "0xf2e246bb76df876cef8b38ae84130f4f55de395b")
        #expect(object["data"] as? String == "0x02")
        #expect(params.last as? String == "0x10")
    }

    @Test("a batch answer that repeats an id, answers an id never asked, or is no array fails as a whole")
    func brokenBatches() async throws {
        let server = try ScriptedHTTPServer(replies: [
            .json("[" + success(#""0x""#, id: 1) + "," + success(#""0x""#, id: 1) + "]"),
            .json("[" + success(#""0x""#, id: 1) + "," + success(#""0x""#, id: 7) + "]"),
            .json(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch too large"}}"#),
            .json(success(#""0x""#)),
        ])
        let client = JSONRPCChainClient(url: server.url, options: fastOptions)
        let requests = [CallRequest(contract: someContract, data: []), CallRequest(contract: someContract, data: [])]
        func attempt() async -> ChainError? {
            await chainError { () throws(ChainError) in try await client.calls(requests, at: .latest) }
        }
        #expect(await attempt()?.malformedMessage == "batch answers id 1 twice")
        #expect(await attempt()?.malformedMessage == "batch answer with id 7, which was not requested")
        #expect(await attempt() == .rpc(code: -32600, message: "batch too large"))
        #expect(await attempt()?.malformedMessage == "expected a JSON-RPC batch array, got an object")
        #expect(try await client.calls([], at: .latest).isEmpty)
        #expect(server.requestCount == 4, "an empty batch sends nothing")
    }

    @Test("requests are well-formed JSON-RPC over one keep-alive connection, without Expect: 100-continue")
    func requestShape() async throws {
        let server = try ScriptedHTTPServer { request in
            request.body.hasPrefix("[")
                ? .json("[" + (1...100).map { success(#""0x""#, id: $0) }.joined(separator: ",") + "]")
                : .json(success(#""0x2a""#))
        }
        let client = JSONRPCChainClient(url: server.url, options: fastOptions)
        for _ in 0..<5 { #expect(try await client.chainID() == 42) }
        let topic0 = Keccak256.hash(utf8: "Redeemed(uint256,address,uint16)")
        _ = try? await client.logs(
            LogFilter(address: someContract, topics: [[topic0], nil, [[1], [2]]], fromBlock: .number(3)))
        _ = try await client.calls(
            Array(repeating: CallRequest(contract: someContract, data: [UInt8](repeating: 7, count: 100)), count: 100),
            at: .latest)

        let requests = server.requests
        // Seven requests over one connection; a request that timed out under a heavy load is sent again, and may
        // be sent on a new connection: one more connection per repeat at most, never one per request.
        #expect(requests.count >= 7)
        #expect(server.connectionCount >= 1 && server.connectionCount <= 1 + (requests.count - 7))
        let first = try #require(try JSONSerialization.jsonObject(with: Data(requests[0].body.utf8)) as? [String: Any])
        #expect(
            first["jsonrpc"] as? String == "2.0" && first["id"] as? Int == 1
                && first["method"] as? String == "eth_chainId")
        #expect((first["params"] as? [Any])?.isEmpty == true)
        #expect(requests[0].headers["content-type"] == "application/json")

        // Found by content, not by index: under a heavy load a request can time out and be sent again.
        let logsRequest = try #require(requests.first { $0.body.contains("eth_getLogs") })
        let logs = try #require(try JSONSerialization.jsonObject(with: Data(logsRequest.body.utf8)) as? [String: Any])
        let filter = try #require((logs["params"] as? [Any])?.first as? [String: Any])
        #expect(logs["method"] as? String == "eth_getLogs")
        #expect(filter["fromBlock"] as? String == "0x3" && filter["toBlock"] as? String == "latest")
        let topics = try #require(filter["topics"] as? [Any])
        #expect(topics.count == 3)
        #expect(topics[0] as? String == Hex.encode(topic0))
        #expect(topics[1] is NSNull)
        #expect(topics[2] as? [String] == ["0x01", "0x02"])

        let batch = try #require(requests.first { $0.body.hasPrefix("[") })
        #expect(batch.body.utf8.count > 20_000)
        #expect(
            batch.headers["expect"] == nil || batch.headers["expect"] == "", "Expect: \(batch.headers["expect"] ?? "")")
    }
}

extension Result {
    var failureError: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
