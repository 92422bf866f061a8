import Foundation
import Testing
import TokenScriptTesting
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptJSONRPC

@Suite("Deadlines and retries")
struct RetryTests {
    @Test("a server that never answers is .timeout after the configured deadline, tried 1 + retries times")
    func hang() async throws {
        let server = try ScriptedHTTPServer(replies: [.hang])
        let client = JSONRPCChainClient(url: server.url, options: fastOptions)
        let started = ContinuousClock.now
        let error = await chainError { () throws(ChainError) in try await client.blockNumber() }
        let elapsed = ContinuousClock.now - started
        #expect(error == .timeout(seconds: 0.3))
        #expect(server.requestCount == 3)
        // The deadline is honoured on each of the 3 attempts; the upper bound only guards against a hang.
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(60), "took \(elapsed)")
    }

    @Test("without retries a hang costs one request and one deadline")
    func hangWithoutRetries() async throws {
        let server = try ScriptedHTTPServer(replies: [.hang])
        let client = JSONRPCChainClient(url: server.url, options: JSONRPCClientOptions(timeout: 0.2, retries: 0))
        let error = await chainError { () throws(ChainError) in try await client.chainID() }
        #expect(error == .timeout(seconds: 0.2))
        #expect(server.requestCount == 1)
    }

    @Test("a timeout or a dropped connection is retried and the next answer is used")
    func retryThenSuccess() async throws {
        let server = try ScriptedHTTPServer(replies: [.hang, .close, .json(success(#""0x7""#))])
        let client = JSONRPCChainClient(url: server.url, options: fastOptions)
        #expect(try await client.blockNumber() == 7)
        #expect(server.requestCount == 3)
    }

    @Test("a batch is retried as a whole after a timeout")
    func batchRetry() async throws {
        let server = try ScriptedHTTPServer(replies: [.hang, .json("[" + success(#""0x01""#) + "]")])
        let client = JSONRPCChainClient(url: server.url, options: fastOptions)
        let results = try await client.calls([CallRequest(contract: someContract, data: [])], at: .latest)
        #expect(try results[0].get() == [1])
        #expect(server.requestCount == 2)
    }

    @Test("a connection that always drops is .transport after 1 + retries attempts")
    func alwaysDropped() async throws {
        let server = try ScriptedHTTPServer(replies: [.close])
        let client = JSONRPCChainClient(url: server.url, options: fastOptions)
        let error = await chainError { () throws(ChainError) in try await client.blockNumber() }
        guard case .transport(let message)? = error else {
            Issue.record("expected .transport, got \(String(describing: error))")
            return
        }
        #expect(message.contains("127.0.0.1:\(server.port)"), "message: \(message)")
        #expect(server.requestCount == 3)
    }

    @Test("connection refused is .transport naming the endpoint")
    func refused() async throws {
        let port = ScriptedHTTPServer.unusedPort()
        let client = JSONRPCChainClient(url: URL(string: "http://127.0.0.1:\(port)/")!, options: fastOptions)
        let error = await chainError { () throws(ChainError) in try await client.chainID() }
        #expect(error == .transport("127.0.0.1:\(port): connection refused"))
    }

    @Test("reverts, RPC errors, HTTP errors and malformed answers are never retried")
    func noRetryForAnswers() async throws {
        let replies: [ScriptedHTTPServer.Reply] = [
            .json(failure(code: 3, message: "execution reverted", data: #""0x""#)),
            .json(failure(code: -32005, message: "limit exceeded")),
            .status(503, contentType: "text/plain", body: "busy"),
            .json("nonsense"),
        ]
        for reply in replies {
            let server = try ScriptedHTTPServer(replies: [reply])
            let client = JSONRPCChainClient(url: server.url, options: fastOptions)
            let error = await chainError { () throws(ChainError) in
                try await client.call(to: someContract, data: [], at: .latest)
            }
            #expect(error != nil)
            #expect(server.requestCount == 1, "\(reply) was retried: \(String(describing: error))")
        }
    }
}
