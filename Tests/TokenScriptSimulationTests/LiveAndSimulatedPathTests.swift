import Testing
import TokenScriptAttestation
import TokenScriptEffects
import TokenScriptEgress
import TokenScriptEngine
import TokenScriptExecutor
import TokenScriptSandbox
import TokenScriptSimulation
import TokenScriptTesting
import TokenScriptRuntime
import TokenScriptCluster

/// One effect path: the live coordinator over a real loopback HTTP server and the simulation over a
/// `ResponseScript` get the same answers and must write the same journal, byte for byte, with the same
/// signed outcome attestations.
@Suite(.serialized) struct LiveAndSimulatedPathTests {
    struct Answers: Sendable, CustomTestStringConvertible {
        var label: String
        /// Status and body (empty: none), in the order the attempts get them (the anchor's included).
        var replies: [(status: Int, body: String)]
        var outcomes: [String]
        var testDescription: String { label }
    }

    static let cases: [Answers] = [
        Answers(
            label: "503, 503, then 200 with a body",
            replies: [(503, ""), (503, ""), (200, #"{"created":true,"id":"booking-1"}"#)],
            outcomes: ["success"]),
        Answers(label: "a final 4xx", replies: [(404, #"{"error":"no such flight"}"#)], outcomes: ["error"]),
        Answers(
            label: "retries exhausted, the anchor fails too", replies: Array(repeating: (503, ""), count: 5),
            outcomes: ["error", "failed"]),
        Answers(
            label: "retries exhausted, the anchor gets through",
            replies: Array(repeating: (503, #"{"busy":true}"#), count: 4) + [
                (201, #"{"created":true,"id":"booking-9"}"#)
            ],
            outcomes: ["error", "success"]),
    ]

    static let egress = try! EgressPolicy.allowing(["127.0.0.1/32"], plainHTTP: true)
    static let start: UInt64 = 1_790_000_000

    static func inputs() throws -> [Attestation] {
        [
            try SimulationTestSupport.flightStatus(id: "s1", type: "scheduled", issuedAt: start),
            try SimulationTestSupport.flightStatus(id: "d1", type: "delay", delay: 400, issuedAt: start + 60),
        ]
    }

    @Test("the live and the simulated path journal the same steps from the same answers", arguments: cases)
    func sameJournal(_ answers: Answers) async throws {
        let server = try ScriptedHTTPServer(
            replies: answers.replies.map { .status($0.status, contentType: "application/json", body: $0.body) })
        let script = try SimulationTestSupport.flightTicketScript()
        let executorKey = SimulationTestSupport.executor
        let anchorKey = SimulationTestSupport.anchor
        let definition = try TokenDefinition(
            name: script.name ?? "",
            server: Simulation.prepare(script.server!, executor: executorKey, anchor: anchorKey))
        let environment = (script).environment(
            overrides: ["hotelApi": "http://127.0.0.1:\(server.port)"])
        let pool = SimulationTestSupport.pool

        // Live: the real transport to the loopback server; only the backoff waits go to a manual clock.
        let clock = ManualClock()
        let leases = InMemoryLeaseAuthority()
        let http = HTTPEffectTransport(policy: Self.egress)
        let executor = EffectExecutor(
            transport: http, leases: leases, sleeper: clock, clock: clock,
            anchor: LocalAnchoringNode(name: "anchor", signer: anchorKey, transport: http, clock: clock))
        let live = JournaledInstance(
            machine: TokenStateMachine(definition: definition, runtime: pool), instanceID: "ticket-1")
        let coordinator = await EffectCoordinator(
            instance: live, identity: executorKey, lease: leases.acquire("ticket-1"), executor: executor,
            environment: environment, runtime: pool)
        var liveOutcomes: [Attestation] = []
        for input in try Self.inputs() {
            let report = try await coordinator.deliver(input, now: input.issuedAt)
            liveOutcomes += report.effects.flatMap(\.outcomeAttestations)
        }

        // Simulated: the same answers, scripted.
        var responses = ResponseScript()
        for (status, body) in answers.replies {
            let notation: SandboxValue =
                body.isEmpty
                ? .int(Int64(status))
                : .object(["status": .int(Int64(status)), "body": try SandboxValue.parseJSON(body)])
            try responses.append(notation: .object(["rebookHotel": .array([notation])]), path: "responses")
        }
        var simulation = await Simulation(
            definition: definition, runtime: pool, environment: environment, executor: executorKey, anchor: anchorKey,
            egress: Self.egress, responses: responses, instance: definition.newInstance(id: "ticket-1"))
        var simulatedOutcomes: [Attestation] = []
        for input in try Self.inputs() {
            let deliveries = try await simulation.deliver(input, now: input.issuedAt)
            simulatedOutcomes += deliveries.flatMap(\.calls).flatMap(\.outcomes)
        }

        #expect(server.requestCount == answers.replies.count)
        #expect(liveOutcomes.map(\.type) == answers.outcomes)
        #expect(simulatedOutcomes == liveOutcomes)
        let liveLines = try await live.journal().lines
        let simulatedLines = try await simulation.journal.lines
        #expect(liveLines.count == 3 + answers.outcomes.count)
        #expect(simulatedLines == liveLines)
        #expect(clock.waits == [2_000, 4_000, 8_000].prefix(max(0, min(answers.replies.count, 4) - 1)).map { $0 })
    }
}
