import Foundation
import TokenScriptAttestation
import TokenScriptDocument
import TokenScriptEngine
import TokenScriptModel
import TokenScriptRuntime
import TokenScriptSandbox
import TokenScriptTesting

/// Shared fixtures: one sandbox pool (real seccomp-confined workers, found next to the test runner),
/// fixed signing keys, and the two TokenScripts with their issuer keys replaced by the test keys.
enum EngineTestSupport {
    static let pool: SandboxPool = {
        do { return try SandboxPool(configuration: .init(size: 2)) } catch {
            fatalError("cannot start sandbox pool: \(error)")
        }
    }()

    /// The airline's EIP-191 key (fixed, so runs are reproducible).
    static let airline = TestKeys.airline
    /// Someone else's key: signs well, but is trusted for nothing.
    static let stranger = TestKeys.ethereumStranger
    /// The meter of the counter fixture (Ed25519).
    static let meter = TestKeys.ed25519(0x33)

    static var airlineIssuer: Issuer { try! airline.sign(probe, scheme: .eip191).issuer }
    private static let probe = Attestation(
        id: "probe", topic: "probe", type: "probe", issuer: .ed25519(publicKey: Array(repeating: 0, count: 32)),
        issuedAt: 1, payload: .null)

    static func load(_ path: String) throws -> TokenScript {
        let loaded = try TokenScriptReader.read(file: path)
        precondition(!loaded.hasErrors, "\(path): \(loaded.diagnostics)")
        return loaded.tokenScript
    }

    /// `TokenScripts/flight-ticket.xml` with the airline issuer's key replaced by `airline`'s address, and every
    /// new ticket created for flight LH2024 (its triggers listen to `flight-status/${flight}`).
    static func flightTicket() throws -> TokenDefinition {
        var script = try load(TestPaths.tokenScripts + "/flight-ticket.xml")
        let index = script.server!.issuers.firstIndex { $0.name == "airline" }!
        script.server!.issuers[index].key = airlineIssuer.key
        let flight = script.server!.attributes.firstIndex { $0.name == "flight" }!
        script.server!.attributes[flight].initial = "LH2024"
        return try TokenDefinition(tokenScript: script)
    }

    /// `Fixtures/engine/counter.xml` with the meter's key replaced by `meter`'s public key.
    static func counterScript() throws -> TokenScript {
        var script = try load(TestPaths.fixtures + "/engine/counter.xml")
        script.server!.issuers[0].key = meter.issuer.key
        return script
    }

    static func counter() throws -> TokenDefinition { try TokenDefinition(tokenScript: try counterScript()) }

    /// A flight-status attestation signed by `signer` (the airline unless said otherwise).
    static func flightStatus(
        id: String, type: String, delay: Int64 = 0, issuedAt: UInt64 = 1_790_000_000, expiresAt: UInt64? = nil,
        signer: EthereumAttestationSigner = airline
    ) throws -> Attestation {
        let payload: AttestationValue = [
            "flight": "LH2024", "departure": 1_790_050_000, "delayMinutes": .integer(delay), "gate": "A12",
        ]
        // The issuer is replaced by the signer's own when signing.
        let unsigned = Attestation(
            id: id, topic: "flight-status/LH2024", type: type, issuer: airlineIssuer, issuedAt: issuedAt,
            expiresAt: expiresAt, payload: payload)
        return try signer.sign(unsigned, scheme: .eip191)
    }

    /// A counter tick number `n`, signed by the meter.
    static func tick(_ n: Int, type: String = "tick") throws -> Attestation {
        let bag: AttestationValue = .object(
            Dictionary(uniqueKeysWithValues: (0..<8).map { ("k\(($0 * 7 + n) % 13)", .integer(Int64($0))) }))
        return try meter.sign(
            Attestation(
                id: "tick-\(n)", topic: "meter/main", type: type, issuer: meter.issuer,
                issuedAt: 1_790_000_000 + UInt64(n),
                payload: ["amount": .integer(Int64(n % 17)), "bag": bag]))
    }
}
