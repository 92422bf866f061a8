import Foundation
import Testing
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptCommands
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptNode
import TokenScriptRuntime
import TokenScriptSQLite
import TokenScriptTesting

/// Tokens that follow tokens (`sl:follow`) on one node, over a real store, real sandbox workers and real
/// signatures: the smart car and its registration, insurance and maintenance tokens (`TokenScripts/`).
@Suite("Tokens that follow tokens on one node")
struct SmartCarHostingTests {
    static let scripts = ["smart-car", "car-registration", "car-insurance", "car-maintenance"].map {
        TestPaths.tokenScripts + "/\($0).xml"
    }
    /// The demo keys the car's tokens trust (the published test seeds 0x71…, 0x72…, 0x73…).
    static let registry = TestKeys.ed25519(0x71)
    static let insurer = TestKeys.ed25519(0x72)
    static let garage = TestKeys.ed25519(0x73)

    static func host(
        store: SQLiteStore, clock: ManualClock, lifecycle: InstanceLifecyclePolicy = InstanceLifecyclePolicy()
    ) throws -> InstanceHost {
        try InstanceHost(
            scripts: try NodeScripts.load(scripts, nodeKey: HostingFixture.node.issuer.key),
            store: SQLiteNodeStore(store),
            log: SQLiteAttestationLog(store: store), election: SQLiteLeaseAuthority(store: store), nodeName: "n1",
            signerSeed: HostingFixture.nodeSeed, runtime: HostingFixture.pool,
            effectTransport: RefusingEffectTransport(), clock: clock, logger: HostingFixture.logger,
            lifecyclePolicy: lifecycle)
    }

    /// Creates the registration, insurance and maintenance tokens of one car, then the car.
    static func createCar(on host: InstanceHost) async throws {
        let holder = HostingFixture.holder.issuer.key
        _ = try await host.create(
            script: "car-registration", id: "reg-1", attributes: ["plate": .string("B-SL-2024")], holder: holder)
        _ = try await host.create(
            script: "car-insurance", id: "ins-1", attributes: ["policy": .string("P-77")], holder: holder)
        _ = try await host.create(
            script: "car-maintenance", id: "mnt-1", attributes: ["vin": .string("WVW000TEST0000001")], holder: holder)
        _ = try await host.create(
            script: "smart-car", id: "car-1",
            attributes: [
                "registration": .string("reg-1"), "insurance": .string("ins-1"),
                "maintenance": .string("mnt-1"),
            ],
            holder: holder)
    }

    /// A signed attestation of `signer` on `topic`.
    static func attestation(
        _ signer: Ed25519AttestationSigner, id: String, topic: String, type: String,
        payload: AttestationValue = .object([:])
    ) throws -> Attestation {
        try signer.sign(
            Attestation(
                id: id, topic: topic, type: type, issuer: signer.issuer, issuedAt: HostingFixture.now,
                payload: payload))
    }

