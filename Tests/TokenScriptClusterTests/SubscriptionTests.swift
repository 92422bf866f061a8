import Testing
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptModel
import TokenScriptRuntime

/// What one instance subscribes to, and how a node routes an attestation to exactly the hosted instances
/// that need it.
@Suite("Subscriptions")
struct SubscriptionTests {
    static func attestationTrigger(_ name: String, _ topic: String) -> ServerTrigger {
        ServerTrigger(
            name: name, event: .attestation(AttestationTrigger(topic: TopicPattern(topic))), transition: .goto("a"))
    }

    static let definition: TokenDefinition = {
        let server = ServerExtension(
            initialState: "a", states: [ServerState(name: "a")],
            attributes: [
                ServerAttribute(name: "flight", type: .string), ServerAttribute(name: "seat", type: .integer),
            ],
            triggers: [
                attestationTrigger("status", "flight-status/${flight}"),
                attestationTrigger("gate", "gate/${flight}/*"),
                attestationTrigger("seat", "seat/${flight}/${seat}"),
                attestationTrigger("news", "news/*"),
                ServerTrigger(
                    name: "hotel",
                    event: .effectOutcome(EffectOutcomeTrigger(effect: "rebookHotel", outcome: .success)),
                    transition: .goto("a")),
                ServerTrigger(name: "expire", event: .schedule(.at("2026-03-01T08:00:00Z")), transition: .goto("a")),
                ServerTrigger(name: "owner", event: .attributeChange("ownerAddress"), transition: .goto("a")),
            ])
        return try! TokenDefinition(name: "Ticket", server: server)
    }()

    static func instance(_ id: String, flight: String?, seat: Int64? = nil) -> TokenInstance {
        var instance = definition.newInstance(id: id)
        if let flight { instance.attributes["flight"] = .string(flight) }
        if let seat { instance.attributes["seat"] = .int(seat) }
        return instance
    }

    static func subscription(_ id: String, flight: String?, seat: Int64? = nil) -> InstanceSubscription {
        InstanceSubscription(definition: definition, instance: instance(id, flight: flight, seat: seat))
    }

