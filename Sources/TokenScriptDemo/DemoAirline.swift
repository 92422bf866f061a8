import Foundation
import TokenScriptAttestation
import TokenScriptHTTPClient

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The demo airline: signs flight-status attestations in the wire form and posts them to a node's
/// `POST /v1/attestations`.
///
/// The payload is the flight ticket's: `{"flight", "departure", "delayMinutes", "gate"}` on topic
/// `flight-status/<flight>`, types `scheduled`, `delay`, `departed`. The flight ticket trusts the published demo
/// key (eip191, `TokenScripts/flight-ticket.tests/demo-airline.key`); an Ed25519 key works for a ticket whose
/// `sl:trust` names it.
public struct DemoAirline: Sendable {
    /// How the airline signs.
    public enum Key: Sendable {
        case eip191(EthereumAttestationSigner)
        case ed25519(Ed25519AttestationSigner)
    }

    /// The answer of a node to one post.
    public struct Delivery: Sendable {
        /// The HTTP status, nil when the node did not answer.
        public var status: Int?
        /// The body, or why there is none.
        public var body: String
    }

    public let key: Key

    public init(key: Key) {
        self.key = key
    }

    /// The published demo airline the flight ticket trusts: secp256k1 key 32 bytes of 0x11, eip191.
    public static func published() throws -> DemoAirline {
        DemoAirline(key: .eip191(try EthereumAttestationSigner(privateKey: Array(repeating: 0x11, count: 32))))
    }

    /// One signed flight-status attestation. The id names flight, type, delay and time, so a repeated report
    /// is the same attestation (a node drops it as a duplicate) and any new one differs.
    public func status(
        flight: String, type: String, departure: UInt64, delayMinutes: Int64 = 0, gate: String = "A12",
        issuedAt: UInt64
    ) throws -> Attestation {
        let payload: AttestationValue = [
            "flight": .string(flight), "departure": .integer(Int64(clamping: departure)),
            "delayMinutes": .integer(delayMinutes), "gate": .string(gate),
        ]
        let unsigned = Attestation(
            id: "\(flight.lowercased())-\(type)-\(delayMinutes)-\(issuedAt)", topic: "flight-status/\(flight)",
            type: type, issuer: .ed25519(publicKey: Array(repeating: 0, count: 32)), issuedAt: issuedAt,
            payload: payload)
        switch key {
        case .eip191(let signer): return try signer.sign(unsigned, scheme: .eip191)
        case .ed25519(let signer): return try signer.sign(unsigned)
        }
    }

    /// Posts `attestation` (its wire JSON) to `node` + `/v1/attestations`, within `deadline` seconds.
    public func publish(_ attestation: Attestation, to node: String, deadline: Double = 10) async -> Delivery {
        guard let url = URL(string: node + "/v1/attestations") else {
            return Delivery(status: nil, body: "not a URL: \(node)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(attestation.json.utf8)
        switch await BoundedHTTPSession().send(request, deadline: deadline, maximumBytes: 1 << 20) {
        case .response(let status, let body):
            return Delivery(status: status, body: String(decoding: body, as: UTF8.self))
        case .timedOut: return Delivery(status: nil, body: "no answer within \(deadline) s")
        case .oversized(let limit, _): return Delivery(status: nil, body: "answer over \(limit) bytes")
        case .failed(let failure): return Delivery(status: nil, body: failure.description)
        case .cancelled: return Delivery(status: nil, body: "cancelled")
        }
    }
}
