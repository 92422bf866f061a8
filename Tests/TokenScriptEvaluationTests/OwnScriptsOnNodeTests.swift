import Foundation
import Testing
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptModel
import TokenScriptTesting

/// Our TokenScripts evaluated against the contracts the local node deployed, each value checked against
/// the manifest and against a direct call made by the test itself.
@Suite("Own TokenScripts on the local node", .needsEthereumNode)
struct OwnScriptsOnNodeTests {
    static let tickets = ["vip", "student", "standardSeat3", "standardSeat21", "pastEvent"]

    @Test("ticket attributes, selections and cards match the chain", arguments: tickets)
    func ticket(_ name: String) async throws {
        let node = try await Node.shared()
        let record = try node.ticket(name)
        let tokenID = uint(try need(record["tokenId"] as? String))
        let owner = try need(EthereumAddress(try need(record["owner"] as? String)))
        let evaluator = node.evaluator(try OwnScripts.ticket)
        let report = await evaluator.evaluate(node.context(tokenID: tokenID, owner: owner))
        #expect(report.block == node.block)

        #expect(report.value("eventId") == .int(try need(record["eventId"] as? Int)))
        #expect(report.value("venue") == .string(try need(record["venue"] as? String)))
        #expect(report.value("category") == .string(try need(record["categoryLabel"] as? String)))
        let seat = try need(record["seat"] as? Int)
        #expect(report.value("seat") == .int(seat))

        let isExpired = ABIFunction(name: "isExpired", inputs: [.uint256], outputs: [.bool])
        let direct = try await node.call("Ticket", isExpired, [.uint(tokenID)])
        let expired = try need(record["isExpired"] as? Bool)
        #expect(direct == [ABIValue.bool(expired)])
        #expect(report.value("expired") == .bool(expired))
        let ownerOf = ABIFunction(name: "ownerOf", inputs: [.uint256], outputs: [.address])
        #expect(try await node.call("Ticket", ownerOf, [.uint(tokenID)]) == [.address(owner)])
        // holder has string syntax: the EIP-55 text of the address.
        #expect(report.value("holder") == .string(owner.checksummed))
        let fee = try await node.call("Ticket", ABIFunction(name: "upgradeFee", inputs: [], outputs: [.uint256]))
        let expectedFee = uint(try need(try node.expected("Ticket", "upgradeFee") as? String))
        #expect(fee == [.uint(expectedFee)])
        #expect(report.value("upgradeFee") == .uint(expectedFee))

        let provenance = try need(try report.attributes["expired"]?.get().provenance)
        #expect(provenance.origin == "ethereum:call" && provenance.block == node.block && !provenance.cached)

        // vipOnly: VIP, or Standard with 0 < seat < 21 compared as numbers (seat 3 matches, seat 21 does not).
        let category = try need(record["categoryLabel"] as? String)
        let vipOnly = category == "VIP" || (category == "Standard" && seat > 0 && seat < 21)
        #expect(report.selections["vipOnly"] == vipOnly)
        #expect(report.selections["expired"] == expired)
        #expect(report.selections["notHolder"] == false)
        let redeem =
            expired ? CardAvailability(available: false, reason: "This ticket has expired") : CardAvailability.available
        #expect(report.cards["redeem"] == redeem)
        let upgrade =
            vipOnly ? CardAvailability(available: false, reason: "Already a VIP ticket") : CardAvailability.available
        #expect(report.cards["upgrade"] == upgrade)
        #expect(report.cards["ticketInfo"] == .available)
    }

