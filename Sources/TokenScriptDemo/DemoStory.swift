import Foundation
import TokenScriptAttestation
import TokenScriptJSON

/// The flight ticket's story on a running devnet, narrated as it happens and checked at the end: tickets on two
/// flights, activation, a delay with lounge access, a long delay whose hotel rebooking times out until the
/// anchoring node routes it, a traveller choosing a seat (an action the holder signs, sent to any node and ordered
/// by the elected executor), and a car-rental integrator reading a ticket with the holder's grant; then, when the
/// devnet hosts them, the smart car and its tokens, with the insurance's executor killed and replaced
/// (`DemoSmartCar`).
///
/// It speaks only the node API of the design (`POST /v1/instances`, `GET /v1/instances/{id}` with a grant,
/// `POST /v1/attestations`, `POST /v1/instances/{id}/actions/{name}`,
/// `POST /v1/instances/{id}/interfaces/{name}`): every step that does not happen is returned as a failure naming
/// it, which is what `devnet --demo --once` exits non-zero with.
public struct DemoStory: Sendable {
    public struct Node: Sendable, Hashable {
        public var name: String
        public var url: String

        public init(name: String, url: String) {
            self.name = name
            self.url = url
        }
    }

    /// The tickets, two per flight.
    public static let tickets: [(id: String, flight: String)] = [
        ("ticket-1", "LH400"), ("ticket-2", "LH400"), ("ticket-3", "LH401"), ("ticket-4", "LH401"),
    ]
    static let integrator = "car-rental.example"
    static let narrator = "demo-narrator"

    let nodes: [Node]
    let hotel: DemoHotel
    let airline: DemoAirline
    let holder: Ed25519AttestationSigner
    let narrate: @Sendable (String) -> Void
    /// How long one state change may take (the rebooking gets four times this: retries and the anchor's route).
    let stepSeconds: Double
    let departure: UInt64
    /// Whether the nodes share one log (an anchoring node runs): then the airline posts to any node, otherwise
    /// to the node that holds the tickets.
    let sharedLog: Bool
    /// Kills and starts service nodes (the devnet's supervisor); nil where the story may not.
    let devnet: DemoDevnetControl?

    public init(
        nodes: [Node], hotel: DemoHotel, airline: DemoAirline, holder: Ed25519AttestationSigner,
        departure: UInt64, sharedLog: Bool, stepSeconds: Double = 30, devnet: DemoDevnetControl? = nil,
        narrate: @escaping @Sendable (String) -> Void
    ) {
        self.devnet = devnet
        self.sharedLog = sharedLog
        self.nodes = nodes
        self.hotel = hotel
        self.airline = airline
        self.holder = holder
        self.departure = departure
        self.stepSeconds = stepSeconds
        self.narrate = narrate
    }

    /// The flight ticket's idempotency key for `flight`: `"rebook-" .. flight .. "-" .. departureTime`.
    public func rebookingKey(_ flight: String) -> String { "rebook-\(flight)-\(departure)" }

    /// Plays the story; returns what did not happen (empty: every expected outcome happened).
    public func play() async -> [String] {
        guard let entry = nodes.first else { return ["no service node to talk to"] }
        let script: String
        switch await flightTicketScript(on: entry) {
        case .success(let name): script = name
        case .failure(let failure): return [failure.description]
        }
        for ticket in Self.tickets {
            let created = await createTicket(ticket.id, flight: ticket.flight, script: script, on: entry)
            if let failure = created { return [failure] }
        }
        var failures: [String] = []
        // Every host adopts a new instance from the anchor's log within a tick; an attestation posted to a node
        // before it hosts the ticket would not be routed to it, so the story waits for every host first.
        for ticket in Self.tickets { await hostedEverywhere(ticket.id, failures: &failures) }
        await publish("scheduled", flight: "LH400", delay: 0, failures: &failures)
        await publish("scheduled", flight: "LH401", delay: 0, failures: &failures)
        for ticket in Self.tickets { await expect(ticket.id, reaches: "active", failures: &failures) }
        narrate("LH401 is delayed by 200 minutes: its tickets get lounge access.")
        await publish("delay", flight: "LH401", delay: 200, failures: &failures)
        for ticket in Self.tickets where ticket.flight == "LH401" {
            await expect(ticket.id, reaches: "lounge", failures: &failures)
        }
        await chooseSeat("ticket-3", seat: "14C", failures: &failures)
        narrate("LH400 is delayed by 400 minutes: lounge, and the elected executor rebooks the hotel;")
        narrate(
            sharedLog
                ? "the hotel times out on every try until the anchoring node routes the call once."
                : "the hotel times out on its first four calls, then books (no anchoring node to route through).")
        await publish("delay", flight: "LH400", delay: 400, failures: &failures)
        for ticket in Self.tickets where ticket.flight == "LH400" {
            await expect(ticket.id, reaches: "rebooked", seconds: stepSeconds * 4, failures: &failures)
        }
        await integratorReads("ticket-3", failures: &failures)
        failures += await DemoStoryChecks(story: self).finalChecks()
        failures += await DemoSmartCar(story: self).play()
        failures += await DemoSlowNode(story: self, instance: "ticket-1").play()
        return failures
    }

