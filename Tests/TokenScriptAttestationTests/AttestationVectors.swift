import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptEthereum
import TokenScriptModel
import TokenScriptTesting

/// `Fixtures/attestation-vectors/vectors.json`, signed by eth-account and pycryptodome
/// (`scripts/attestation-vectors/generate.py`).
enum AttestationVectors {
    // Read-only after loading; JSONSerialization's output is not Sendable.
    nonisolated(unsafe) static let document: [String: Any] = {
        let path = TestPaths.fixtures + "/attestation-vectors/vectors.json"
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { fatalError("missing or unreadable \(path); run scripts/attestation-vectors/generate.py") }
        return object
    }()

    static var now: UInt64 { (document["now"] as! NSNumber).uint64Value }

    static func key(_ name: String, _ field: String) -> String {
        ((document["keys"] as! [String: Any])[name] as! [String: Any])[field] as! String
    }

    static var trust: TrustConfiguration {
        let grants = (document["trust"] as! [[String: Any]]).map { entry in
            TrustConfiguration.Grant(
                issuer: Issuer(
                    scheme: SignatureScheme(rawValue: entry["scheme"] as! String)!,
                    key: entry["key"] as! String)!,
                topics: (entry["topics"] as! [String]).map { TopicPattern(wellFormed: $0)! })
        }
        return TrustConfiguration(grants: grants)
    }
}

/// One signed or tampered attestation and what the verifier must say about it.
struct AttestationVector: CustomTestStringConvertible, Sendable {
    let name: String
    let wire: String
    let expected: [String: String]
    let signingBytes: String
    let digest: String?
    let uid: String?

    var testDescription: String { name }
    var isAccepted: Bool { expected["result"] == "accepted" }

    static let all: [AttestationVector] = (AttestationVectors.document["cases"] as! [[String: Any]]).map { entry in
        AttestationVector(
            name: entry["name"] as! String, wire: entry["wire"] as! String,
            expected: (entry["expected"] as! [String: String]), signingBytes: entry["signingBytes"] as! String,
            digest: entry["digest"] as? String, uid: entry["uid"] as? String)
    }

    static var accepted: [AttestationVector] { all.filter(\.isAccepted) }
    /// Accepted ECDSA vectors whose `v` is 27 or 28, the form `EthereumAttestationSigner` writes, so signing
    /// them again in Swift must give the same bytes (the others use v = 0/1 or are Ed25519).
    static var reSignable: [AttestationVector] {
        accepted.filter { vector in
            guard let attestation = try? Attestation(json: vector.wire) else { return true }  // then the test fails
            return attestation.issuer.scheme != .ed25519 && (attestation.signature.last ?? 0) >= 27
        }
    }
}
