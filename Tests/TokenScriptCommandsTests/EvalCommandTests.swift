import Foundation
import Testing
import TokenScriptTesting
@testable import TokenScriptCommands

/// `tokenscript eval` in-process against the real local node, with the TokenScript's contracts pointed
/// at the node's deployments (`--contract NAME=ADDRESS`).
@Suite("eval", .needsEthereumNode)
struct EvalCommandTests {
    /// The flags that point one bundled TokenScript's `contract` at the node's deployment, at its block.
    static func flags(_ file: String, contract: String, node: EthereumTestNode) throws -> [String] {
        [
            TestPaths.tokenScripts + "/" + file, "--chain", "\(node.chainID)=\(node.rpcURL.absoluteString)",
            "--contract", "\(contract)=\(try #require(node.contractAddress(contract)))",
            "--block", "\(node.blockNumberAfterSetup)",
        ]
    }

    /// Options for one bundled TokenScript pointed at the node (`flags`), with `--json` and `extra`.
    static func options(
        _ file: String, contract: String, node: EthereumTestNode, _ extra: [String] = []
    ) throws -> Eval.Options {
        try Eval.Options.parse(try flags(file, contract: contract, node: node) + ["--json"] + extra)
    }

    static func run(_ options: Eval.Options) async throws -> (Int32, [String: Any], Console) {
        let console = Console.capture()
        let status = await Eval.run(options, console: console)
        let object = try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any]
        return (status, try #require(object, "not JSON: \(console.output) \(console.errorOutput)"), console)
    }

    @Test("--json: attributes with value and provenance, typed selections and card availability, for the VIP ticket")
    func ticket() async throws {
        let node = try await EthereumTestNode.shared()
        let tickets = try #require(node.expected("Ticket")?["tokens"] as? [[String: Any]])
        let vip = try #require(tickets.first { $0["name"] as? String == "vip" })
        let owner = (vip["owner"] as? String).map { ["--owner", $0] } ?? []
        let options = try Self.options(
            "event-ticket-erc721.xml", contract: "Ticket", node: node,
            ["--token-id", try #require(vip["tokenId"] as? String)] + owner)
        let (status, json, _) = try await Self.run(options)
        let attributes = try #require(json["attributes"] as? [String: [String: Any]])
        // Integers of any size are decimal strings, booleans JSON booleans, addresses 0x strings.
        #expect(attributes["seat"]?["value"] as? String == String(try #require(vip["seat"] as? Int)))
        #expect(attributes["seat"]?["origin"] as? String == "ts:token-id")
        #expect(attributes["category"]?["value"] as? String == vip["categoryLabel"] as? String)
        #expect(attributes["expired"]?["value"] as? Bool == vip["isExpired"] as? Bool)
        #expect(attributes["expired"]?["origin"] as? String == "ethereum:call")
        #expect((attributes["expired"]?["block"] as? NSNumber)?.uint64Value == node.blockNumberAfterSetup)
        #expect(attributes["expired"]?["cached"] as? Bool == false)
        #expect((attributes["holder"]?["value"] as? String)?.lowercased() == (vip["owner"] as? String)?.lowercased())
        // The VIP ticket was never redeemed: the event attribute fails with a named reason, so the exit status is 1.
        #expect((attributes["gate"]?["error"] as? String)?.contains("no Redeemed log matches the filter") == true)
        #expect(status == 1)
        let selections = try #require(json["selections"] as? [String: Bool])
        #expect(selections["vipOnly"] == true)
        #expect(selections["notHolder"] == false)
        let cards = try #require(json["cards"] as? [String: [String: Any]])
        #expect(cards["upgrade"]?["available"] as? Bool == false)
        #expect(cards["upgrade"]?["reason"] as? String != nil)
        #expect(cards["redeem"]?["available"] as? Bool == true)
    }

    @Test("--attribute limits the evaluation; a user entry scales exactly by e18 on a card")
    func attributesAndCards() async throws {
        let node = try await EthereumTestNode.shared()
        let owner = node.accounts.first.map { ["--owner", $0] } ?? []
        let entries = [
            "--user-entry", "amount=1.5", "--user-entry", "recipient=0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF",
        ]
        let options = try Self.options(
            "reward-token-erc20.xml", contract: "Reward", node: node, owner + ["--card", "transfer"] + entries)
        let (_, json, _) = try await Self.run(options)
        let attributes = try #require(json["attributes"] as? [String: [String: Any]])
        #expect(attributes["amount"]?["value"] as? String == "1500000000000000000")
        #expect(attributes["symbol"]?["value"] as? String != nil)

        let symbol = try Self.options(
            "reward-token-erc20.xml", contract: "Reward", node: node, owner + entries + ["--attribute", "symbol"])
        let (status, limited, _) = try await Self.run(symbol)
        #expect(status == 0)
        #expect((limited["attributes"] as? [String: Any])?.keys.sorted() == ["symbol"])
    }

    @Test("usage errors name the bad argument and exit 2; the human form prints one line per attribute")
    func usage() async throws {
        let node = try await EthereumTestNode.shared()
        let file = TestPaths.tokenScripts + "/event-ticket-erc721.xml"
        let chain = ["--chain", "\(node.chainID)=\(node.rpcURL.absoluteString)"]
        let contract = ["--contract", "Ticket=\(try #require(node.contractAddress("Ticket")))"]
        let block = ["--block", "\(node.blockNumberAfterSetup)"]
        for (flags, message) in [
            (chain + contract + ["--token-id", "12x"], "invalid --token-id \"12x\""),
            (["--chain", "abc"] + contract, "invalid --chain \"abc\""),
            (chain + ["--contract", "Nope=0x0000000000000000000000000000000000000001"], "declares no contract 'Nope'"),
            (contract, "no chain to read"),
            (chain + contract + ["--card", "missing"], "no card 'missing'"),
        ] {
            let console = Console.capture()
            #expect(await Eval.run(try Eval.Options.parse([file] + block + flags), console: console) == 2)
            #expect(console.errorOutput.contains(message), "\(console.errorOutput)")
        }
        let options = try Eval.Options.parse(
            [file] + block + chain + contract + ["--token-id", "1", "--attribute", "upgradeFee"])
        let console = Console.capture()
        #expect(await Eval.run(options, console: console) == 0)
        #expect(
            console.output.contains(
                "upgradeFee = \"10000000000000000\"   (ethereum:call, block \(node.blockNumberAfterSetup))"))
    }
}
