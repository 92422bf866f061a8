import Testing
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptClusterConformance

/// The anchor's log takes the network's own records only from their author: `anchor/…` from nobody over
/// HTTP, `inbox/`, `instance/`, `instances` and `order/` only signed by the appending node's key.
@Suite("Anchor log: who may write which topic")
struct AnchorTopicAuthorsTests {
    @Test("an append to anchor/nodes is 403 reserved-topic and the membership record is untouched")
    func anchorTopicsAreReserved() async throws {
        try await AnchorFixture.with { fixture in
            let node = try await fixture.join("node-1")
            let head = try await fixture.anchor.log.head(of: "anchor/nodes")
            let forged = try fixture.signed(
                AttestationLogConformance.attestation("rebind-node-2", topic: "anchor/nodes", type: "node-registered"),
                by: "node-1")
            let refused = await #expect(throws: AnchorClientError.self) {
                _ = try await node.log.append(forged, fencedBy: nil)
            }
            #expect(refused?.status == 403)
            #expect(refused?.code == "reserved-topic")
            #expect(try await fixture.anchor.log.head(of: "anchor/nodes") == head)
        }
    }

    @Test(
        "a node's record signed by another key, or with a broken signature, is 403 and not logged",
        arguments: ["inbox/ticket-1", "instance/ticket-1", "instances"])
    func nodeRecordsAreTheAppendersOwn(_ topic: String) async throws {
        try await AnchorFixture.with { fixture in
            let node = try await fixture.join("node-1")
            try await fixture.join("node-2")
            let record = AttestationLogConformance.attestation("r-1", topic: topic)
            let notMine = await #expect(throws: AnchorClientError.self) {
                _ = try await node.log.append(try fixture.signed(record, by: "node-2"), fencedBy: nil)
            }
            #expect(notMine?.code == "not-the-signer")
            var broken = try fixture.signed(record, by: "node-1")
            broken.signature[0] ^= 1
            let forged = await #expect(throws: AnchorClientError.self) {
                _ = try await node.log.append(broken, fencedBy: nil)
            }
            #expect(forged?.code == "bad-signature")
            #expect(try await fixture.anchor.log.head(of: topic) == 0)

            let mine = try await node.log.append(try fixture.signed(record, by: "node-1"), fencedBy: nil)
            #expect(mine.entry.position == 1)
        }
    }

    @Test("an outside attestation (an airline's) relayed by a node is logged as it is")
    func outsideTopicsAreRelayed() async throws {
        try await AnchorFixture.with { fixture in
            let node = try await fixture.join("node-1")
            let airline = AttestationLogConformance.attestation("lh400-delay", topic: "flight-status/LH400")
            #expect(try await node.log.append(airline, fencedBy: nil).entry.position == 1)
        }
    }
}
