import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptDemo
import TokenScriptDocument
import TokenScriptEngine
import TokenScriptTesting

/// The demo airline's attestations against the flight ticket's own `sl:trust`, read from
/// `TokenScripts/flight-ticket.xml`, with TokenScriptAttestation's verifier.
@Suite("the demo airline")
struct DemoAirlineTests {
    static func flightTicketTrust() throws -> TrustConfiguration {
        let loaded = try TokenScriptReader.read(file: TestPaths.tokenScripts + "/flight-ticket.xml")
        #expect(!loaded.hasErrors)
        return try TokenDefinition(tokenScript: loaded.tokenScript).trust
    }

    @Test("the published airline's scheduled, delay and departed reports verify against the flight ticket's trust")
    func attestationsVerify() throws {
        let trust = try Self.flightTicketTrust()
        let airline = try DemoAirline.published()
        var seen = SeenAttestations()
        for (type, delay) in [("scheduled", Int64(0)), ("delay", 200), ("delay", 400), ("departed", 400)] {
            let attestation = try airline.status(
                flight: "LH400", type: type, departure: 1_790_050_000, delayMinutes: delay, issuedAt: 1_790_000_000)
            #expect(attestation.topic == "flight-status/LH400")
            #expect(attestation.payload["delayMinutes"] == .integer(delay))
            // The wire form a node reads is the same attestation.
            let wire = try Attestation(json: attestation.json)
            #expect(wire == attestation)
            let verified = try AttestationVerifier.verify(wire, trust: trust, now: 1_790_000_010, seen: seen).get()
            seen.record(verified)
        }
        #expect(seen.count == 4)
    }

    @Test("an airline with another key is refused by the flight ticket as untrusted, not as a forgery")
    func otherKeyIsUntrusted() throws {
        let trust = try Self.flightTicketTrust()
        let stranger = DemoAirline(key: .ed25519(TestKeys.ed25519(0x33)))
        let attestation = try stranger.status(
            flight: "LH400", type: "delay", departure: 1_790_050_000, delayMinutes: 400, issuedAt: 1_790_000_000)
        let result = AttestationVerifier.verify(attestation, trust: trust, now: 1_790_000_010, seen: SeenAttestations())
        #expect(throws: AttestationRejection.self) { try result.get() }
        if case .failure(let rejection) = result {
            #expect(rejection.reason == .untrustedIssuer(topic: "flight-status/LH400"))
        }
    }

    @Test("publish posts the wire JSON to the node and reports its answer, or why there is none")
    func publishPostsTheWireForm() async throws {
        let node = try ScriptedHTTPServer { _ in .json("{\"status\":\"ok\",\"position\":1}") }
        let airline = try DemoAirline.published()
        let attestation = try airline.status(
            flight: "LH400", type: "scheduled", departure: 1_790_050_000, issuedAt: 1_790_000_000)
        let delivery = await airline.publish(attestation, to: "http://127.0.0.1:\(node.port)")
        #expect(delivery.status == 200)
        #expect(delivery.body == "{\"status\":\"ok\",\"position\":1}")
        let received = try #require(node.requests.first)
        #expect(try Attestation(json: received.body) == attestation)

        let closed = await airline.publish(attestation, to: "http://127.0.0.1:1", deadline: 2)
        #expect(closed.status == nil)
        #expect(!closed.body.isEmpty)
    }
}
