import Foundation
import Testing
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptJSON
import TokenScriptTesting

/// The smart car across a real network: `tokenscript anchor` and four `tokenscript node --anchor` processes on
/// 127.0.0.1, each hosting the car and its three tokens; the car and each token are executed on a different
/// node. Every change of a token reaches the car through the anchor's log, signed by that token's executor,
/// also after that executor was SIGKILLed and replaced.
@Suite("The smart car follows its tokens across four nodes", .serialized)
struct SmartCarNetworkProcessTests {
    static let names = ["n1", "n2", "n3", "n4"]

    /// The first id `prefix-<n>` whose placement ranks `node` first over the four nodes: its executor.
    static func id(_ prefix: String, executedBy node: String) throws -> String {
        try #require(
            (1...200).map { "\(prefix)-\($0)" }.first { id in
                RendezvousRanking.rank(id, over: names.map { ServiceNode(id: $0) }).first?.id == node
            })
    }

    static func create(
        _ script: String, _ id: String, _ attributes: String, on port: Int
    ) async throws {
        let body =
            "{\"script\":\"\(script)\",\"id\":\"\(id)\",\"attributes\":{\(attributes)},"
            + "\"holder\":\"\(HostingFixture.holder.issuer.key)\"}"
        let created = try await LoopbackHTTP.request("POST", port: port, path: "/v1/instances", body: body)
        #expect(created.status == 201, "\(created.body)")
    }

    static func post(_ attestation: Attestation, to port: Int) async throws {
        let posted = try await LoopbackHTTP.request(
            "POST", port: port, path: "/v1/attestations", body: attestation.json)
        #expect(posted.status == 200, "\(posted.body)")
    }

    static func text(_ view: [JSONKey: JSONValue], _ name: String) -> String? {
        view["attributes"]?.objectValue?[JSONKey(name)]?.stringValue
    }

    @Test(
        """
        car, registration, insurance and maintenance executed on four different nodes: the car starts from its \
        tokens' states, turns roadworthy and is grounded when the insurance lapses, after the insurance's \
        executor was SIGKILLed and replaced; every change signed by the executor of the instance it is about
        """
    )
    func followsAcrossNodes() async throws {
        let scripts = ["smart-car", "car-registration", "car-insurance", "car-maintenance"].map {
            TestPaths.tokenScripts + "/\($0).xml"
        }
        let network = try await ProcessNetwork.start(nodes: 4, scripts: scripts)
        defer { network.stopAll() }
        let car = try Self.id("car", executedBy: "n1")
        let registration = try Self.id("reg", executedBy: "n2")
        let insurance = try Self.id("ins", executedBy: "n3")
        let maintenance = try Self.id("mnt", executedBy: "n4")
        let ports = network.nodePorts

        try await Self.create("car-registration", registration, "\"plate\":\"B-SL-2024\"", on: ports[1])
        try await Self.create("car-insurance", insurance, "\"policy\":\"P-77\"", on: ports[2])
        try await Self.create("car-maintenance", maintenance, "\"vin\":\"WVW000TEST0000001\"", on: ports[3])
        try await Self.create(
            "smart-car", car,
            "\"registration\":\"\(registration)\",\"insurance\":\"\(insurance)\",\"maintenance\":\"\(maintenance)\"",
            on: ports[0])

        var view = try await network.waitFor(port: ports[0], seconds: 60, instance: car) { view in
            Self.text(view, "registrationState") == "registered" && Self.text(view, "insuranceState") == "issued"
                && Self.text(view, "maintenanceState") == "due"
        }
        #expect(view["state"]?.stringValue == "grounded")

        let now = UInt64(Date().timeIntervalSince1970)
        func signed(_ seed: UInt8, _ id: String, _ topic: String, _ type: String, _ payload: AttestationValue)
            throws -> Attestation
        {
            let signer = TestKeys.ed25519(seed)
            return try signer.sign(
                Attestation(
                    id: id, topic: topic, type: type, issuer: signer.issuer, issuedAt: now, payload: payload))
        }
        try await Self.post(
            try signed(0x72, "activate-1", "insurance/P-77", "activate", ["coverUntil": .integer(Int64(now) + 86_400)]),
            to: ports[0])
        try await Self.post(
            try signed(0x73, "serviced-1", "garage/WVW000TEST0000001", "serviced", ["mileage": 42_000]), to: ports[1])
        view = try await network.waitFor(port: ports[0], seconds: 60, instance: car) {
            $0["state"]?.stringValue == "roadworthy"
        }

        // The insurance's executor dies; the anchor elects another host of it, which publishes what follows.
        let log = RemoteAttestationLog(connection: try network.connection(as: 1))
        let before = try await log.head(of: "changes/\(insurance)")
        try await network.nodes[2].killNow()
        try await Self.post(try signed(0x72, "lapse-1", "insurance/P-77", "lapse", .object([:])), to: ports[3])
        view = try await network.waitFor(port: ports[0], seconds: 90, instance: car) {
            $0["state"]?.stringValue == "grounded"
        }
        #expect(view["attributes"]?.objectValue?["why"] == .array([.string("insurance lapsed")]))

        let keys = try (1...4).map { try Ed25519AttestationSigner(seed: ProcessNetwork.seed(node: $0)).issuer }
        let changes = try await log.entries(topic: "changes/\(insurance)", from: 1, limit: 100)
        #expect(changes.map { $0.attestation.payload["state"]?.stringValue } == ["issued", "active", "lapsed"])
        #expect(changes.prefix(Int(before)).allSatisfy { $0.attestation.issuer == keys[2] }, "n3 executed it")
        let after = try #require(changes.last)
        #expect(after.attestation.issuer != keys[2], "the lapse was published by n3's successor")
        #expect(keys.contains(after.attestation.issuer))
        for (id, node) in [(registration, 1), (maintenance, 3)] {
            let published = try await log.entries(topic: "changes/\(id)", from: 1, limit: 100)
            #expect(!published.isEmpty)
            #expect(published.allSatisfy { $0.attestation.issuer == keys[node] }, "\(id) is executed by n\(node + 1)")
        }
        // The car's hosts that are still up agree on its state.
        let hosts = RendezvousRanking.rank(car, over: Self.names.map { ServiceNode(id: $0) }).prefix(3)
        var hashes: Set<String> = []
        for host in hosts where host.id != "n3" {
            let index = try #require(Self.names.firstIndex(of: host.id))
            let seen = try await network.waitFor(port: ports[index], seconds: 60, instance: car) {
                $0["position"]?.integerValue == view["position"]?.integerValue
            }
            hashes.insert(seen["stateHash"]?.stringValue ?? "")
        }
        #expect(hashes.count == 1)
        for (index, child) in network.children.enumerated() where index != 2 {
            #expect(try await child.terminate() == 0)
        }
    }
}
