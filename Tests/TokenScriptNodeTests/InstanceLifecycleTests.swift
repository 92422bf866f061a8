import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptCommands
import TokenScriptEngine
import TokenScriptNode
import TokenScriptSQLite
import TokenScriptTesting

/// The lifecycle states on one node (`InstanceHost+Lifecycle`), over a real store, real sandbox workers and real
/// signatures, with a manual clock for the policy's spans: dormant instances rest in the store and come back on
/// a request or an input, also after a restart; expired ones are retired and their journals archived.
@Suite("Instance lifecycle on one node")
struct InstanceLifecycleTests {
    static let holder = HostingFixture.holder.issuer.key

    static func ticket(_ id: String, flight: String, on host: InstanceHost) async throws {
        _ = try await host.create(
            script: "flight-ticket", id: id, attributes: ["flight": .string(flight)], holder: holder)
    }

    static func resting(_ host: InstanceHost) async -> Int { await host.lifecycleCounts().resting }

    /// Runs the lifecycle sweep until `done` holds (a minute at most): an apply loop still finishing its round
    /// (publishing a change, on a loaded machine) keeps an instance busy for a while after its step.
    static func sweep(_ host: InstanceHost, until done: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            await host.settleLifecycles()
            if try await done() { return }
            guard ContinuousClock.now < deadline else {
                Issue.record("the sweep never got there")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test(
        """
        dormant tickets quiet for the policy's span leave memory for the store; a restart leaves them there; a \
        read brings one back, and an attestation of its topic brings back exactly the tickets that wait on it
        """
    )
    func restsAndComesBack() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(unixSeconds: HostingFixture.now)
        let store = try SQLiteStore(path: directory.path + "/node.sqlite", clock: clock)
        let policy = InstanceLifecyclePolicy(dormantAfter: 60)
        let host = try HostingFixture.host(store: store, clock: clock, lifecycle: policy)
        try await Self.ticket("t1", flight: "LH2024", on: host)
        try await Self.ticket("t2", flight: "LH9999", on: host)

        await host.settleLifecycles()
        #expect(await host.views().count == 2, "quiet for less than the span: still in memory")
        clock.advance(seconds: 61)
        try await Self.sweep(host) { await Self.resting(host) == 2 }
        #expect(await host.views().isEmpty)
        #expect(try await SQLiteInstanceLifecycle(store: store).dormantCount() == 2, "the store agrees")
        await host.stop()

        // A restart reopens only what is not resting.
        let restarted = try HostingFixture.host(store: store, clock: clock, lifecycle: policy)
        try await restarted.recover()
        #expect(await restarted.views().isEmpty)
        #expect(await Self.resting(restarted) == 2)

        // A read reinstates the ticket it names, as it was.
        let read = try await restarted.read(
            "t1", grant: try HostingFixture.grant("t1"), grantee: "car-rental.example")
        #expect(read.state == "booked")
        #expect(read.position == 0)
        #expect(await restarted.views().map(\.id) == ["t1"])
        #expect(await Self.resting(restarted) == 1)

        // Back to rest, then the airline's status for LH2024 reaches t1 in the store, and only t1.
        clock.advance(seconds: 61)
        try await Self.sweep(restarted) { await Self.resting(restarted) == 2 }
        let status = try Attestation(json: try HostingFixture.statuses()[0])
        let submitted = try await restarted.submit(status)
        #expect(submitted.instances == ["t1"])
        try await HostingFixture.settle(restarted, "t1", at: 1)
        #expect(await restarted.view(of: "t1")?.state != "booked")
        #expect(await Self.resting(restarted) == 1, "t2 waits on LH9999 and stays in the store")

        // An active ticket is never put to rest, however quiet.
        clock.advance(seconds: 3_600)
        await restarted.settleLifecycles()
        #expect(await restarted.views().map(\.id) == ["t1"])

        // An id the node never had is still unknown.
        await #expect(throws: HostError.self) {
            _ = try await restarted.read("t9", grant: try HostingFixture.grant("t9"), grantee: "car-rental.example")
        }
        await restarted.stop()
    }

