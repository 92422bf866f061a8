import Foundation
import Testing
import TokenScriptTesting
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptJSONRPC

/// One broken answer and the message fragment the client must name it with.
struct MalformedCase: Sendable, CustomStringConvertible {
    enum Operation: Sendable { case call, blockNumber, logs }

    var description: String
    var reply: ScriptedHTTPServer.Reply
    var operation: Operation
    var fragment: String

    init(_ description: String, _ reply: ScriptedHTTPServer.Reply, _ operation: Operation, _ fragment: String) {
        (self.description, self.reply, self.operation, self.fragment) = (description, reply, operation, fragment)
    }

    init(_ description: String, json: String, _ operation: Operation, _ fragment: String) {
        self.init(description, .json(json), operation, fragment)
    }
}

private let topic = "\"0x" + String(repeating: "ab", count: 32) + "\""
private let contractHex = "\"0xf2e246bb76df876cef8b38ae84130f4f55de395b\""

private func logJSON(address: String = contractHex, topics: [String] = [topic], blockNumber: String = "\"0x3\"")
    -> String
{
    #"[{"address":\#(address),"topics":[\#(topics.joined(separator: ","))],"data":"0x","#
        + #""blockNumber":\#(blockNumber),"transactionIndex":"0x0","logIndex":"0x0"}]"#
}

