import Testing
import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptRuntime
import TokenScriptSQLite
import TokenScriptTesting

@testable import TokenScriptNode

/// Read grants kept once their signature was checked, keyed by their exact bytes, instance and grantee: over a
/// real SQLite store, real sandbox workers and real Ed25519 signatures; only the clock is a fake.
@Suite("Verified read grants kept on the node")
struct VerifiedGrantCacheTests {
    static let grantee = "car-rental.example"

    /// A host over a fresh store with the tickets `ids` created, and its clock.
    static func host(_ directory: TemporaryDirectory, tickets ids: [String]) async throws -> (InstanceHost, ManualClock)
    {
        let clock = ManualClock(unixSeconds: HostingFixture.now)
        let store = try SQLiteStore(path: directory.path + "/node.sqlite", clock: clock)
        let host = try HostingFixture.host(store: store, clock: clock)
        for id in ids {
            _ = try await host.create(
                script: "flight-ticket", id: id, attributes: ["flight": .string("LH2024")],
                holder: HostingFixture.holder.issuer.key)
        }
        return (host, clock)
    }

    static func ask(
        _ host: InstanceHost, _ id: String, interface: String = "flightStatus", grant: String,
        grantee: String? = grantee
    ) async throws(HostError) -> InterfaceAnswer {
        try await host.query(id, interface: interface, arguments: .object([:]), grant: grant, grantee: grantee)
    }

    /// The refusal's code, or nil when the read went through.
    static func refusal(_ read: () async throws -> Void) async -> String? {
        do {
            try await read()
            return nil
        } catch {
            let refused = error as? HostError
            #expect(refused?.kind == .forbidden)
            return refused?.code ?? "\(error)"
        }
    }

    @Test("a repeated read with the same grant skips the signature check and answers the same")
    func repeatedReadHits() async throws {
        let directory = try TemporaryDirectory()
        let (host, _) = try await Self.host(directory, tickets: ["ticket-1"])
        let grant = try HostingFixture.grant("ticket-1", interfaces: ["flightStatus"])
        let first = try await Self.ask(host, "ticket-1", grant: grant)
        #expect(await host.verifiedGrantStatistics.count == 1)
        #expect(await host.verifiedGrantStatistics.hits == 0)
        let second = try await Self.ask(host, "ticket-1", grant: grant)
        #expect(second == first)
        #expect(await host.verifiedGrantStatistics.count == 1)
        #expect(await host.verifiedGrantStatistics.hits == 1)
    }

    @Test("a kept grant is not reused for another grantee, another instance or an interface it does not grant")
    func scopeCheckedOnEveryRead() async throws {
        let directory = try TemporaryDirectory()
        let (host, _) = try await Self.host(directory, tickets: ["ticket-1", "ticket-2"])
        let grant = try HostingFixture.grant("ticket-1", interfaces: ["flightStatus"])
        _ = try await Self.ask(host, "ticket-1", grant: grant)
        _ = try await Self.ask(host, "ticket-1", grant: grant)
        #expect(await host.verifiedGrantStatistics.hits == 1)

        #expect(await Self.refusal { _ = try await Self.ask(host, "ticket-2", grant: grant) } == "wrong-instance")
        #expect(
            await Self.refusal { _ = try await Self.ask(host, "ticket-1", grant: grant, grantee: "other.example") }
                == "wrong-grantee")
        #expect(
            await Self.refusal { _ = try await Self.ask(host, "ticket-1", interface: "seatMap", grant: grant) }
                == "interface-not-granted")
        #expect(
            await Self.refusal { _ = try await host.read("ticket-1", grant: grant, grantee: Self.grantee) }
                == "interface-not-granted")
        // The kept grant still serves the read it was given for, and nothing refused was kept.
        _ = try await Self.ask(host, "ticket-1", grant: grant)
        #expect(await host.verifiedGrantStatistics.count == 1)
    }

    @Test("a kept grant is refused once it expired, and dropped")
    func expiredGrantRefused() async throws {
        let directory = try TemporaryDirectory()
        let (host, clock) = try await Self.host(directory, tickets: ["ticket-1"])
        let grant = try HostingFixture.grant(
            "ticket-1", interfaces: ["flightStatus"], expiresAt: HostingFixture.now + 60)
        _ = try await Self.ask(host, "ticket-1", grant: grant)
        #expect(await host.verifiedGrantStatistics.count == 1)
        clock.advance(milliseconds: 59_000)
        _ = try await Self.ask(host, "ticket-1", grant: grant)
        #expect(await host.verifiedGrantStatistics.hits == 1)
        clock.advance(milliseconds: 1_000)
        #expect(await Self.refusal { _ = try await Self.ask(host, "ticket-1", grant: grant) } == "expired")
        #expect(await host.verifiedGrantStatistics.count == 0)
        #expect(await host.verifiedGrantStatistics.hits == 1)
    }

    @Test("a forged grant with the kept grant's body and another signature is refused")
    func forgedSignatureRefused() async throws {
        let directory = try TemporaryDirectory()
        let (host, _) = try await Self.host(directory, tickets: ["ticket-1"])
        let grant = try HostingFixture.grant("ticket-1", interfaces: ["flightStatus"])
        _ = try await Self.ask(host, "ticket-1", grant: grant)
        var forged = try ReadGrant(json: grant)
        forged.signature[0] ^= 0x01
        #expect(await Self.refusal { _ = try await Self.ask(host, "ticket-1", grant: forged.json) } == "bad-signature")
        // The same content re-spaced is other bytes: verified again (and valid), kept as a second entry.
        let respaced = String(grant.flatMap { $0 == "," ? [",", " "] : [$0] })
        #expect(respaced != grant)
        _ = try await Self.ask(host, "ticket-1", grant: respaced)
        #expect(await host.verifiedGrantStatistics.count == 2)
        #expect(await host.verifiedGrantStatistics.hits == 0)
    }

    @Test("the cache keeps at most its capacity and its byte bound, dropping the oldest first")
    func bounded() throws {
        let text = try HostingFixture.grant("ticket-1", interfaces: ["flightStatus"])
        let signed = try ReadGrantVerifier.signed(json: text).get()
        let now = HostingFixture.now
        func key(_ index: Int) -> GrantCacheKey {
            GrantCacheKey(grant: "grant-\(index)", instance: "ticket-1", grantee: Self.grantee)
        }
        var cache = VerifiedGrantCache(capacity: 3, maximumBytes: 1 << 20)
        for index in 1...5 { cache.insert(signed, for: key(index), now: now) }
        #expect(cache.count == 3)
        let (first, second, fifth) = (
            cache.grant(for: key(1), now: now), cache.grant(for: key(2), now: now), cache.grant(for: key(5), now: now)
        )
        #expect(first == nil)
        #expect(second == nil)
        #expect(fifth == signed)

        let size = key(1).size
        var small = VerifiedGrantCache(capacity: 100, maximumBytes: size * 2)
        for index in 1...4 { small.insert(signed, for: key(index), now: now) }
        #expect(small.count == 2)
        #expect(small.bytes == size * 2)
        let (kept, dropped) = (small.grant(for: key(3), now: now), small.grant(for: key(2), now: now))
        #expect(kept == signed)
        #expect(dropped == nil)

        var expired = VerifiedGrantCache(capacity: 3, maximumBytes: 1 << 20)
        expired.insert(signed, for: key(1), now: signed.grant.expiresAt)
        #expect(expired.count == 0)
    }
}
