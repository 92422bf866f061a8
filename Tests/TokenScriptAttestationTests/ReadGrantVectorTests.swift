import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptTesting

/// Grants signed by independent code (eth-account, pycryptodome: `scripts/grant-vectors/generate.py`) verify
/// here, and ours are byte-identical to them: the canonical bytes, `personal_sign` and the EIP-712 `ReadGrant`
/// digest (with its `string[]`) agree with what a wallet signs.
@Suite("Read grants: independent test vectors")
struct ReadGrantVectorTests {
    struct Vectors: Decodable {
        struct Vector: Decodable {
            var scheme: String
            var json: String
        }
        var vectors: [Vector]
    }

    static func vectors() throws -> [Vectors.Vector] {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixtures + "/grant-vectors/vectors.json"))
        return try JSONDecoder().decode(Vectors.self, from: data).vectors
    }

    @Test("each vector verifies, and signing the same grant here gives the same line")
    func vectors() throws {
        let vectors = try Self.vectors()
        #expect(vectors.map(\.scheme) == ReadGrantFixture.schemes)
        for vector in vectors {
            let grant = try ReadGrant(json: vector.json)
            let request = ReadGrantRequest(
                instance: "ticket-LH2024-12A", interface: "seatMap",
                currentHolder: ReadGrantFixture.holder(vector.scheme),
                now: 1_790_000_100)
            #expect(ReadGrantVerifier.verify(grant, for: request).isAccepted, "\(vector.scheme)")
            let ours = try ReadGrantFixture.signed(
                vector.scheme, ReadGrantFixture.unsigned(interfaces: ["flightStatus", "seatMap"]))
            #expect(ours.json == vector.json, "\(vector.scheme)")
        }
    }
}
