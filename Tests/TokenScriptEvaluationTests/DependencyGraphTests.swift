import Testing
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptModel

/// The dependency graph: edges from every kind of reference, cycles named, dependents for invalidation.
@Suite("Dependency graph")
struct DependencyGraphTests {
    static func ref(_ name: String) -> AttributeOrigin { .attributeReference(name) }
    static let one = AttributeOrigin.literal(DataArgument(type: "uint256", source: .literal("1")))

    /// a → b → c → a, d → a, e → e, f and g independent of them, h → unknown.
    static let cyclic = script([
        attribute("a", ref("b")), attribute("b", .path(AttributePath("c.x")!)),
        attribute(
            "c",
            .call(
                EthereumCall(
                    contract: nil, function: "f", conversion: .uint,
                    arguments: [
                        DataArgument(type: "uint256", source: .reference("a"))
                    ]))),
        attribute("d", ref("a")), attribute("e", ref("e")), attribute("f", one), attribute("g", ref("f")),
        attribute("h", ref("nothing")),
    ])

    @Test("cycles are found through refs, ts:data ref paths and call arguments")
    func cycles() {
        let graph = DependencyGraph(Self.cyclic)
        #expect(graph.cycles == [[AttributeKey("a"), AttributeKey("b"), AttributeKey("c")], [AttributeKey("e")]])
        #expect(graph.cycle(through: AttributeKey("b")) == ["b", "c", "a", "b"].map { AttributeKey($0) })
        #expect(graph.cycle(through: AttributeKey("e")) == [AttributeKey("e"), AttributeKey("e")])
        #expect(graph.cycle(through: AttributeKey("d")) == nil)
        #expect(graph.order == ["f", "h", "g"].map { AttributeKey($0) })
    }

    @Test("every attribute on a cycle fails naming the cycle; readers of it name the failed dependency")
    func cycleErrors() async {
        let report = await offlineEvaluator(Self.cyclic).evaluate(EvaluationContext(chainID: 1))
        #expect(report.error("a")?.reason == .cycle(["a", "b", "c", "a"]))
        let cycle = "attribute 'c' (ethereum:call f): dependency cycle: c → a → b → c"
        #expect(report.error("c")?.description == cycle)
        #expect(report.error("e")?.reason == .cycle(["e", "e"]))
        #expect(report.error("d")?.reason == .dependency("a"))
        #expect(report.error("h")?.reason == .unknownReference("nothing"))
        #expect(report.value("g") == .int(1))
    }

    @Test("a chain of ten thousand refs neither recurses too deep nor hides a cycle at its end")
    func longChain() {
        var attributes = (0..<10_000).map { attribute("n\($0)", Self.ref("n\($0 + 1)")) }
        attributes.append(attribute("n10000", Self.ref("n9000")))
        let graph = DependencyGraph(script(attributes))
        #expect(graph.cycles.count == 1)
        #expect(graph.cycles.first?.count == 1001)
        #expect(graph.order.isEmpty)
    }

    @Test("card scope: ref finds the card's attribute first, local-ref falls back to a user input")
    func scopes() throws {
        let reward = try OwnScripts.reward
        let graph = DependencyGraph(reward)
        let transfer = AttributeKey("amount", scope: .card("transfer"))
        #expect(graph.dependencies[transfer] == [.userInput("amount")])
        #expect(graph.dependencies[AttributeKey("balance")] == [.special("ownerAddress")])
        let local = script(
            [attribute("x", Self.one)],
            cards: [
                Card(
                    name: "c", kind: .action,
                    attributes: [
                        attribute("x", Self.one),
                        attribute(
                            "y",
                            .call(
                                EthereumCall(
                                    contract: nil, function: "f", conversion: .uint,
                                    arguments: [
                                        DataArgument(type: "uint256", source: .reference("x")),
                                        DataArgument(type: "uint256", source: .localReference("typed")),
                                    ]))),
                    ])
            ])
        #expect(
            DependencyGraph(local).dependencies[AttributeKey("y", scope: .card("c"))]
                == [.attribute(AttributeKey("x", scope: .card("c"))), .userInput("typed")])
    }

    @Test("dependents of tokenId are the token-id fields and the calls that pass it, transitively")
    func dependents() throws {
        let graph = DependencyGraph(try OwnScripts.ticket)
        #expect(
            graph.dependents(ofInput: "tokenId")
                == Set(["eventId", "venue", "category", "seat", "expired", "holder", "gate"].map { AttributeKey($0) }))
        let membership = DependencyGraph(try OwnScripts.membership)
        #expect(
            membership.dependents(ofInput: "memberInfo")
                == Set(["memberInfo", "level", "expiresAt", "active", "points"].map { AttributeKey($0) }))
        #expect(membership.selectionDependencies["lifetime"] == [.attribute(AttributeKey("expiresAt"))])
        let reward = DependencyGraph(try OwnScripts.reward)
        #expect(
            reward.dependents(ofInput: "amount")
                == [AttributeKey("amount", scope: .card("transfer")), AttributeKey("amount", scope: .card("stake"))])
    }

    @Test("${attr} in an event filter is an edge")
    func eventFilter() {
        let filter = [EthereumEvent.FilterTerm(field: "tokenId", value: FilterValue(segments: [.reference("id")]))]
        let graph = DependencyGraph(
            script([
                attribute("id", Self.one),
                attribute(
                    "gate",
                    .event(
                        EthereumEvent(contract: nil, type: "Redeemed", filterText: nil, filter: filter, select: "gate"))
                ),
            ]))
        #expect(graph.dependencies[AttributeKey("gate")] == [.attribute(AttributeKey("id"))])
    }
}
