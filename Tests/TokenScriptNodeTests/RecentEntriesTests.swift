import Testing
import TokenScriptAttestation
import TokenScriptCluster

@testable import TokenScriptNode

/// The entries a node keeps so the apply loop need not ask the anchor again: by topic bytes and position, the
/// oldest dropped first.
@Suite("RecentEntries")
struct RecentEntriesTests {
    static func entry(_ topic: String, _ position: UInt64) -> LogEntry {
        let attestation = Attestation(
            id: "\(topic)#\(position)", topic: topic, type: "status",
            issuer: .ed25519(publicKey: Array(repeating: 7, count: 32)),
            issuedAt: 1_700_000_000, payload: .string("p"), signature: Array(repeating: 1, count: 64))
        return LogEntry(position: position, attestation: attestation, fence: nil)
    }

    @Test("kept by topic bytes and position; past capacity the oldest goes first")
    func keepsAndEvicts() {
        var recent = RecentEntries(capacity: 2)
        recent.remember(Self.entry("flight-status/LH400\u{E9}", 1))
        #expect(recent.entry(topic: "flight-status/LH400\u{E9}", position: 1) != nil)
        #expect(recent.entry(topic: "flight-status/LH400e\u{301}", position: 1) == nil, "another topic's bytes")
        recent.remember(Self.entry("t", 1))
        recent.remember(Self.entry("t", 1))
        recent.remember(Self.entry("t", 2))
        #expect(recent.entry(topic: "flight-status/LH400\u{E9}", position: 1) == nil, "the oldest went first")
        #expect(recent.entry(topic: "t", position: 1)?.attestation.id == "t#1")
        #expect(recent.entry(topic: "t", position: 2)?.attestation.id == "t#2")
    }
}