private let malformedCases: [MalformedCase] = [
    .init("odd-length hex", json: success(#""0xabc""#), .call, "odd number of hex digits"),
    .init("hex data without 0x", json: success(#""abcd""#), .call, "missing the 0x prefix"),
    .init("non-hex data", json: success(#""0xzz""#), .call, "non-hex character"),
    .init("a number where data belongs", json: success("12"), .call, "expected hex data, got a number"),
    .init("a null result", json: success("null"), .call, "expected hex data, got null"),
    .init("quantity without 0x", json: success(#""1b""#), .blockNumber, "not a 0x-prefixed hex quantity"),
    .init("empty quantity", json: success(#""0x""#), .blockNumber, "not a 0x-prefixed hex quantity"),
    .init("non-hex quantity", json: success(#""0x1g""#), .blockNumber, "non-hex character"),
    .init("doubled 0x quantity", json: success(#""0x0x1""#), .blockNumber, "non-hex character"),
    .init("quantity over 64 bits", json: success(#""0x10000000000000000""#), .blockNumber, "exceeds 64 bits"),
    .init(
        "quantity as a JSON number", json: success("27"), .blockNumber, "expected a hex quantity string, got a number"),
    .init("non-JSON body", .status(200, contentType: "text/plain", body: "hello"), .blockNumber, "body is not JSON"),
    .init(
        "HTML error page with 500",
        .status(500, contentType: "text/html", body: "<html><body><h1>502 Bad Gateway</h1></body></html>"), .call,
        "HTTP status 500, expected 200; body: \"<html>"),
    .init("404 with an empty body", .status(404, contentType: "text/plain", body: ""), .blockNumber, "HTTP status 404"),
    .init("wrong id", json: success(#""0x1""#, id: 2), .blockNumber, "response id is 2, expected 1"),
    .init("id as a string", json: #"{"jsonrpc":"2.0","id":"1","result":"0x1"}"#, .blockNumber, #"response id is "1""#),
    .init("missing result", json: #"{"jsonrpc":"2.0","id":1}"#, .call, "neither result nor error"),
    .init(
        "result and error", json: #"{"jsonrpc":"2.0","id":1,"result":"0x","error":{"code":1,"message":"x"}}"#, .call,
        "both result and error"),
    .init("jsonrpc 1.0", json: #"{"jsonrpc":"1.0","id":1,"result":"0x1"}"#, .blockNumber, #""jsonrpc" is "1.0""#),
    .init(
        "duplicate result members", json: #"{"jsonrpc":"2.0","id":1,"result":"0x1","result":"0x2"}"#, .blockNumber,
        #"line 1, column 40 (result): duplicate key "result""#),
    .init(
        "id as a float", json: #"{"jsonrpc":"2.0","id":1.0,"result":"0x1"}"#, .blockNumber,
        "response id is a number, expected 1"),
    .init(
        "id beyond 64 bits", json: #"{"jsonrpc":"2.0","id":18446744073709551617,"result":"0x1"}"#, .blockNumber,
        "integer beyond the 64-bit range"),
    .init("trailing comma", json: #"{"jsonrpc":"2.0","id":1,"result":"0x1",}"#, .blockNumber, "trailing comma"),
    .init("no jsonrpc member", json: #"{"id":1,"result":"0x1"}"#, .blockNumber, #""jsonrpc" is missing"#),
    .init("an array for a single call", json: "[" + success(#""0x1""#) + "]", .blockNumber, "got an array"),
    .init("error without a code", json: #"{"jsonrpc":"2.0","id":1,"error":{"message":"x"}}"#, .call, "integer code"),
    .init(
        "revert data that is not hex", json: failure(code: 3, message: "execution reverted", data: #""oops""#), .call,
        "revert error.data"),
    .init(
        "31-byte topic", json: success(logJSON(topics: ["\"0x" + String(repeating: "ab", count: 31) + "\""])), .logs,
        "topics[0]: expected 32 bytes, got 31"),
    .init(
        "19-byte log address", json: success(logJSON(address: "\"0x" + String(repeating: "11", count: 19) + "\"")),
        .logs,
        "address: expected 20 bytes, got 19"),
    .init(
        "log of another contract", json: success(logJSON(address: "\"0x" + String(repeating: "11", count: 20) + "\"")),
        .logs,
        "not the filter's"),
    .init(
        "pending log without block number", json: success(logJSON(blockNumber: "null")), .logs,
        "blockNumber: expected a hex quantity string, got null"),
    .init("logs result not an array", json: success("{}"), .logs, "expected an array, got an object"),
]

@Suite("JSON-RPC answers that are not what the spec says")
struct MalformedAnswerTests {
    @Test(
        "a malformed answer is .malformedResponse naming what was wrong, and is not retried", arguments: malformedCases)
    func malformed(_ testCase: MalformedCase) async throws {
        let server = try ScriptedHTTPServer(replies: [testCase.reply])
        let client = JSONRPCChainClient(url: server.url, options: patientOptions)
        let error = await chainError { () throws(ChainError) in
            switch testCase.operation {
            case .call: _ = try await client.call(to: someContract, data: [1, 2, 3, 4], at: .latest)
            case .blockNumber: _ = try await client.blockNumber()
            case .logs: _ = try await client.logs(LogFilter(address: someContract, topics: []))
            }
        }
        let message = try #require(error?.malformedMessage, "got \(String(describing: error))")
        #expect(message.contains(testCase.fragment), "message: \(message)")
        #expect(server.requestCount == 1)
    }

    @Test("strict quantities still accept compact, padded and upper-case hex")
    func quantities() async throws {
        let server = try ScriptedHTTPServer(replies: [
            .json(success(#""0x0""#)), .json(success(#""0x001b""#)), .json(success(#""0X1B""#)),
            .json(success(#""0xffffffffffffffff""#)),
        ])
        let client = JSONRPCChainClient(url: server.url, options: patientOptions)
        #expect(try await client.blockNumber() == 0)
        #expect(try await client.blockNumber() == 27)
        #expect(try await client.blockNumber() == 27)
        #expect(try await client.blockNumber() == .max)
    }

    @Test("a chunked answer of unknown length is cut off once it passes the size cap, and read whole below it")
    func streamingSizeCap() async throws {
        let big = success("\"0x" + String(repeating: "00", count: 4096) + "\"")
        let server = try ScriptedHTTPServer(replies: [.chunkedJSON(big), .chunkedJSON(big)])
        let small = JSONRPCChainClient(
            url: server.url,
            options: JSONRPCClientOptions(timeout: 2, retries: 2, backoff: 0.01, maximumResponseBytes: 2048))
        let error = await chainError { () throws(ChainError) in
            try await small.call(to: someContract, data: [], at: .latest)
        }
        #expect(error?.malformedMessage == "answer exceeds the 2048-byte cap", "got \(String(describing: error))")
        let large = JSONRPCChainClient(url: server.url, options: fastOptions)
        #expect(try await large.call(to: someContract, data: [], at: .latest).count == 4096)
        #expect(server.requestCount == 2)
    }

    @Test("an answer over the size cap is refused")
    func sizeCap() async throws {
        let big = success("\"0x" + String(repeating: "00", count: 4096) + "\"")
        let server = try ScriptedHTTPServer(replies: [.json(big)])
        let options = JSONRPCClientOptions(timeout: 2, retries: 2, backoff: 0.01, maximumResponseBytes: 1024)
        let client = JSONRPCChainClient(url: server.url, options: options)
        let error = await chainError { () throws(ChainError) in
            try await client.call(to: someContract, data: [], at: .latest)
        }
        #expect(
            error?.malformedMessage?.contains("exceeds the 1024-byte cap") == true, "got \(String(describing: error))")
        #expect(server.requestCount == 1)
    }
}