    @Test(
        """
        a cancelled insurance (an expired state) is retired after the retention: its journal is archived as a \
        journal file that tokenscript replay verifies, the store keeps no row of it, reads answer 410 and its \
        id is never created again, also after a restart
        """
    )
    func retiresExpired() async throws {
        let directory = try TemporaryDirectory()
        let archive = directory.path + "/archive"
        let clock = ManualClock(unixSeconds: HostingFixture.now)
        let store = try SQLiteStore(path: directory.path + "/node.sqlite", clock: clock)
        let policy = InstanceLifecyclePolicy(dormantAfter: 60, expiredRetention: 3_600, archiveDirectory: archive)
        let host = try SmartCarHostingTests.host(store: store, clock: clock, lifecycle: policy)
        _ = try await host.create(
            script: "car-insurance", id: "ins-1", attributes: ["policy": .string("P-77")], holder: Self.holder)
        _ = try await host.submit(
            try SmartCarHostingTests.attestation(
                SmartCarHostingTests.insurer, id: "activate-1", topic: "insurance/P-77", type: "activate",
                payload: ["coverUntil": .integer(Int64(HostingFixture.now) + 86_400)]))
        _ = try await host.submit(
            try SmartCarHostingTests.attestation(
                SmartCarHostingTests.insurer, id: "cancel-1", topic: "insurance/P-77", type: "cancel"))
        let cancelled = try await SmartCarHostingTests.waitFor(host, "ins-1") { $0.state == "cancelled" }
        #expect(cancelled.position == 2)

        clock.advance(seconds: 3_599)
        await host.settleLifecycles()
        #expect(await host.views().map(\.id) == ["ins-1"], "within the retention: kept")
        clock.advance(seconds: 2)
        try await Self.sweep(host) { await host.lifecycleCounts().retired == 1 }
        #expect(await host.views().isEmpty)
        #expect(try await SQLiteInstanceStore(store: store).instance("ins-1") == nil)

        let grant = try HostingFixture.grant("ins-1", expiresAt: HostingFixture.now + 86_400)
        do {
            _ = try await host.read("ins-1", grant: grant, grantee: "car-rental.example")
            Issue.record("a retired instance was read")
        } catch {
            #expect(error.kind == .gone)
            #expect(error.code == "instance-retired")
            #expect(error.message.contains(archive + "/ins-1.journal"))
        }
        do {
            _ = try await host.create(
                script: "car-insurance", id: "ins-1", attributes: ["policy": .string("P-78")], holder: Self.holder)
            Issue.record("a retired id was created again")
        } catch {
            #expect(error.kind == .conflict)
        }

        // The archive replays: every step again, from the instance the node created.
        let console = Console.capture()
        let journalKey = try JournalSigner(seed: HostingFixture.nodeSeed).publicKey.map { String(format: "%02x", $0) }
        let options = try ReplayJournal.Options.parse([
            archive + "/ins-1.journal", "--script", SmartCarHostingTests.scripts[2], "--initial",
            archive + "/ins-1.initial.json", "--journal-key", journalKey.joined(),
        ])
        #expect(await ReplayJournal.run(options, console: console) == 0, "\(console.output)\(console.errorOutput)")
        #expect(
            console.output.contains(
                "ok: 2 steps of ins-1 replayed, every snapshot and state hash reproduced; final "
                    + cancelled.stateHash), "\(console.output)")
        await host.stop()

        let restarted = try SmartCarHostingTests.host(store: store, clock: clock, lifecycle: policy)
        try await restarted.recover()
        #expect(await restarted.views().isEmpty)
        await #expect(throws: HostError.self) {
            _ = try await restarted.read("ins-1", grant: grant, grantee: "car-rental.example")
        }
        await restarted.stop()
    }

    @Test("without an archive directory an expired instance is kept, however long it has been quiet")
    func keptWithoutArchive() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(unixSeconds: HostingFixture.now)
        let store = try SQLiteStore(path: directory.path + "/node.sqlite", clock: clock)
        let host = try SmartCarHostingTests.host(
            store: store, clock: clock, lifecycle: InstanceLifecyclePolicy(expiredRetention: 1))
        _ = try await host.create(
            script: "car-insurance", id: "ins-1", attributes: ["policy": .string("P-77")], holder: Self.holder)
        _ = try await host.submit(
            try SmartCarHostingTests.attestation(
                SmartCarHostingTests.insurer, id: "cancel-1", topic: "insurance/P-77", type: "cancel"))
        _ = try await SmartCarHostingTests.waitFor(host, "ins-1") { $0.state == "cancelled" }
        clock.advance(seconds: 86_400)
        await host.settleLifecycles()
        #expect(await host.views().map(\.id) == ["ins-1"])
        #expect(await host.lifecycleCounts().retired == 0)
        await host.stop()
    }

    @Test(
        """
        insurance policies created at rest in bulk are nowhere in memory, answer a read as created, take their \
        activation from the store, refuse an id twice, and a script that does not start dormant is refused
        """
    )
    func createsAtRest() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(unixSeconds: HostingFixture.now)
        let store = try SQLiteStore(path: directory.path + "/node.sqlite", clock: clock)
        let host = try SmartCarHostingTests.host(store: store, clock: clock)
        let policies = (1...2_500).map {
            InstanceHost.RestingCreation(id: "ins-\($0)", attributes: ["policy": .string("P-\($0)")])
        }
        try await host.createResting(script: "car-insurance", holder: Self.holder, instances: policies)
        #expect(await host.views().isEmpty)
        #expect(await host.lifecycleCounts().resting == 2_500)

        let read = try await host.read(
            "ins-1234", grant: try HostingFixture.grant("ins-1234"), grantee: "car-rental.example")
        #expect(read.state == "issued")
        #expect(read.attributes["policy"] == .string("P-1234"))
        let submitted = try await host.submit(
            try SmartCarHostingTests.attestation(
                SmartCarHostingTests.insurer, id: "activate-2024", topic: "insurance/P-2024", type: "activate",
                payload: ["coverUntil": .integer(Int64(HostingFixture.now) + 86_400)]))
        #expect(submitted.instances == ["ins-2024"])
        #expect(try await SmartCarHostingTests.waitFor(host, "ins-2024") { $0.state == "active" }.position == 1)
        #expect(await host.lifecycleCounts().resting == 2_498)

        do {
            try await host.createResting(
                script: "car-insurance", holder: Self.holder,
                instances: [.init(id: "ins-7", attributes: ["policy": .string("P-7")])])
            Issue.record("an id was created twice")
        } catch {
            #expect(error.kind == .conflict)
        }
        do {
            try await host.createResting(
                script: "car-registration", holder: Self.holder,
                instances: [.init(id: "reg-1", attributes: ["plate": .string("B-1")])])
            Issue.record("a script starting active was created at rest")
        } catch {
            #expect(error.code == "not-dormant")
        }
        do {
            try await host.createResting(
                script: "car-insurance", holder: Self.holder,
                instances: [.init(id: "ins-x", attributes: [:]), .init(id: "bad id", attributes: [:])])
            Issue.record("a bad id was accepted")
        } catch {
            #expect(error.field == "instances[1].id")
        }
        #expect(await host.lifecycleCounts().resting == 2_498, "a refused batch writes nothing")
        await host.stop()
    }
}
