import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptModel
import TokenScriptSandbox
import TokenScriptSimulation
import TokenScriptRuntime

/// The effect request builder, and the live executor with scripted answers as scenarios and dry runs use it.
@Suite struct EffectSimulationTests {
    static func script(_ notation: String) throws -> ResponseScript {
        try ResponseScript(notation: try SandboxValue.parseJSON(notation), path: "responses")
    }

    @Test func requestFromLuaWithEnvironmentAndCustomKey() async throws {
        let definition = try SimulationTestSupport.flightTicket()
        let builder = EffectRequestBuilder(
            server: definition.server, environment: ["hotelApi": "http://127.0.0.1:9/api"],
            runtime: SimulationTestSupport.pool)
        var instance = definition.newInstance(id: "ticket-9")
        instance.attributes["flight"] = .string("LH2024")
        instance.attributes["departureTime"] = .int(1_790_050_000)
        let built = try await builder.build(
            EffectRequest(name: "rebookHotel", input: .object(["nights": .int(2)])), index: 1,
            trigger: "significant-delay",
            sequence: 4, instance: instance, time: 1_790_000_000)
        #expect(built.method == "POST")
        #expect(built.url == "http://127.0.0.1:9/api/rebookings")
        #expect(built.body == #"{"flight":"LH2024","nights":2,"reason":"flight-delay"}"#)
        #expect(built.headers == ["Content-Type": "application/json", "Idempotency-Key": "rebook-LH2024-1790050000"])
        #expect(built.requestID == "ticket-9/4/rebookHotel/1")
        #expect(built.timeoutMilliseconds == 10_000)
    }

    @Test func defaultKeyAndMissingEnvironment() async throws {
        var server = try SimulationTestSupport.flightTicket().server
        let index = try #require(server.effects.firstIndex { $0.name == "rebookHotel" })
        server.effects[index].idempotencyKey = IdempotencyKey()
        server.effects[index].request = nil
        let instance = TokenInstance(definitionID: "d", id: "ticket-3", state: "rebooking")
        let builder = EffectRequestBuilder(
            server: server, environment: ["hotelApi": "https://h"], runtime: SimulationTestSupport.pool)
        let built = try await builder.build(
            EffectRequest(name: "rebookHotel"), index: 1, trigger: "significant-delay", sequence: 7, instance: instance,
            time: 1)
        #expect(built.idempotencyKey == "ticket-3/significant-delay/7/rebookHotel")
        #expect(built.body == nil)
        #expect(built.headers == ["Idempotency-Key": "ticket-3/significant-delay/7/rebookHotel"])

        let unconfigured = EffectRequestBuilder(server: server, environment: [:], runtime: SimulationTestSupport.pool)
        await #expect(throws: EffectRequestBuilder.Failure.self) {
            try await unconfigured.build(
                EffectRequest(name: "rebookHotel"), index: 1, trigger: "t", sequence: 1, instance: instance, time: 1)
        }
    }

    @Test func retriesThenSuccessWithReportedWaits() async throws {
        let effect = try #require(try SimulationTestSupport.flightTicket().server.effect(named: "rebookHotel"))
        let responses = try Self.script(
            #"{"rebookHotel": [503, "timeout", 429, {"status": 200, "body": {"ok": true}}]}"#)
        let (call, _) = try await SimulationTestSupport.call(
            SimulationTestSupport.request(effect), effect: effect, responses: responses, startedAt: 100)
        #expect(call.attempts.map(\.waitMilliseconds) == [0, 2000, 4000, 8000])
        #expect(call.outcomes.map(\.type) == ["success"])
        #expect(call.outcomes[0].payload["status"] == 200)
        #expect(call.outcomes[0].payload["attempts"] == 4)
        #expect(call.outcomes[0].payload["body"] == ["ok": true])
        // 10 s for the timed-out attempt and 14 s of waits.
        #expect(call.outcomes[0].issuedAt == 124)
        #expect(call.outcomes[0].issuer == SimulationTestSupport.executor.issuer)
    }

    @Test func clientErrorIsFinalAtOnce() async throws {
        let effect = try #require(try SimulationTestSupport.flightTicket().server.effect(named: "rebookHotel"))
        let responses = try Self.script(#"{"rebookHotel": [409, 200]}"#)
        let (call, transport) = try await SimulationTestSupport.call(
            SimulationTestSupport.request(effect), effect: effect, responses: responses, startedAt: 0)
        #expect(call.attempts.count == 1)
        #expect(call.outcomes.map(\.type) == ["error"])
        #expect(call.outcomes[0].payload["status"] == 409)
        #expect(transport.remaining.queues["rebookHotel"] == [.status(200, body: nil)])
    }

    @Test func exhaustedServerErrorsGoThroughTheAnchor() async throws {
        // Retries exhausted on 5xx: the executor signs error(504), then the anchor routes once and fails too.
        let effect = try #require(try SimulationTestSupport.flightTicket().server.effect(named: "rebookHotel"))
        let responses = try Self.script(#"{"rebookHotel": [500, 502, 503, 504, 503]}"#)
        let (call, _) = try await SimulationTestSupport.call(
            SimulationTestSupport.request(effect), effect: effect, responses: responses, startedAt: 0)
        #expect(call.attempts.map(\.route) == ["executor", "executor", "executor", "executor", "anchor"])
        #expect(call.outcomes.map(\.type) == ["error", "failed"])
        #expect(call.outcomes[0].payload["status"] == 504)
    }

    @Test func unreachableFallsBackToTheAnchorWhichSucceeds() async throws {
        let effect = try #require(try SimulationTestSupport.flightTicket().server.effect(named: "rebookHotel"))
        let responses = try Self.script(
            #"{"rebookHotel": ["unreachable", "unreachable", "unreachable", "unreachable"]}"#)
        let (call, _) = try await SimulationTestSupport.call(
            SimulationTestSupport.request(effect), effect: effect, responses: responses, startedAt: 0)
        #expect(call.attempts.map(\.route) == ["executor", "executor", "executor", "executor", "anchor"])
        #expect(call.attempts.last?.scripted == false)
        #expect(call.outcomes.map(\.type) == ["error", "success"])
        #expect(call.outcomes[1].issuer == SimulationTestSupport.anchor.issuer)
    }

    @Test func prepareTrustsTheExecutorAndReplacesTheAnchorKey() throws {
        let server = Simulation.prepare(
            try SimulationTestSupport.flightTicket().server, executor: SimulationTestSupport.executor,
            anchor: SimulationTestSupport.anchor)
        let anchor = try #require(server.issuers.first { $0.name == "anchor" })
        #expect(anchor.key == SimulationTestSupport.anchor.issuer.key)
        let executor = try #require(server.issuers.first { $0.name == Simulation.executorIssuerName })
        #expect(executor.topics.map(\.text) == ["effect/rebookHotel", "schedule/*", "attribute/*", "action/*"])
        #expect(throws: Never.self) { try TokenDefinition(name: "x", server: server) }
    }

    @Test func responseNotationErrorsNameThePath() {
        #expect(throws: ScriptedResponse.Invalid.self) { try Self.script(#"{"rebookHotel": ["later"]}"#) }
        do {
            _ = try Self.script(#"{"rebookHotel": [{"status": 200, "bdy": 1}]}"#)
        } catch {
            #expect("\(error)".contains("responses.rebookHotel[0]"))
        }
    }
}
