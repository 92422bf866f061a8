import Foundation
import Testing
import TokenScriptArithmetic
import TokenScriptTesting
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptJSONRPC
import TokenScriptModel

/// Answers a real node never gives, served over HTTP to the real JSON-RPC client: every attribute that
/// needed them fails with its name, its origin and the reason; nothing crashes or hangs.
@Suite("Malformed RPC answers")
struct MalformedAnswerTests {
    static let vip = uint("0x000004574d55433101002a000000000000000000000000000000000000000007")
    static let options = JSONRPCClientOptions(timeout: 0.5, retries: 0, backoff: 0.01)

    static func answer(_ result: String) -> String { #"{"jsonrpc":"2.0","id":1,"result":\#(result)}"# }

    /// A server answering eth_blockNumber properly and every eth_call and eth_getLogs with `reply`.
    static func evaluate(_ reply: ScriptedHTTPServer.Reply, attributes: [String]) async throws -> EvaluationReport {
        let server = try ScriptedHTTPServer { request in
            request.body.contains("eth_blockNumber") ? .json(answer(#""0x1b""#)) : reply
        }
        let client = JSONRPCChainClient(url: server.url, options: options)
        var script = try OwnScripts.ticket
        let filter = [EthereumEvent.FilterTerm(field: "tokenId", value: FilterValue(segments: [.reference("tokenId")]))]
        script.attributes.append(
            attribute(
                "gate",
                .event(
                    EthereumEvent(
                        contract: "Ticket", type: "Redeemed", filterText: nil, filter: filter, select: "gate"))))
        let evaluator = AttributeEvaluator(tokenScript: script, chains: { _ in client })
        let report = await evaluator.evaluate(EvaluationContext(chainID: 31337, tokenID: vip), attributes: attributes)
        withExtendedLifetime(server) {}
        return report
    }

    @Test(
        "bad call results are named decoding or chain errors",
        arguments: [
            (
                #""0x1234""#, "upgradeFee",
                "attribute 'upgradeFee' (ethereum:call upgradeFee): cannot decode uint256 at byte 0"
            ),
            (#""0x""#, "upgradeFee", "attribute 'upgradeFee' (ethereum:call upgradeFee): no contract at "),
            (
                #""0x0000000000000000000000000000000000000000000000000000000000000002""#, "expired",
                "attribute 'expired' (ethereum:call isExpired): cannot "
                    + "decode bool at byte 0: boolean is neither 0 nor 1"
            ),
            (
                #""0x000000000000000000000001ffffffffffffffffffffffffffffffffffffffff""#, "holder",
                "attribute 'holder' (ethereum:call ownerOf): cannot "
                    + "decode address at byte 0: padding bytes are not zero"
            ),
            (#""zz""#, "upgradeFee", "attribute 'upgradeFee' (ethereum:call upgradeFee): malformed response"),
            (#"{"not":"hex"}"#, "upgradeFee", "attribute 'upgradeFee' (ethereum:call upgradeFee): malformed response"),
        ])
    func callResults(_ result: String, _ name: String, _ prefix: String) async throws {
        let report = try await Self.evaluate(.json(Self.answer(result)), attributes: [name, "seat"])
        let description = report.error(name)?.description ?? "no error: \(String(describing: report.attributes[name]))"
        #expect(description.hasPrefix(prefix), "\(description)")
        #expect(report.value("seat") == .int(42))
    }

    @Test("HTML error pages, broken JSON and silence fail the chain attributes only")
    func transport() async throws {
        for reply in [
            ScriptedHTTPServer.Reply.status(502, contentType: "text/html", body: "<html>Bad Gateway</html>"),
            .json(#"{"jsonrpc":"2.0","id":1,"result":"#), .json(#"{"jsonrpc":"2.0","id":7,"result":"0x"}"#), .hang,
            .close,
        ] {
            let report = try await Self.evaluate(reply, attributes: ["expired", "gate", "venue"])
            guard case .chain? = report.error("expired")?.reason, case .chain? = report.error("gate")?.reason else {
                Issue.record("\(reply): \(report.attributes)")
                continue
            }
            #expect(report.value("venue") == .string("MUC1"))
        }
    }

    @Test("logs with the wrong topics or undecodable data are decoding errors")
    func logs() async throws {
        let topic0 = Hex.encode(Keccak256.hash(utf8: "Redeemed(uint256,address,uint16)"))
        let word = "0x" + String(repeating: "0", count: 63) + "7"
        func log(_ topics: [String], _ data: String) -> String {
            let quoted = topics.map { "\"\($0)\"" }.joined(separator: ",")
            return #"[{"address":"0xe2bc67b0cab9fb8218737925a33141ae8ea9e223","topics":[\#(quoted)],"data":"\#(data)","#
                + #""blockNumber":"0x5","transactionIndex":"0x0","logIndex":"0x0","#
                + #""blockHash":"0x\#(String(repeating: "0", count: 64))","#
                + #""transactionHash":"0x\#(String(repeating: "0", count: 64))","removed":false}]"#
        }
        let wrongTopics = try await Self.evaluate(.json(Self.answer(log([topic0], word))), attributes: ["gate"])
        #expect(
            wrongTopics.error("gate")?.description.contains("expected 3 topics") == true, "\(wrongTopics.attributes)")
        let badData = try await Self.evaluate(
            .json(Self.answer(log([topic0, word, word], "0x12"))), attributes: ["gate"])
        #expect(
            badData.error("gate")?.description.hasPrefix("attribute 'gate' (ethereum:event Redeemed): cannot decode")
                == true,
            "\(badData.attributes)")
        let good = try await Self.evaluate(.json(Self.answer(log([topic0, word, word], word))), attributes: ["gate"])
        #expect(good.value("gate") == .int(7), "\(good.attributes)")
    }
}