    /// Polls `instance` until `done` holds of its view (a minute at most: the apply loops run on their own tasks).
    static func waitFor(
        _ host: InstanceHost, _ instance: String, _ done: (InstanceView) -> Bool
    ) async throws -> InstanceView {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            if let view = await host.view(of: instance), done(view) { return view }
            guard ContinuousClock.now < deadline else {
                throw ServerChildError(
                    "\(instance) never got there; last \(String(describing: await host.view(of: instance)))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static func text(_ view: InstanceView, _ name: String) -> String? {
        if case .string(let text)? = view.attributes[name] { text } else { nil }
    }

    @Test(
        """
        a car created after its tokens starts from their current states (the latest change retained), turns \
        roadworthy once insured and serviced, and is grounded with the reason when its insurance lapses
        """
    )
    func follows() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(unixSeconds: HostingFixture.now)
        let store = try SQLiteStore(path: directory.path + "/node.sqlite", clock: clock)
        let host = try Self.host(store: store, clock: clock)
        try await Self.createCar(on: host)

        var car = try await Self.waitFor(host, "car-1") { $0.position == 3 }
        #expect(Self.text(car, "registrationState") == "registered")
        #expect(Self.text(car, "insuranceState") == "issued")
        #expect(Self.text(car, "maintenanceState") == "due")
        #expect(car.state == "grounded")

        _ = try await host.submit(
            try Self.attestation(
                Self.insurer, id: "activate-1", topic: "insurance/P-77", type: "activate",
                payload: ["coverUntil": .integer(Int64(HostingFixture.now) + 86_400)]))
        _ = try await host.submit(
            try Self.attestation(
                Self.garage, id: "serviced-1", topic: "garage/WVW000TEST0000001", type: "serviced",
                payload: ["mileage": 42_000]))
        car = try await Self.waitFor(host, "car-1") { $0.state == "roadworthy" }
        #expect(car.attributes["why"] == .array([]))

        _ = try await host.submit(
            try Self.attestation(Self.insurer, id: "lapse-1", topic: "insurance/P-77", type: "lapse"))
        car = try await Self.waitFor(host, "car-1") { $0.state == "grounded" }
        #expect(car.attributes["why"] == .array([.string("insurance lapsed")]))
        #expect(Self.text(car, "insuranceState") == "lapsed")

        // Every change of the insurance is one attestation on changes/ins-1, signed by this node as its executor.
        let changes = try await SQLiteAttestationLog(store: store).entries(topic: "changes/ins-1", from: 1, limit: 10)
        #expect(changes.map { $0.attestation.payload["state"]?.stringValue } == ["issued", "active", "lapsed"])
        #expect(changes.map { $0.attestation.payload["sequence"]?.integerValue } == [0, 1, 2])
        #expect(changes.allSatisfy { $0.attestation.issuer == HostingFixture.node.issuer })
        #expect(changes.allSatisfy { $0.attestation.signatureRejection == nil })
        // The car consumed each of them once, in its own order.
        let order = try await SQLiteAttestationLog(store: store).entries(topic: "order/car-1", from: 1, limit: 20)
        let consumed = order.compactMap { $0.attestation.payload["topic"]?.stringValue }
        #expect(consumed.filter { $0 == "changes/ins-1" }.count == 3)
        #expect(Set(consumed) == ["changes/reg-1", "changes/ins-1", "changes/mnt-1"])
    }

    @Test("a change signed by a key that executes nothing here is refused (422) and changes nothing")
    func forgedChange() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(unixSeconds: HostingFixture.now)
        let store = try SQLiteStore(path: directory.path + "/node.sqlite", clock: clock)
        let host = try Self.host(store: store, clock: clock)
        try await Self.createCar(on: host)
        _ = try await Self.waitFor(host, "car-1") { $0.position == 3 }
        let forged = ChangeAttestations.change(
            of: TokenInstance(definitionID: "x", id: "ins-1", state: "active", attributes: [:]),
            token: "CarInsurance", sequence: 9, previousState: "issued", time: HostingFixture.now,
            issuer: HostingFixture.stranger.issuer)
        let refused = await #expect(throws: HostError.self) {
            _ = try await host.submit(try HostingFixture.stranger.sign(forged))
        }
        #expect(refused?.kind == .unprocessable)
        let car = try #require(await host.view(of: "car-1"))
        #expect(car.position == 3)
        #expect(Self.text(car, "insuranceState") == "issued")
    }

    @Test("a node whose script follows a token it does not host refuses to start, naming the script and follow")
    func unhostedToken() throws {
        let error = #expect(throws: NodeConfigurationError.self) {
            _ = try NodeScripts.load([Self.scripts[0], Self.scripts[1]], nodeKey: HostingFixture.node.issuer.key)
        }
        #expect(error?.field == "scripts")
        #expect(
            error?.message.contains(
                "smart-car: sl:follow 'insurance' (line 34) follows token 'CarInsurance', which no hosted script "
                    + "defines (hosted: CarRegistration, SmartCar)") == true, "\(String(describing: error))")
    }
}
