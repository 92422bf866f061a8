import Foundation
import TokenScriptAttestation
import TokenScriptDocument
import TokenScriptEffects
import TokenScriptEgress
import TokenScriptEngine
import TokenScriptModel
import TokenScriptSandbox
import TokenScriptSimulation
import TokenScriptTesting
import TokenScriptCluster

/// Shared fixtures: one sandbox pool, the airline's test key and the flight ticket with it in place.
enum SimulationTestSupport {
    static let pool: SandboxPool = {
        do { return try SandboxPool(configuration: .init(size: 2)) } catch {
            fatalError("cannot start sandbox pool: \(error)")
        }
    }()

    /// The airline's EIP-191 key (fixed, so runs are reproducible).
    static let airline = try! EthereumAttestationSigner(privateKey: Array(repeating: 0x11, count: 32))
    static let executor = try! Ed25519AttestationSigner(seed: Simulation.defaultExecutorSeed)
    static let anchor = try! Ed25519AttestationSigner(seed: Simulation.defaultAnchorSeed)

    private static let probe = Attestation(
        id: "probe", topic: "probe", type: "probe", issuer: .ed25519(publicKey: Array(repeating: 0, count: 32)),
        issuedAt: 1,
        payload: .null)
    static var airlineIssuer: Issuer { try! airline.sign(probe, scheme: .eip191).issuer }

    /// `TokenScripts/flight-ticket.xml` with the airline issuer's key replaced by `airline`'s address, and every
    /// new ticket created for flight LH2024 (its triggers listen to `flight-status/${flight}`).
    static func flightTicketScript() throws -> TokenScript {
        let loaded = try TokenScriptReader.read(file: TestPaths.tokenScripts + "/flight-ticket.xml")
        precondition(!loaded.hasErrors, "\(loaded.diagnostics)")
        var script = loaded.tokenScript
        let index = script.server!.issuers.firstIndex { $0.name == "airline" }!
        script.server!.issuers[index].key = airlineIssuer.key
        let flight = script.server!.attributes.firstIndex { $0.name == "flight" }!
        script.server!.attributes[flight].initial = "LH2024"
        return script
    }

    static func flightTicket() throws -> TokenDefinition { try TokenDefinition(tokenScript: try flightTicketScript()) }

    /// A flight-status attestation signed by the airline.
    static func flightStatus(id: String, type: String, delay: Int64 = 0, issuedAt: UInt64 = 1_790_000_000) throws
        -> Attestation
    {
        let payload: AttestationValue = [
            "flight": "LH2024", "departure": 1_790_050_000, "delayMinutes": .integer(delay), "gate": "A12",
        ]
        return try airline.sign(
            Attestation(
                id: id, topic: "flight-status/LH2024", type: type, issuer: airlineIssuer, issuedAt: issuedAt,
                payload: payload),
            scheme: .eip191)
    }

    /// A built request of `effect` to `url`.
    static func request(_ effect: ServerEffect, url: String = "https://x.example") -> BuiltEffectRequest {
        BuiltEffectRequest(
            effect: effect.name, requestID: "t/1/\(effect.name)/1", method: effect.method.rawValue, url: url,
            headers: ["Idempotency-Key": "k"], body: nil, timeoutMilliseconds: effect.timeout.milliseconds,
            idempotencyKey: "k", idempotencyHeader: "Idempotency-Key")
    }

    /// One call on the live executor with scripted answers: what a scenario shows for it.
    struct Call {
        var attempts: [SimulatedAttempt]
        var outcomes: [Attestation]
        var refusal: String? { if case .refused(let reason)? = attempts.first?.response { reason } else { nil } }
    }

    static func call(
        _ request: BuiltEffectRequest, effect: ServerEffect, responses: ResponseScript, startedAt: UInt64,
        egress: EgressPolicy = .default
    ) async throws -> (call: Call, transport: ScriptedEffectTransport) {
        let clock = ManualClock()
        let transport = ScriptedEffectTransport(responses: responses, egress: egress, clock: clock)
        let leases = InMemoryLeaseAuthority()
        let lease = leases.acquire("t")
        let effects = EffectExecutor(
            transport: transport, leases: leases, sleeper: clock, clock: clock,
            anchor: LocalAnchoringNode(name: "anchor", signer: anchor, transport: transport, clock: clock))
        let outcome = try await effects.execute(request, of: effect, lease: lease, startedAt: startedAt) { _ in }
        let outcomes = try OutcomeAttestations.attestations(
            of: outcome, request: request, retry: effect.retry, startedAt: startedAt, signer: executor)
        let attempts = SimulatedAttempt.attempts(of: outcome, answers: transport.answers(for: request.requestID))
        return (Call(attempts: attempts, outcomes: outcomes), transport)
    }
}
