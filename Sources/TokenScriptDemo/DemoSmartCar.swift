import Foundation
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptJSON

/// The smart car's chapter of the demo (issue 12), when the devnet hosts `smart-car` and its three tokens: a car
/// follows its registration, insurance and maintenance instances (`sl:follow`), turns roadworthy when the insurer
/// activates the policy and the garage services the car, and is grounded when the policy lapses, which is
/// posted after the insurance's executor was killed (SIGKILL): another host is elected once the dead executor's
/// lease ended, publishes the change, and the car follows; the killed node is started again and catches up.
/// The anchor's status page shows the new executor and its epoch.
struct DemoSmartCar: Sendable {
    let story: DemoStory

    static let car = "car-1"
    static let registration = "registration-1"
    static let insurance = "insurance-1"
    static let maintenance = "maintenance-1"
    /// The demo authorities, the published test seeds the car's tokens trust (`TokenScripts/car-*.xml`).
    static let insurerSeed = [UInt8](repeating: 0x72, count: 32)
    static let garageSeed = [UInt8](repeating: 0x73, count: 32)

    var narrate: @Sendable (String) -> Void { story.narrate }

    /// Plays the chapter when the nodes host the car's scripts; returns what did not happen.
    func play() async -> [String] {
        guard let entry = story.nodes.first else { return [] }
        let scripts = await DemoHTTP.send("GET", entry.url + "/v1/scripts").json?["scripts"]?.arrayValue ?? []
        let names = Set(scripts.compactMap { $0["name"]?.stringValue })
        guard ["smart-car", "car-registration", "car-insurance", "car-maintenance"].allSatisfy(names.contains) else {
            narrate("(the smart car's scripts are not loaded: its chapter is skipped)")
            return []
        }
        var failures: [String] = []
        narrate("The smart car: a car that follows its registration, insurance and maintenance tokens.")
        let created: [(String, String, JSONValue)] = [
            ("car-registration", Self.registration, ["plate": "B-SL-2024"]),
            ("car-insurance", Self.insurance, ["policy": "P-77"]),
            ("car-maintenance", Self.maintenance, ["vin": "WVW000DEMO0000001"]),
            (
                "smart-car", Self.car,
                [
                    "registration": .string(Self.registration), "insurance": .string(Self.insurance),
                    "maintenance": .string(Self.maintenance),
                ]
            ),
        ]
        for (script, id, attributes) in created {
            if let failure = await create(id, script: script, attributes: attributes, on: entry) { return [failure] }
        }
        narrate("the car starts from its tokens' current states (the latest change of each is retained):")
        await expectAttributes(
            Self.car, ["registrationState": "registered", "insuranceState": "issued", "maintenanceState": "due"],
            failures: &failures)
        narrate("the insurer activates the policy and the garage services the car:")
        let now = UInt64(max(0, Date().timeIntervalSince1970))
        await post(
            Self.insurerSeed, id: "activate-\(now)", topic: "insurance/P-77", type: "activate",
            payload: ["coverUntil": .integer(Int64(now) + 365 * 86_400)], failures: &failures)
        await post(
            Self.garageSeed, id: "serviced-\(now)", topic: "garage/WVW000DEMO0000001", type: "serviced",
            payload: ["mileage": 42_000], failures: &failures)
        await story.expect(Self.car, reaches: "roadworthy", failures: &failures)
        if story.sharedLog, story.nodes.count > 1, let devnet = story.devnet {
            await killExecutor(devnet, failures: &failures)
        } else {
            await post(
                Self.insurerSeed, id: "lapse-\(now)", topic: "insurance/P-77", type: "lapse", payload: .object([:]),
                failures: &failures)
            await story.expect(Self.car, reaches: "grounded", failures: &failures)
        }
        return failures
    }

