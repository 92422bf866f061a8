import Testing
import TokenScriptAttestation
import TokenScriptDocument
import TokenScriptEngine
import TokenScriptModel
import TokenScriptRuntime
import TokenScriptTesting

/// `sl:on-attestation topic="flight-status/${flight}"`: an instance fires only on its own flight's topics,
/// matched against its current attribute values, and a hostile value matches nothing.
@Suite("Topic interpolation in the engine")
struct TopicInterpolationTests {
    static let airline = TestKeys.ed25519(0x44)
    static let now: UInt64 = 1_790_000_100

    static func definition() throws -> TokenDefinition {
        let key = airline.issuer.key
        let document = """
            <ts:token xmlns:ts="http://tokenscript.org/2024/01/tokenscript" \
            xmlns:sl="https://swift-tokenscript.org/server/1" name="Ticket">
              <sl:server>
                <sl:trust><sl:issuer name="airline" scheme="ed25519" key="\(key)" topics="flight-status/* seat/*"/>\
            </sl:trust>
                <sl:states initial="booked"><sl:state name="booked"/><sl:state name="active"/>\
            <sl:state name="seated"/></sl:states>
                <sl:attribute name="flight" type="string"/>
                <sl:attribute name="seat" type="integer"/>
                <sl:trigger name="scheduled" states="booked">
                  <sl:on-attestation topic="flight-status/${flight}" type="scheduled"/>
                  <sl:transition goto="active"/>
                </sl:trigger>
                <sl:trigger name="seated">
                  <sl:on-attestation topic="seat/${flight}/${seat}"/>
                  <sl:transition goto="seated"/>
                </sl:trigger>
              </sl:server>
            </ts:token>
            """
        let loaded = try TokenScriptReader.read(
            bytes: Array(document.utf8), file: "ticket.xml", directory: "/",
            options: TokenScriptReadOptions(strict: true))
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        return try TokenDefinition(tokenScript: loaded.tokenScript)
    }

    static func ticket(_ attributes: [String: SandboxValue]) throws -> JournaledInstance {
        let definition = try definition()
        var instance = definition.newInstance(id: "ticket-1")
        for (name, value) in attributes { instance.attributes[name] = value }
        return JournaledInstance(
            machine: TokenStateMachine(definition: definition, runtime: EngineTestSupport.pool), instance: instance)
    }

    static func status(_ topic: String, type: String = "scheduled", id: String = "s1") throws -> Attestation {
        try airline.sign(
            Attestation(
                id: id, topic: topic, type: type, issuer: airline.issuer, issuedAt: 1_790_000_000,
                payload: ["flight": "LH400"]))
    }

    @Test("a ticket for LH400 fires on flight-status/LH400 and on no other flight's status")
    func ownFlightOnly() async throws {
        for other in ["flight-status/LH4000", "flight-status/LH40", "flight-status/BA117", "flight-status/lh400"] {
            let ticket = try Self.ticket(["flight": .string("LH400")])
            let outcome = try await ticket.deliver(try Self.status(other), now: Self.now)
            #expect(outcome.disposition == .unmatched, "\(other)")
            #expect(outcome.instance.state == "booked")
        }
        let ticket = try Self.ticket(["flight": .string("LH400")])
        let outcome = try await ticket.deliver(try Self.status("flight-status/LH400"), now: Self.now)
        #expect(outcome.disposition == .applied(trigger: "scheduled"))
        #expect(outcome.instance.state == "active")
    }

    @Test("the topic follows the attribute's current value")
    func currentValue() async throws {
        let ticket = try Self.ticket(["flight": .string("LH400"), "seat": .int(12)])
        #expect(
            try await ticket.deliver(try Self.status("seat/LH400/13", id: "a"), now: Self.now).disposition == .unmatched
        )
        let seated = try await ticket.deliver(try Self.status("seat/LH400/12", id: "b"), now: Self.now)
        #expect(seated.disposition == .applied(trigger: "seated"))
    }

    @Test("an unset attribute: the trigger listens to nothing")
    func unset() async throws {
        let ticket = try Self.ticket([:])
        let outcome = try await ticket.deliver(try Self.status("flight-status/LH400"), now: Self.now)
        #expect(outcome.disposition == .unmatched)
        let bare = try await ticket.deliver(try Self.status("flight-status/", id: "s2"), now: Self.now)
        #expect(bare.disposition != .applied(trigger: "scheduled"))
        #expect(bare.instance.state == "booked")
    }

    @Test(
        "a hostile value matches no topic at all, not even one that spells it",
        arguments: ["LH400/*", "*", "${flight}", "", "LH 400", "LH\u{200B}400"])
    func hostile(_ value: String) async throws {
        for topic in [
            "flight-status/LH400", "flight-status/LH400/x", "flight-status/" + value, "flight-status/LH400/*",
        ] {
            let ticket = try Self.ticket(["flight": .string(value)])
            let outcome = try await ticket.deliver(try Self.status(topic), now: Self.now)
            // Unmatched, or refused by the verifier for the topic itself: never fired.
            #expect(outcome.disposition != .applied(trigger: "scheduled"), "\(value) on \(topic)")
            #expect(outcome.instance.state == "booked", "\(value) on \(topic)")
        }
    }

    @Test("huge integers render in decimal, exactly")
    func hugeInteger() async throws {
        let ticket = try Self.ticket(["flight": .string("LH400"), "seat": .int(.min)])
        let outcome = try await ticket.deliver(try Self.status("seat/LH400/-9223372036854775808"), now: Self.now)
        #expect(outcome.disposition == .applied(trigger: "seated"))
    }

    @Test("a definition built in code with a malformed topic is refused when it is prepared, naming the trigger")
    func malformedInCode() throws {
        let server = ServerExtension(
            initialState: "a", states: [ServerState(name: "a")],
            triggers: [
                ServerTrigger(
                    name: "t", event: .attestation(AttestationTrigger(topic: TopicPattern("flight/${flight"))),
                    transition: .goto("a"))
            ])
        let error = #expect(throws: TokenDefinition.Invalid.self) { try TokenDefinition(name: "x", server: server) }
        #expect(error?.description == "trigger t: topic: '${' is not closed by '}' at offset 7")
    }

    @Test("matching is byte for byte: a canonically equivalent topic is another topic")
    func bytewise() async throws {
        let ticket = try Self.ticket(["flight": .string("caf\u{E9}")])
        let other = try await ticket.deliver(try Self.status("flight-status/cafe\u{301}", id: "a"), now: Self.now)
        #expect(other.disposition == .unmatched)
        let own = try await ticket.deliver(try Self.status("flight-status/caf\u{E9}", id: "b"), now: Self.now)
        #expect(own.disposition == .applied(trigger: "scheduled"))
    }
}