    @Test("someone other than the holder sees notHolder, with the German label as the reason")
    func notHolder() async throws {
        let node = try await Node.shared()
        let record = try node.ticket("standardSeat21")
        let tokenID = uint(try need(record["tokenId"] as? String))
        let report = await node.evaluator(try OwnScripts.ticket)
            .evaluate(node.context(tokenID: tokenID, owner: try node.account(1), languages: ["de"]))
        #expect(report.selections["notHolder"] == true)
        #expect(
            report.cards["upgrade"]
                == CardAvailability(available: false, reason: "Nur der Inhaber der Karte kann das tun"))
    }

    @Test(
        "reward balances are the e18 amounts the contract holds; an empty balance disables both actions",
        arguments: [1, 2, 3])
    func reward(_ accountIndex: Int) async throws {
        let node = try await Node.shared()
        let account = try node.account(accountIndex)
        let balances = try need(try node.expected("Reward", "balances") as? [String: String])
        let expected = uint(try need(balances.first { $0.key.lowercased() == account.checksummed.lowercased() }?.value))
        let balanceOf = ABIFunction(name: "balanceOf", inputs: [.address], outputs: [.uint256])
        #expect(try await node.call("Reward", balanceOf, [.address(account)]) == [.uint(expected)])

        let report = await node.evaluator(try OwnScripts.reward).evaluate(node.context(owner: account))
        #expect(report.value("balance") == .uint(expected))
        #expect(report.value("symbol") == .string("RWD"))
        #expect(report.value("decimals") == .int(18))
        #expect(report.value("stakeFee") == .uint(uint(try need(try node.expected("Reward", "stakeFee") as? String))))
        #expect(report.selections["noBalance"] == expected.isZero)
        let closed = CardAvailability(available: false, reason: "You have no reward points")
        #expect(report.cards["transfer"] == (expected.isZero ? closed : .available))
        #expect(report.cards["stake"] == (expected.isZero ? closed : .available))
    }

    @Test("a card's user entries are scaled and validated; its scope keeps the token's attributes")
    func transferCard() async throws {
        let node = try await Node.shared()
        let recipient = try node.account(2)
        let context = node.context(
            owner: try node.account(1), userEntries: ["amount": "1.5", "recipient": recipient.checksummed.lowercased()])
        let report = await node.evaluator(try OwnScripts.reward).evaluate(context, card: "transfer")
        #expect(report.value("amount") == .uint(uint("1500000000000000000")))
        #expect(report.value("recipient") == .string(recipient.checksummed))
        #expect(report.value("balance") == .uint(uint("900000000000000000000")))
        #expect(report.cards == ["transfer": .available])
    }

    @Test(
        "membership: as=\"abi\" decodes the nested struct and ts:data ref paths take it apart",
        arguments: [1, 2, 3, 4, 5])
    func membership(_ tokenID: Int) async throws {
        let node = try await Node.shared()
        let members = try need(try node.expected("Membership", "members") as? [[String: Any]])
        let member = try need(members.first { $0["tokenId"] as? Int == tokenID })
        let info = try need(member["info"] as? [String: Any])
        let stats = try need(info["stats"] as? [String: Any])
        let script = try OwnScripts.membership
        let getMember = try need(
            try ABIContract(json: try need(script.contract(named: "Membership")?.abi)).function(named: "getMember"))
        let direct = try await node.call("Membership", getMember, [.uint(UInt256(UInt64(tokenID)))])

        let report = await node.evaluator(script).evaluate(
            node.context(tokenID: UInt256(UInt64(tokenID)), owner: try node.account(1)))
        let memberInfo = try need(report.value("memberInfo"))
        #expect(direct.count == 1)
        // The tuple's names and values as node.py wrote them, not re-derived from the decoded call.
        let field = { (name: String, value: AttributeValue) in AttributeField(name: name, value: value) }
        #expect(
            memberInfo
                == .structured([
                    field("level", .uint(uint("\(info["level"]!)"))),
                    field("expiresAt", .uint(uint("\(info["expiresAt"]!)"))),
                    field("active", .bool(true)),
                    field(
                        "stats",
                        .structured([
                            field("visits", .uint(uint("\(stats["visits"]!)"))),
                            field("points", .uint(uint("\(stats["points"]!)"))),
                        ])),
                ]))
        #expect(
            memberInfo.json == #"{"level":"\#(info["level"]!)","expiresAt":"\#(info["expiresAt"]!)","active":true,"#
                + #""stats":{"visits":"\#(stats["visits"]!)","points":"\#(stats["points"]!)"}}"#)
        #expect(report.value("level") == .int(try need(info["level"] as? Int)))
        #expect(report.value("expiresAt") == .int(try need(info["expiresAt"] as? Int)))
        #expect(report.value("active") == .bool(true))
        #expect(report.value("points") == .uint(uint(try need(stats["points"] as? String))))
        #expect(
            report.value("joinPrice") == .uint(uint(try need(try node.expected("Membership", "joinPrice") as? String))))
        let levelProvenance = try need(try report.attributes["level"]?.get().provenance)
        #expect(levelProvenance == Provenance(origin: "ts:data ref", block: node.block, cached: false))
        let lifetime = info["expiresAt"] as? Int == 0
        #expect(report.selections["lifetime"] == lifetime)
        #expect(
            report.cards["renewMembership"]
                == (lifetime
                    ? CardAvailability(available: false, reason: "Lifetime members never need to renew") : .available))
    }

    @Test("an event-origin attribute takes select from the newest matching log, as eth_getLogs shows it")
    func eventOrigin() async throws {
        let node = try await Node.shared()
        var script = try OwnScripts.ticket
        // `gate` is declared in the ticket's TokenScript; two more, without a filter, are added here.
        #expect(script.attributes.contains { $0.name == "gate" && $0.origin?.kind == "ethereum:event" })
        script.attributes.append(
            attribute(
                "lastGate",
                .event(
                    EthereumEvent(
                        contract: "Ticket", type: "Redeemed", filterText: nil, filter: [], select: "gate"))))
        script.attributes.append(
            attribute(
                "lastRedemption",
                .event(
                    EthereumEvent(
                        contract: "Ticket", type: "Redeemed", filterText: nil, filter: [], select: nil))))
        let evaluator = node.evaluator(script)
        let redeemed = try need(try node.expected("Ticket", "redeemed") as? [[String: Any]])
        #expect(redeemed.count == 2)

        let event = ABIEvent(
            name: "Redeemed",
            inputs: [
                ABIParameter(name: "tokenId", type: .uint256, isIndexed: true),
                ABIParameter(name: "redeemer", type: .address, isIndexed: true),
                ABIParameter(name: "gate", type: .uint(bits: 16)),
            ])
        for entry in redeemed {
            let tokenID = uint(try need(entry["tokenId"] as? String))
            let logs = try await node.client.logs(
                LogFilter(
                    address: try node.address("Ticket"),
                    topics: try event.topicFilter(["tokenId": .uint(tokenID)]).map { $0.map { [$0] } },
                    toBlock: .number(node.block)))
            #expect(logs.count == 1)
            let fields = try event.decodeLog(topics: logs[0].topics, data: logs[0].data)
            let gate = try need(entry["gate"] as? Int)
            #expect(fields[2].value == ABILogValue.value(ABIValue.uint(UInt256(UInt64(gate)))))
            let report = await evaluator.evaluate(node.context(tokenID: tokenID), attributes: ["gate"])
            #expect(report.value("gate") == .int(gate))
            #expect(try report.attributes["gate"]?.get().provenance.origin == "ethereum:event")
        }
        let vip = uint(try need(try node.ticket("vip")["tokenId"] as? String))
        let report = await evaluator.evaluate(
            node.context(tokenID: vip), attributes: ["gate", "lastGate", "lastRedemption"])
        #expect(report.error("gate")?.reason == .noMatchingLog(event: "Redeemed"))
        #expect(
            report.error("gate")?.description
                == "attribute 'gate' (ethereum:event Redeemed): no Redeemed log matches the filter")
        // Two logs match without a filter: the newest (block 15, gate 7), not engine-js's oldest (gate 3).
        let newest = try need(redeemed.max { ($0["blockNumber"] as? Int ?? 0) < ($1["blockNumber"] as? Int ?? 0) })
        #expect(report.value("lastGate") == .int(try need(newest["gate"] as? Int)))
        let newestID = uint(try need(newest["tokenId"] as? String))
        #expect(report.value("lastRedemption")?[field: "tokenId"] == AttributeValue.uint(newestID))
    }

    @Test("a revert and a missing contract are named errors")
    func failures() async throws {
        let node = try await Node.shared()
        let unknown = uint(try need(try node.expected("Ticket", "unknownTokenId") as? String))
        let report = await node.evaluator(try OwnScripts.ticket).evaluate(
            node.context(tokenID: unknown), attributes: ["expired", "holder"])
        guard case .chain(.reverted(_, let message))? = report.error("expired")?.reason else {
            Issue.record("expected a revert, got \(String(describing: report.attributes["expired"]))")
            return
        }
        #expect(message.contains("Ticket: unknown token"))
        #expect(
            report.error("expired")?.description.hasPrefix("attribute 'expired' (ethereum:call isExpired): reverted: ")
                == true)

        // The TokenScript's own (invented) 31337 address has no code on the node.
        let invented = AttributeEvaluator(tokenScript: try OwnScripts.ticket, chains: { _ in node.client })
        let missing = await invented.evaluate(node.context(tokenID: unknown), attributes: ["upgradeFee"])
        #expect(
            missing.error("upgradeFee")?.reason
                == .noCode(
                    address: EthereumAddress("0xe2bc67b0cab9fb8218737925a33141ae8ea9e223")!, chainID: node.node.chainID)
        )
        let otherChain = await invented.evaluate(
            EvaluationContext(chainID: 5, block: .number(node.block)), attributes: ["upgradeFee"])
        #expect(otherChain.error("upgradeFee")?.reason == .noContract(name: "Ticket", chainID: 5))
    }
}
