import Foundation
import Testing
import TokenScriptEgress
import TokenScriptEngine
import TokenScriptModel
import TokenScriptSandbox
import TokenScriptSimulation
import TokenScriptRuntime

/// The egress rules where effect requests are built and simulated: header injection from `sl:request` Lua
/// refuses the request, and the simulation refuses what the policy refuses, before any scripted attempt.
@Suite struct EffectEgressTests {
    struct Injection: Sendable, CustomTestStringConvertible {
        var label: String
        /// The `sl:request` Lua.
        var lua: String
        var error: String
        var testDescription: String { label }
    }

    static let injections: [Injection] = [
        Injection(
            label: "CR LF in a header value", lua: #"return {headers = {["X-Ref"] = "1\r\nX-Admin: yes"}}"#,
            error: #"effect rebookHotel: header "X-Ref": the value contains CR (0x0d)"#),
        Injection(
            label: "bare LF in a header value", lua: #"return {headers = {["X-Ref"] = "1\nHost: 10.0.0.1"}}"#,
            error: #"header "X-Ref": the value contains LF (0x0a)"#),
        Injection(
            label: "NUL in a header value", lua: #"return {headers = {["X-Ref"] = "a\0b"}}"#,
            error: #"header "X-Ref": the value contains NUL (0x00)"#),
        Injection(
            label: "CR LF in a header name", lua: #"return {headers = {["X-Ref\r\nX-Admin"] = "1"}}"#,
            error: #"header "X-Ref\x0d\x0aX-Admin": the name contains CR (0x0d)"#),
        Injection(
            label: "space in a header name", lua: #"return {headers = {["X Ref"] = "1"}}"#,
            error: #"header "X Ref": the name contains the byte 0x20"#),
        Injection(
            label: "Host header", lua: #"return {headers = {Host = "169.254.169.254"}}"#,
            error: #"header "Host": set by the transport"#),
        Injection(
            label: "Transfer-Encoding header", lua: #"return {headers = {["Transfer-Encoding"] = "chunked"}}"#,
            error: #"header "Transfer-Encoding": set by the transport"#),
    ]

    @Test("a header a transition's Lua injects refuses the request, naming the header", arguments: injections)
    func headerInjection(_ entry: Injection) async throws {
        var server = try SimulationTestSupport.flightTicket().server
        let index = try #require(server.effects.firstIndex { $0.name == "rebookHotel" })
        server.effects[index].request = LuaSource(text: entry.lua, line: 1)
        let builder = EffectRequestBuilder(
            server: server, environment: ["hotelApi": "https://hotels.example.org"], runtime: SimulationTestSupport.pool
        )
        var instance = TokenInstance(definitionID: "d", id: "ticket-5", state: "rebooking")
        instance.attributes["flight"] = .string("LH2024")
        instance.attributes["departureTime"] = .int(1_790_050_000)
        instance.attributes["delayMinutes"] = .int(0)
        do {
            let built = try await builder.build(
                EffectRequest(name: "rebookHotel"), index: 1, trigger: "significant-delay", sequence: 2,
                instance: instance, time: 1)
            Issue.record("built \(built.headers)")
        } catch {
            #expect(error.description.contains(entry.error), "\(error.description)")
        }
        // The next build is unaffected.
        server.effects[index].request = LuaSource(text: #"return {headers = {["X-Ref"] = "ok"}}"#, line: 1)
        let next = try await EffectRequestBuilder(
            server: server, environment: ["hotelApi": "https://hotels.example.org"], runtime: SimulationTestSupport.pool
        )
        .build(
            EffectRequest(name: "rebookHotel"), index: 1, trigger: "significant-delay", sequence: 2, instance: instance,
            time: 1)
        #expect(next.headers["X-Ref"] == "ok")
    }

    static func request(_ effect: ServerEffect, url: String) -> BuiltEffectRequest {
        BuiltEffectRequest(
            effect: effect.name, requestID: "t/1/\(effect.name)/1", method: effect.method.rawValue, url: url,
            headers: [:],
            body: nil, timeoutMilliseconds: effect.timeout.milliseconds, idempotencyKey: "k",
            idempotencyHeader: "Idempotency-Key")
    }

    @Test(
        "the simulation refuses what the policy refuses: one refused attempt, no scripted answer used, error, no anchor"
    )
    func simulatedRefusal() async throws {
        let effect = try #require(try SimulationTestSupport.flightTicket().server.effect(named: "rebookHotel"))
        let responses = try ResponseScript(
            notation: try SandboxValue.parseJSON(#"{"rebookHotel": [201]}"#), path: "responses")
        let (call, transport) = try await SimulationTestSupport.call(
            Self.request(effect, url: "https://169.254.169.254/latest/meta-data/"), effect: effect,
            responses: responses, startedAt: 100)
        #expect(call.refusal?.contains("169.254.169.254 is link-local (169.254.0.0/16)") == true)
        #expect(call.attempts.count == 1)
        #expect(call.outcomes.map(\.type) == ["error"])
        #expect(call.outcomes.first?.payload["status"] == nil)
        #expect(call.outcomes.first?.payload["refused"]?.stringValue == call.refusal)
        #expect(transport.remaining.queues["rebookHotel"]?.count == 1)

        let (allowed, _) = try await SimulationTestSupport.call(
            Self.request(effect, url: "https://169.254.169.254/latest/meta-data/"), effect: effect,
            responses: transport.remaining, startedAt: 100, egress: try .allowing(["169.254.169.254/32"]))
        #expect(allowed.refusal == nil)
        #expect(allowed.outcomes.map(\.type) == ["success"])
    }

    @Test("a token sees the refusal as event.refused on an error outcome, and can leave its waiting state on it")
    func tokenSeesRefusal() async throws {
        var server = try SimulationTestSupport.flightTicket().server
        let index = try #require(
            server.triggers.firstIndex {
                if case .effectOutcome(let trigger) = $0.event { trigger.outcome == .error } else { false }
            })
        let found: EffectOutcomeTrigger? =
            if case .effectOutcome(let trigger) = server.triggers[index].event { trigger } else { nil }
        var trigger = try #require(found)
        trigger.statuses = []
        server.triggers[index].event = .effectOutcome(trigger)
        server.triggers[index].transition = .lua(
            LuaSource(text: #"return {state = "rebook-failed", attributes = {rebookProblem = event.refused}}"#, line: 1)
        )
        let definition = try TokenDefinition(
            name: "FlightTicket",
            server: Simulation.prepare(
                server, executor: SimulationTestSupport.executor, anchor: SimulationTestSupport.anchor))
        var simulation = await Simulation(
            definition: definition, runtime: SimulationTestSupport.pool,
            environment: ["hotelApi": "https://169.254.169.254/v2"], executor: SimulationTestSupport.executor,
            anchor: SimulationTestSupport.anchor, responses: ResponseScript(),
            instance: definition.newInstance(id: "ticket-7"))
        _ = try await simulation.deliver(
            try SimulationTestSupport.flightStatus(id: "s1", type: "scheduled"), now: 1_790_000_000)
        let deliveries = try await simulation.deliver(
            try SimulationTestSupport.flightStatus(id: "d1", type: "delay", delay: 400, issuedAt: 1_790_000_060),
            now: 1_790_000_060)
        #expect(deliveries.flatMap(\.calls).compactMap(\.refusal).count == 1)
        let final = await simulation.current
        #expect(final.state == "rebook-failed")
        let problem = if case .string(let text)? = final.attributes["rebookProblem"] { text } else { "absent" }
        #expect(problem.hasPrefix("169.254.169.254 is link-local"), "rebookProblem: \(problem)")
    }
}
