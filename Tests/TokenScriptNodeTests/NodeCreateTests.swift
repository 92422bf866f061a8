import Testing
import TokenScriptAttestation
import TokenScriptCommands
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptNode
import TokenScriptSQLite
import TokenScriptTesting

/// Creating instances under contention: one id is created once, whoever asks at the same time, and derived ids
/// never collide.
@Suite("Creating instances concurrently")
struct NodeCreateTests {
    /// Two hosts over one SQLite file: two nodes sharing a log, as the network's nodes share the anchor's.
    static func hosts(_ directory: TemporaryDirectory, count: Int) throws -> [InstanceHost] {
        let clock = ManualClock(unixSeconds: HostingFixture.now)
        return try (1...count).map { index in
            let store = try SQLiteStore(path: directory.path + "/node.sqlite", clock: clock)
            return try HostingFixture.host(store: store, clock: clock, name: "n\(index)")
        }
    }

    /// Creates ticket-1 on `host`; nil when created, else the refusal.
    static func create(_ host: InstanceHost, id: String? = "ticket-1") async -> HostError? {
        do {
            _ = try await host.create(
                script: "flight-ticket", id: id, attributes: ["flight": .string("LH2024")],
                holder: HostingFixture.holder.issuer.key)
            return nil
        } catch {
            return error
        }
    }

    @Test("eight concurrent creates of one id on one node: one is created, seven are 409 instance-exists, none 500")
    func concurrentOnOneNode() async throws {
        let directory = try TemporaryDirectory()
        let host = try Self.hosts(directory, count: 1)[0]
        let results = await withTaskGroup(of: HostError?.self) { group in
            for _ in 1...8 { group.addTask { await Self.create(host) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter { $0 == nil }.count == 1)
        let refusals = results.compactMap { $0 }
        #expect(refusals.count == 7)
        #expect(refusals.allSatisfy { $0.kind == .conflict && $0.code == "instance-exists" && $0.field == "id" })
        #expect(await host.view(of: "ticket-1")?.position == 0)
        await host.stop()
    }

    @Test("two nodes sharing a log create one id at once: the first creation record wins, the other node is 409")
    func concurrentOnTwoNodes() async throws {
        let directory = try TemporaryDirectory()
        let hosts = try Self.hosts(directory, count: 2)
        async let first = Self.create(hosts[0])
        async let second = Self.create(hosts[1])
        let results = await [first, second]
        #expect(results.filter { $0 == nil }.count == 1, "\(results)")
        #expect(results.compactMap { $0 }.allSatisfy { $0.code == "instance-exists" }, "\(results)")
        for host in hosts { await host.stop() }
    }

    @Test("ids derived in the same second by one node, or by two nodes for one holder, all differ")
    func derivedIDsDiffer() async throws {
        let directory = try TemporaryDirectory()
        let hosts = try Self.hosts(directory, count: 2)
        for host in hosts {
            for _ in 1...3 { #expect(await Self.create(host, id: nil) == nil) }
        }
        let store = try SQLiteStore(
            path: directory.path + "/node.sqlite", clock: ManualClock(unixSeconds: HostingFixture.now))
        let definition = try #require(await hosts[0].hostedScripts.first?.definition.id)
        let ids = try await SQLiteInstanceStore(store: store).instances(of: definition)
        #expect(Set(ids).count == 6)
        #expect(ids.allSatisfy { $0.hasPrefix("i-") })
        for host in hosts { await host.stop() }
    }

    @Test("three node processes asked at once to create one id: one 201, two 409 instance-exists, one instance")
    func concurrentAcrossProcesses() async throws {
        let network = try await ProcessNetwork.start(nodes: 3)
        defer { network.stopAll() }
        let statuses = try await withThrowingTaskGroup(of: LoopbackResponse.self) { group in
            for port in network.nodePorts {
                group.addTask {
                    try await LoopbackHTTP.request(
                        "POST", port: port, path: "/v1/instances", body: HostingFixture.createBody(id: "ticket-1"))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.map(\.status).sorted() == [201, 409, 409], "\(statuses.map(\.body))")
        #expect(statuses.filter { $0.status == 409 }.allSatisfy { $0.body.contains("instance-exists") })
        var hashes: Set<String> = []
        for port in network.nodePorts {
            let view = try await network.waitFor(port: port) { $0["position"]?.integerValue == 0 }
            hashes.insert(view["stateHash"]?.stringValue ?? "")
        }
        #expect(hashes.count == 1)
        for child in network.children { #expect(try await child.terminate() == 0) }
    }
}
