import Testing
import TokenScriptAttestation
import TokenScriptCommands
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptJSON
import TokenScriptRuntime
import TokenScriptSQLite
import TokenScriptTesting

@testable import TokenScriptNode

/// Interface answers cached by (instance, journal position, interface, argument bytes), over a real SQLite
/// store, real sandbox workers and real signatures.
@Suite("Interface answers cached on the node")
struct InterfaceAnswerCacheTests {
    /// A host with ticket-1 (flight LH2024, held by the fixture's holder) created on it.
    static func hostWithTicket(in directory: TemporaryDirectory) async throws -> InstanceHost {
        let host = try host(in: directory)
        _ = try await host.create(
            script: "flight-ticket", id: "ticket-1", attributes: ["flight": .string("LH2024")],
            holder: HostingFixture.holder.issuer.key)
        return host
    }

    static func host(in directory: TemporaryDirectory) throws -> InstanceHost {
        let clock = ManualClock(unixSeconds: HostingFixture.now)
        let store = try SQLiteStore(path: directory.path + "/node.sqlite", clock: clock)
        let scripts = try NodeScripts.load([HostingFixture.scriptPath], nodeKey: HostingFixture.node.issuer.key)
        return try InstanceHost(
            scripts: scripts, store: SQLiteNodeStore(store), log: SQLiteAttestationLog(store: store),
            election: SQLiteLeaseAuthority(store: store), nodeName: "n1", signerSeed: HostingFixture.nodeSeed,
            runtime: HostingFixture.pool, effectTransport: RefusingEffectTransport(), clock: clock,
            logger: HostingFixture.logger)
    }

    /// What the interface answers when run directly on the host's current instance, without any cache.
    static func uncached(_ host: InstanceHost, _ id: String) async throws -> SandboxValue {
        let entry = try #require(await host.hosted[id])
        return try await InterfaceQuery.run(
            "flightStatus", args: .object([:]), instance: await entry.instance.instance,
            definition: entry.script.definition, runtime: HostingFixture.pool)
    }

    @Test("a cached answer equals the uncached one, is served again at the same position, and changes after a step")
    func cachedAnswerFollowsPosition() async throws {
        let directory = try TemporaryDirectory()
        let host = try await Self.hostWithTicket(in: directory)
        let grant = try HostingFixture.grant("ticket-1", interfaces: ["flightStatus"])
        func ask() async throws -> InterfaceAnswer {
            try await host.query(
                "ticket-1", interface: "flightStatus", arguments: .object([:]), grant: grant, grantee: nil)
        }
        let first = try await ask()
        #expect(await host.cachedInterfaceAnswerCount == 1)
        #expect(first.result == (try await Self.uncached(host, "ticket-1")))
        #expect(first.position == 0)
        let again = try await ask()
        #expect(again == first)
        #expect(await host.cachedInterfaceAnswerCount == 1)

        let statuses = try HostingFixture.statuses()
        _ = try await host.submit(try Attestation(json: statuses[0]))
        try await HostingFixture.settle(host, "ticket-1", at: 1)
        let after = try await ask()
        #expect(after.position == 1)
        #expect(after.stateHash != first.stateHash)
        #expect(after.result != first.result)
        #expect(after.result[JSONKey("state")] == .string("active"))
        #expect(after.result == (try await Self.uncached(host, "ticket-1")))
        #expect(await host.cachedInterfaceAnswerCount == 2)
    }

    @Test("a refused grant is refused even when the answer is cached")
    func grantCheckedOnEveryCall() async throws {
        let directory = try TemporaryDirectory()
        let host = try await Self.hostWithTicket(in: directory)
        let grant = try HostingFixture.grant("ticket-1", interfaces: ["flightStatus"])
        _ = try await host.query(
            "ticket-1", interface: "flightStatus", arguments: .object([:]), grant: grant, grantee: nil)
        let strangers = try HostingFixture.grant("ticket-1", interfaces: ["flightStatus"], by: HostingFixture.stranger)
        let refusal = await #expect(throws: HostError.self) {
            try await host.query(
                "ticket-1", interface: "flightStatus", arguments: .object([:]), grant: strangers, grantee: nil)
        }
        #expect(refusal?.kind == .forbidden)
    }

    @Test("keys compare bytes: canonically equivalent texts are different keys")
    func keysCompareBytes() {
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        #expect(composed == decomposed)
        var cache = InterfaceAnswerCache(capacity: 4)
        let answer = InterfaceAnswer(result: .string("composed"), stateHash: "h", position: 3, scriptHash: "s")
        cache.insert(answer, for: InterfaceCacheKey(instance: composed, position: 3, interface: "i", arguments: []))
        #expect(cache.answer(for: .init(instance: decomposed, position: 3, interface: "i", arguments: [])) == nil)
        #expect(cache.answer(for: .init(instance: "t", position: 3, interface: decomposed, arguments: [])) == nil)
        #expect(cache.answer(for: .init(instance: composed, position: 4, interface: "i", arguments: [])) == nil)
        #expect(cache.answer(for: .init(instance: composed, position: 3, interface: "i", arguments: [])) == answer)
    }

    @Test("the cache holds at most its capacity, dropping the oldest answer first")
    func boundedOldestFirst() {
        var cache = InterfaceAnswerCache(capacity: 3)
        func key(_ position: UInt64) -> InterfaceCacheKey {
            InterfaceCacheKey(instance: "t", position: position, interface: "i", arguments: Array("{}".utf8))
        }
        for position in UInt64(1)...5 {
            cache.insert(
                InterfaceAnswer(result: .int(Int64(position)), stateHash: "h", position: position, scriptHash: "s"),
                for: key(position))
        }
        #expect(cache.count == 3)
        #expect(cache.answer(for: key(1)) == nil)
        #expect(cache.answer(for: key(2)) == nil)
        #expect(cache.answer(for: key(5))?.result == .int(5))
        #expect(cache.answer(for: key(3))?.result == .int(3))
    }
}