    /// Kills the insurance's executor (the first host in its rendezvous ranking: every node has capacity 1 here),
    /// posts the lapse to another node, waits until the car is grounded on the hosts still up (a host is elected
    /// once the dead executor's lease ended), then starts the node again and waits until it caught up.
    private func killExecutor(_ devnet: DemoDevnetControl, failures: inout [String]) async {
        let ranking = RendezvousRanking.rank(Self.insurance, over: story.nodes.map { ServiceNode(id: $0.name) })
        guard let executor = story.nodes.first(where: { $0.name == ranking.first?.id }) else { return }
        let survivors = story.nodes.filter { $0.name != executor.name }
        narrate("\(executor.name) executes \(Self.insurance): the devnet kills it (SIGKILL).")
        let killedAt = Date()
        if let failure = await devnet.kill(executor.name) {
            failures.append("killing \(executor.name): \(failure)")
            return
        }
        await post(
            Self.insurerSeed, id: "lapse-\(Int(killedAt.timeIntervalSince1970))", topic: "insurance/P-77",
            type: "lapse", payload: .object([:]), to: survivors, failures: &failures)
        narrate("the lapse waits for a new executor of \(Self.insurance), elected once the dead one's lease ended;")
        let alive = story.on(survivors)
        await alive.expect(Self.car, reaches: "grounded", seconds: story.stepSeconds * 2, failures: &failures)
        narrate(
            String(format: "the car is grounded %.0f s after the kill; ", Date().timeIntervalSince(killedAt))
                + "the anchor's status page shows \(Self.insurance)'s new executor and epoch.")
        if let failure = await devnet.startAgain(executor.name, executor.url) {
            failures.append("starting \(executor.name) again: \(failure)")
            return
        }
        narrate("\(executor.name) is back and catches up from the log:")
        await story.expect(Self.insurance, reaches: "lapsed", failures: &failures)
        await story.expect(Self.car, reaches: "grounded", failures: &failures)
    }

    private func create(_ id: String, script: String, attributes: JSONValue, on node: DemoStory.Node) async -> String? {
        let body: JSONValue = .object([
            "script": .string(script), "id": .string(id), "attributes": attributes,
            "holder": .string(story.holder.issuer.key),
        ])
        let answer = await DemoHTTP.send(
            "POST", node.url + "/v1/instances", body: (try? JSONWriter.canonicalString(body)) ?? "")
        guard answer.status == 201 else { return "creating \(id) on \(node.name): \(answer.summary)" }
        narrate("\(node.name): created \(id) (\(script), state \(answer.string("state") ?? "?")).")
        return nil
    }

    /// Signs an attestation with a demo authority's seed and posts it to the first of `nodes` that accepts it.
    private func post(
        _ seed: [UInt8], id: String, topic: String, type: String, payload: AttestationValue,
        to nodes: [DemoStory.Node]? = nil, failures: inout [String]
    ) async {
        let attestation: Attestation
        do {
            let signer = try Ed25519AttestationSigner(seed: seed)
            attestation = try signer.sign(
                Attestation(
                    id: id, topic: topic, type: type, issuer: signer.issuer,
                    issuedAt: UInt64(max(0, Date().timeIntervalSince1970)), payload: payload))
        } catch {
            failures.append("signing \(type) on \(topic): \(error)")
            return
        }
        let targets = nodes ?? (story.sharedLog ? story.nodes : Array(story.nodes.prefix(1)))
        var last = ""
        for node in targets {
            let answer = await DemoHTTP.send("POST", node.url + "/v1/attestations", body: attestation.json)
            if answer.status == 200 {
                narrate("→ \(node.name): \(type) on \(topic) accepted")
                return
            }
            last = "\(node.name): \(answer.summary)"
        }
        failures.append("\(type) on \(topic) was not accepted (\(last))")
    }

    /// Waits until every host of `id` shows `expected` among its attributes.
    private func expectAttributes(_ id: String, _ expected: [String: String], failures: inout [String]) async {
        let shown = await story.poll {
            let views = await story.readEverywhere(id)
            return !views.isEmpty
                && views.values.allSatisfy { view in
                    expected.allSatisfy { name, value in view.json?["attributes"]?[JSONKey(name)]?.stringValue == value
                    }
                }
        }
        guard shown else {
            failures.append("\(id) does not show \(expected) on every host")
            return
        }
        let listed = expected.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        narrate("every host of \(id) shows \(listed)")
    }
}