    @Test("an instance needs its own flight's topics, the shared ones, and its addressed inputs")
    func instancePatterns() {
        let subscription = Self.subscription("t1", flight: "LH400", seat: 12)
        #expect(
            subscription.patterns.map(\.description) == [
                "flight-status/LH400", "gate/LH400/*", "news/*", "seat/LH400/12",
                "attribute/ownerAddress", "effect/rebookHotel", "schedule/expire",
            ])
        #expect(subscription.logPatterns.count == 4)
        #expect(subscription.needs("flight-status/LH400"))
        #expect(subscription.needs("gate/LH400/B12"))
        #expect(!subscription.needs("flight-status/LH401"))
        #expect(!subscription.needs("gate/LH4000/B12"))
        // Addressed topics name no instance: never needed from the log, only when handed to this instance.
        #expect(!subscription.needs("effect/rebookHotel"))
        #expect(subscription.needs("effect/rebookHotel", delivery: .addressed))
    }

    @Test("an unset attribute leaves its triggers out")
    func unset() {
        let subscription = Self.subscription("t1", flight: nil)
        #expect(subscription.logPatterns.map(\.description) == ["news/*"])
    }

    @Test(
        "a hostile value subscribes to nothing more than an unset one",
        arguments: ["LH400/*", "*", "${flight}", "", "LH 400", "LH400/", "LH\u{0}", String(repeating: "9", count: 300)])
    func hostile(_ value: String) {
        let subscription = Self.subscription("t1", flight: value, seat: 1)
        #expect(subscription.logPatterns.map(\.description) == ["news/*"])
        let node = NodeSubscriptions([subscription])
        for topic in ["flight-status/LH400", "flight-status/LH400/x", "gate/LH400/1", "flight-status/" + value] {
            #expect(node.instances(needing: topic).isEmpty, "\(topic)")
        }
    }

    @Test("huge integers render in decimal: one exact topic")
    func hugeIntegers() {
        let subscription = Self.subscription("t1", flight: "LH400", seat: .max)
        #expect(subscription.logPatterns.map(\.description).contains("seat/LH400/9223372036854775807"))
        #expect(!subscription.needs("seat/LH400/9223372036854775806"))
    }

    /// Many instances on several flights, some with accented flight names in two normalisations.
    static let flights = ["LH400", "LH401", "LH4000", "BA117", "caf\u{E9}", "cafe\u{301}", ""]

    static func hosted(count: Int) -> [TokenInstance] {
        (0..<count).map { index in
            let flight = flights[index % flights.count]
            return instance("ticket-\(index)", flight: flight.isEmpty ? nil : flight, seat: Int64(index % 5))
        }
    }

    @Test("the node routes each attestation to exactly the instances whose triggers can match it")
    func routing() throws {
        let instances = Self.hosted(count: 350)
        let node = NodeSubscriptions(instances.map { InstanceSubscription(definition: Self.definition, instance: $0) })
        #expect(node.instanceCount == 350)
        var topics = ["news/today", "news/", "gate/", "seat/LH400/", "effect/rebookHotel", "schedule/expire", "other"]
        for flight in Self.flights {
            topics += ["flight-status/\(flight)", "gate/\(flight)/A1", "gate/\(flight)", "seat/\(flight)/3"]
        }
        for topic in topics {
            // What the engine would fire on: the instance's own rendered patterns, checked one by one.
            let expected = instances.filter { instance in
                Self.definition.server.triggers.contains { trigger in
                    if case .attestation(let on) = trigger.event,
                        let pattern = on.template?.rendered(attributes: instance.attributes)
                    {
                        return pattern.matches(topic)
                    }
                    return false
                }
            }.map(\.id)
            let routed = node.instances(needing: topic)
            #expect(Set(routed) == Set(expected), "\(topic)")
            #expect(routed.count == expected.count, "\(topic)")
            #expect(node.matches(topic) == !expected.isEmpty, "\(topic)")
        }
        // 50 instances each: LH400 (index % 7 == 0), and not LH4000's.
        #expect(node.instances(needing: "flight-status/LH400").count == 50)
        #expect(node.instances(needing: "flight-status/caf\u{E9}").count == 50)
        #expect(node.instances(needing: "flight-status/cafe\u{301}").count == 50)
        #expect(
            Set(node.instances(needing: "flight-status/caf\u{E9}")).isDisjoint(
                with: node.instances(needing: "flight-status/cafe\u{301}")))
        #expect(node.instances(needing: "news/today").count == 350)
        #expect(!node.matches("effect/rebookHotel"))
    }

    @Test("a rebooked instance moves to its new flight's topics, and a removed one receives nothing")
    func updateAndRemove() {
        var node = NodeSubscriptions([
            Self.subscription("a", flight: "LH400"), Self.subscription("b", flight: "LH400"),
        ])
        #expect(node.instances(needing: "flight-status/LH400") == ["a", "b"])
        node.update(Self.subscription("a", flight: "LH401"))
        #expect(node.instances(needing: "flight-status/LH400") == ["b"])
        #expect(node.instances(needing: "flight-status/LH401") == ["a"])
        #expect(node.instances(needing: "gate/LH401/A") == ["a"])
        #expect(node.instances(needing: "gate/LH400/A") == ["b"])
        node.remove(instance: "b")
        #expect(!node.matches("flight-status/LH400"))
        #expect(!node.matches("gate/LH400/A"))
        #expect(node.instanceCount == 1)
        #expect(node.subscription(of: "b") == nil)
    }

    @Test("the node asks the log for each pattern once, a prefix absorbing what it covers")
    func unionPatterns() {
        let node = NodeSubscriptions([
            Self.subscription("a", flight: "LH400"), Self.subscription("b", flight: "LH400"),
            Self.subscription("c", flight: "BA117"),
            InstanceSubscription(
                instanceID: "d",
                patterns: [
                    SubscriptionPattern(TopicPattern("gate/*"), delivery: .log),
                    SubscriptionPattern(TopicPattern("flight-status/LH400"), delivery: .log),
                ]),
        ])
        #expect(
            node.logPatterns.map(\.description) == [
                "flight-status/BA117", "flight-status/LH400", "gate/*", "news/*",
            ])
    }
}
