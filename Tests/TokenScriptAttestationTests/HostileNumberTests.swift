import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptTesting

/// Issue 8, class 1: hostile numbers in wire attestations (`Fixtures/hostile-numbers/attestations/`) are
/// errors naming the field, read before any signature is checked, and leave the reader working.
@Suite("Hostile numbers in wire attestations")
struct HostileNumberTests {
    static let directory = TestPaths.fixtures + "/hostile-numbers/attestations/"

    @Test(
        "each hostile number is an out-of-range error naming its field",
        arguments: [
            (
                "issuedAt = -2^63 (abs(Int64.min) used to trap)", "issuedAt-int64-min.jsonl", "issuedAt",
                "integer beyond ±(2^53 − 1)"
            ),
            ("issuedAt = -1", "issuedAt-negative.jsonl", "issuedAt", "-1 is out of range (0…9007199254740991)"),
            ("issuedAt = 2^63", "issuedAt-2-pow-63.jsonl", "issuedAt", "integer beyond the 64-bit range"),
            ("issuedAt = 2^53", "issuedAt-2-pow-53.jsonl", "issuedAt", "integer beyond ±(2^53 − 1)"),
            ("expiresAt = -2^63", "expiresAt-int64-min.jsonl", "expiresAt", "integer beyond ±(2^53 − 1)"),
            ("payload integer -2^63", "payload-int64-min.jsonl", "payload.amount", "integer beyond ±(2^53 − 1)"),
            ("payload integer 10^26", "payload-huge.jsonl", "payload.amount", "integer beyond the 64-bit range"),
        ] as [(String, String, String, String)])
    func hostile(label: String, file: String, field: String, message: String) throws {
        let line = try String(contentsOfFile: Self.directory + file, encoding: .utf8).trimmingCharacters(in: .newlines)
        do {
            _ = try Attestation(json: line)
            Issue.record("\(label): accepted")
        } catch {
            #expect(error.field == field, "\(label): \(error)")
            #expect(error.description.contains(message), "\(label): \(error)")
        }
        // The next read is unaffected: the same line with a sane number parses.
        let sane =
            line
            .replacingOccurrences(
                of: #"("issuedAt":|"amount":)-?[0-9]+"#, with: "$11790000000", options: .regularExpression
            )
            .replacingOccurrences(of: #"("expiresAt":)-?[0-9]+"#, with: "$11790000600", options: .regularExpression)
        #expect((try? Attestation(json: sane)) != nil, "\(label): \(sane)")
    }
}