    /// Waits until every one of `nodes` answers for `id`, narrating where it is served.
    func expectServed(_ id: String, failures: inout [String]) async {
        var views: [String: DemoHTTP.Answer] = [:]
        let served = await poll {
            views = await readEverywhere(id)
            return views.count == nodes.count
        }
        guard served else {
            failures.append("\(id) is not served by every one of \(nodes.map(\.name)) (only \(views.keys.sorted()))")
            return
        }
        narrate("\(id) is served by \(views.keys.sorted().joined(separator: ", "))")
    }

    /// Runs `check` every `interval` until it answers true (true) or `seconds` (one step's time by default) have
    /// passed or the task was cancelled (false).
    func poll(
        seconds: Double? = nil, every interval: Duration = .milliseconds(300), _ check: () async -> Bool
    ) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds ?? stepSeconds)
        while true {
            if await check() { return true }
            if Date() >= deadline || Task.isCancelled { return false }
            try? await Task.sleep(for: interval)
        }
    }

    /// The same story told on `nodes` only (those still running while one is down).
    func on(_ nodes: [Node]) -> DemoStory {
        DemoStory(
            nodes: nodes, hotel: hotel, airline: airline, holder: holder, departure: departure, sharedLog: sharedLog,
            stepSeconds: stepSeconds, devnet: devnet, narrate: narrate)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The name the node loaded the flight ticket under: the script with the `flightStatus` interface.
    func flightTicketScript(on node: Node) async -> Result<String, Failure> {
        let answer = await DemoHTTP.send("GET", node.url + "/v1/scripts")
        let scripts = answer.json?["scripts"]?.arrayValue ?? []
        let ticket = scripts.first { script in
            script["interfaces"]?.arrayValue?.contains { $0 == "flightStatus" || $0["name"] == "flightStatus" } ?? false
        }
        guard answer.status == 200, let name = ticket?["name"]?.stringValue else {
            return .failure(Failure(description: "no flight ticket among \(node.name)'s scripts: \(answer.summary)"))
        }
        narrate("\(node.name) hosts the flight ticket as \(name)")
        return .success(name)
    }

    func createTicket(_ id: String, flight: String, script: String, on node: Node) async -> String? {
        let body: JSONValue = .object([
            "script": .string(script), "id": .string(id), "attributes": .object(["flight": .string(flight)]),
            "holder": .string(holder.issuer.key),
        ])
        let answer = await DemoHTTP.send(
            "POST", node.url + "/v1/instances", body: (try? JSONWriter.canonicalString(body)) ?? "")
        guard answer.status == 201 else { return "creating \(id) on \(node.name): \(answer.summary)" }
        narrate("\(node.name): created \(id) for flight \(flight) (state \(answer.string("state") ?? "?")).")
        return nil
    }

    func publish(_ type: String, flight: String, delay: Int64, failures: inout [String]) async {
        let now = UInt64(max(0, Date().timeIntervalSince1970))
        let attestation: Attestation
        do {
            attestation = try airline.status(
                flight: flight, type: type, departure: departure, delayMinutes: delay, issuedAt: now)
        } catch {
            failures.append("signing \(type) for \(flight): \(error)")
            return
        }
        let node = sharedLog ? nodes[Int(now % UInt64(nodes.count))] : nodes[0]
        let delivery = await airline.publish(attestation, to: node.url)
        guard let status = delivery.status, (200..<300).contains(status) else {
            failures.append("airline \(type) \(flight) to \(node.name): \(delivery.status ?? 0) \(delivery.body)")
            return
        }
        narrate("airline → \(node.name): \(type) \(flight) (delay \(delay) min) accepted: \(delivery.body)")
    }

    /// Waits until every node that hosts `id` shows `state`, narrating each host's changes.
    func expect(_ id: String, reaches state: String, seconds: Double? = nil, failures: inout [String]) async {
        let deadline = Date().addingTimeInterval(seconds ?? stepSeconds)
        var seen: [String: String] = [:]
        while true {
            let views = await readEverywhere(id)
            for (node, view) in views.sorted(by: { $0.key < $1.key }) {
                let current = view.string("state") ?? "?"
                if seen[node] != current {
                    seen[node] = current
                    narrate("\(node): \(id) is \(current) (position \(view.json?["position"]?.integerValue ?? 0))")
                }
            }
            if !views.isEmpty, views.values.allSatisfy({ $0.string("state") == state }) { return }
            if Date() >= deadline || Task.isCancelled {
                let states = seen.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
                failures.append("\(id) did not reach \(state) on every host (\(states.isEmpty ? "no host" : states))")
                return
            }
            try? await Task.sleep(for: .milliseconds(300))
        }
    }

    /// Waits until every node answers for `id` (with three nodes and three replicas, each hosts every ticket).
    func hostedEverywhere(_ id: String, failures: inout [String]) async {
        let deadline = Date().addingTimeInterval(stepSeconds)
        while await readEverywhere(id).count < nodes.count {
            if Date() >= deadline || Task.isCancelled {
                failures.append("\(id) is not hosted by every node after \(Int(stepSeconds)) s")
                return
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        narrate("\(id) is hosted by every node")
    }

    /// `GET /v1/instances/{id}` on every node with the narrator's grant: the 200 answers, by node name.
    func readEverywhere(_ id: String) async -> [String: DemoHTTP.Answer] {
        let headers = grantHeaders(id, grantee: Self.narrator, interfaces: [ReadGrant.everyInterface])
        var answers: [String: DemoHTTP.Answer] = [:]
        for node in nodes {
            let answer = await DemoHTTP.send("GET", node.url + "/v1/instances/\(id)", headers: headers, deadline: 5)
            if answer.status == 200 { answers[node.name] = answer }
        }
        return answers
    }

    func grantHeaders(_ id: String, grantee: String, interfaces: [String]) -> [String: String] {
        let now = UInt64(max(0, Date().timeIntervalSince1970))
        let unsigned = ReadGrant(
            grantee: grantee, instance: id, interfaces: interfaces, issuedAt: now, expiresAt: now + 3_600,
            holder: holder.issuer)
        guard let grant = try? holder.sign(unsigned) else { return [:] }
        return ["X-TokenScript-Grant": grant.json, "X-TokenScript-Grantee": grantee]
    }

    /// The holder of `id` invokes the flight ticket's `choose-seat` action on the last node (any node takes it:
    /// it signs the invocation and the elected executor orders it), then every host shows the seat.
    private func chooseSeat(_ id: String, seat: String, failures: inout [String]) async {
        guard let node = nodes.last else { return }
        let now = UInt64(max(0, Date().timeIntervalSince1970))
        let request: Attestation
        do {
            request = try holder.sign(
                Attestation(
                    id: "seat-\(id)-\(now)", topic: "action/" + id, type: "choose-seat", issuer: holder.issuer,
                    issuedAt: now, payload: .object(["seat": .string(seat)])))
        } catch {
            failures.append("signing the seat request for \(id): \(error)")
            return
        }
        let answer = await DemoHTTP.send(
            "POST", node.url + "/v1/instances/\(id)/actions/choose-seat", body: request.json)
        guard answer.status == 200 else {
            failures.append("the holder's choose-seat action on \(id) at \(node.name): \(answer.summary)")
            return
        }
        narrate(
            "traveller → \(node.name): choose-seat \(seat) for \(id), signed with the holder's key: " + answer.text)
        let deadline = Date().addingTimeInterval(stepSeconds)
        while true {
            let views = await readEverywhere(id)
            let seats = views.values.map { $0.json?["attributes"]?["seat"]?.stringValue }
            if views.count == nodes.count, seats.allSatisfy({ $0 == seat }) {
                narrate("every host shows \(id) in seat \(seat)")
                return
            }
            if Date() >= deadline || Task.isCancelled {
                failures.append("\(id)'s seat is not \(seat) on every host: \(seats.map { $0 ?? "none" })")
                return
            }
            try? await Task.sleep(for: .milliseconds(300))
        }
    }

    private func integratorReads(_ id: String, failures: inout [String]) async {
        guard let node = nodes.last else { return }
        let url = node.url + "/v1/instances/\(id)/interfaces/flightStatus"
        let refused = await DemoHTTP.send(
            "POST", url, body: "{\"arguments\":{}}", headers: ["X-TokenScript-Grantee": Self.integrator])
        if refused.status != 403 {
            failures.append("a read without a grant was not refused with 403: \(refused.summary)")
        }
        let headers = grantHeaders(id, grantee: Self.integrator, interfaces: ["flightStatus"])
        let answer = await DemoHTTP.send("POST", url, body: "{\"arguments\":{}}", headers: headers)
        guard answer.status == 200, let result = answer.json?["result"] else {
            failures.append("the car-rental integrator's granted read of \(id): \(answer.summary)")
            return
        }
        narrate("car-rental.example reads \(id) on \(node.name) with the holder's grant: \(answer.text)")
        if result["delayMinutes"]?.integerValue != 200 {
            failures.append(
                "\(id)'s flightStatus shows delay \(result["delayMinutes"].map { "\($0)" } ?? "none"), not 200")
        }
    }
}
