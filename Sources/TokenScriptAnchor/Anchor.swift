import Foundation
import TokenScriptAnchorClient
import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEffects
import TokenScriptEngine

/// The anchoring node's state: the authoritative log, lease table and placement (`AnchorStorage`: the embedded
/// `DIR/anchor.sqlite`, or a PostgreSQL database other anchors share), the membership with its heartbeats, the
/// anchor's own key, and what it does with them — elect executors, route failed calls, compare state hashes. The
/// HTTP routes (`AnchorRouter`) are a thin layer over this.
public final class Anchor: Sendable {
    public let storage: AnchorStorage
    public var election: any AnchorLeaseStore { storage.election }
    public var log: any AnchorLogStore { storage.log }
    public var placement: any AnchorPlacementStore { storage.placement }
    /// The anchor's clock: lease expiry, node health, request dates and its statements' times.
    public let clock: any EngineClock
    /// How many hosts each instance has: the default of `GET /v1/placement`, announced on `GET /v1/nodes` so
    /// every node places with the same count, and the top an executor must stay in to keep its lease.
    public let replicas: Int
    public let signer: Ed25519AttestationSigner
    let membership: AnchorMembership
    /// The operators' keys by name: they sign pins, which no node may set (a node pinning instances to itself
    /// would choose its own executor seats).
    let operators: [String: Issuer]
    let anchoringNode: LocalAnchoringNode
    let verifier: NodeRequestVerifier
    let recentSignatures: RecentSignatures
    /// Each request id's routing, kept for the process's life: a repeat is answered with the first statement.
    let routed = OnceByKey<AnchorRouting>()
    let evidence: AnchorEvidence
    /// Each node's service level, and the placement weight it leaves the node (`AnchorServiceLevels`).
    let serviceLevels: AnchorServiceLevels
    /// How long a quiet log stream waits for a wake-up before reading its topic again anyway: appends wake
    /// streams at once (`LogTail`), so this only bounds the delay of a wake-up that never came.
    let streamFallbackPoll: Duration

    static let routingsTopic = "anchor/routings"

    /// Opens `storage` (by default, creating `dataDirectory/anchor.sqlite`) and loads the membership from it.
    /// - Parameters:
    ///   - nodeTimeout: seconds a node stays healthy after a heartbeat.
    ///   - leaseTerm: seconds an executor lease holds after an election or a renewal.
    ///   - transport: how the anchor performs routed calls (`HTTPEffectTransport` under an egress policy).
    ///   - members: the nodes allowed to join, by name, with their keys; nil lets any key register a new name.
    ///   - operators: who may pin instances, by name, with their keys; a name may not be a member's too.
    ///   - streamFallbackPoll: how often a quiet log stream reads its topic without a wake-up.
    public init(
        dataDirectory: String, name: String, signer: Ed25519AttestationSigner, nodeTimeout: UInt64,
        leaseTerm: UInt64, clock: any EngineClock, transport: any EffectTransport,
        effectClock: any EffectClock = SystemEffectClock(), replicas: Int = 3, members: [String: Issuer]? = nil,
        operators: [String: Issuer] = [:],
        streamFallbackPoll: Duration = .seconds(1), storage: AnchorStorage? = nil
    ) async throws {
        if let shared = operators.keys.sorted().first(where: { members?[$0] != nil }) {
            throw AnchorConfigurationError(field: "operator", message: "\(shared) is a member's name too")
        }
        self.operators = operators
        guard (1...AnchorConfiguration.maximumReplicas).contains(replicas) else {
            throw AnchorConfigurationError(
                field: "replicas", message: "expected 1…\(AnchorConfiguration.maximumReplicas), got \(replicas)")
        }
        self.replicas = replicas
        self.streamFallbackPoll = streamFallbackPoll
        let storage =
            try storage ?? AnchorStorage.embedded(directory: dataDirectory, clock: clock, leaseTerm: leaseTerm)
        self.storage = storage
        self.clock = clock
        self.signer = signer
        membership = AnchorMembership(
            log: storage.log, placement: storage.placement, signer: signer, clock: clock, nodeTimeout: nodeTimeout,
            allowed: members)
        anchoringNode = LocalAnchoringNode(name: name, signer: signer, transport: transport, clock: effectClock)
        verifier = NodeRequestVerifier()
        recentSignatures = RecentSignatures(window: 2 * verifier.maximumSkew)
        evidence = AnchorEvidence(log: storage.log, signer: signer, clock: clock)
        serviceLevels = AnchorServiceLevels(monitor: storage.monitor)
        try await membership.load()
    }

    /// The authenticated node of a request (its registered key, or for a registration the key it registers).
    func authenticate(
        method: String, target: String, body: [UInt8], header: (String) -> String?, registering: Issuer? = nil
    ) throws(NodeRequestRefusal) -> String {
        let now = clock.unixSeconds()
        let node = try verifier.verify(
            method: method, target: target, body: body, now: now, header: header,
            key: { name in registering ?? membership.key(of: name) })
        // Verified, so the header is 64 well-formed bytes.
        let signature = Hex.decode(header(NodeRequestSignature.signatureHeader) ?? "") ?? []
        guard recentSignatures.admit(signature, now: now) else { throw .replayed(node: node) }
        return node
    }

    /// The authenticated operator of a request, verified against the operators' keys only.
    func authenticateOperator(
        method: String, target: String, body: [UInt8], header: (String) -> String?
    ) throws(NodeRequestRefusal) -> String {
        let now = clock.unixSeconds()
        let name = try verifier.verify(
            method: method, target: target, body: body, now: now, header: header, key: { operators[$0] })
        let signature = Hex.decode(header(NodeRequestSignature.signatureHeader) ?? "") ?? []
        guard recentSignatures.admit(signature, now: now) else { throw .replayed(node: name) }
        return name
    }

    /// The `replicas` best healthy hosts of `instance`: pinned healthy nodes first, then rendezvous order, each
    /// node weighing what its service level leaves it (a paging node is relieved; `AnchorServiceLevels`).
    func healthyHosts(for instance: String, replicas: Int) async throws -> [ServiceNode] {
        let healthy = serviceLevels.weighted(try await placement.nodes().filter { membership.isHealthy($0.id) })
        let pinned = try await placement.pins(of: instance)
        return try RendezvousRanking.hostingNodes(for: instance, replicas: replicas, nodes: healthy, pinned: pinned)
    }

    /// Elects the executor of `instance`: keeps a live lease whose holder is healthy and still one of the
    /// instance's `replicas` hosts, else hands a new epoch (compare-and-swap on the epoch it read) to the
    /// highest-ranked healthy host. A live lease is taken over only from a holder that still heartbeats but no
    /// longer hosts the instance (the executor role follows placement): that holder asks the anchor before each
    /// act and learns at once. A holder that stopped heartbeating (dead, or cut off from the anchor) keeps its
    /// lease until it expires, so no new executor acts while one cut off may still think it holds the lease;
    /// it cannot renew, drops the lease and stops (`InstanceHost.renewLeases`). Until then the answer is the
    /// live lease, and the hosts ask again.
    func elect(_ instance: String) async throws -> LeaseRecord {
        for _ in 0..<3 {
            let hosts = try await healthyHosts(for: instance, replicas: replicas)
            guard let best = hosts.first else {
                throw AnchorRefusals.conflict(
                    code: "no-healthy-host", "no healthy node can host \(instance)", field: "instance")
            }
            let found = try await election.record(of: instance)
            let live = found?.isLive(at: clock.unixSeconds()) == true
            if let found, live, let holder = found.holder {
                if hosts.contains(where: { $0.id == holder }) || !membership.isHealthy(holder) { return found }
            }
            let seen = found?.lease.epoch ?? 0
            do {
                return live
                    ? try await election.takeOver(instance, for: best.id, seenEpoch: seen)
                    : try await election.acquire(instance, for: best.id, seenEpoch: seen)
            } catch let error as ElectionError {
                guard case .conflict = error else { throw error }
                // Another election got there first: read again and judge its result.
            }
        }
        throw AnchorRefusals.conflict(
            code: "election-busy", "elections of \(instance) keep racing; retry", field: "instance")
    }

    /// Performs `call` once for the executor `node`, which must hold the call's lease, and records the routing.
    func route(_ call: AnchorCall, for node: String) async throws -> AnchorRouting {
        // A request id is `<instance>/<sequence>/<effect>/<index>`: the lease must be the one of that instance,
        // or the holder of any lease could have the anchor sign outcomes for another instance's calls.
        guard Array(call.request.requestID.utf8).starts(with: Array((call.lease.instance + "/").utf8)) else {
            throw AnchorRefusals.forbidden(
                code: "request-of-another-instance",
                "request \(call.request.requestID) is not a call of \(call.lease.instance)", field: "request.requestID")
        }
        let record = try await election.record(of: call.lease.instance)
        guard let record, record.lease == call.lease, record.holder == node, record.isLive(at: clock.unixSeconds())
        else {
            throw StaleLeaseError(presented: call.lease, current: await election.currentLease(of: call.lease.instance))
        }
        // Once per request: a repeat (a retry after a lost answer, or a replay) gets the statement already signed,
        // and the API is not called again.
        let routing = try await routed.once(Array(call.request.requestID.utf8)) {
            try await self.anchoringNode.route(call)
        }
        guard routing.isNew else { return routing.value }
        await serviceLevels.record([
            NodeSample(node: node, time: clock.unixSeconds(), observation: .routing(instance: call.lease.instance))
        ])
        let routingValue = routing.value
        let payload: AttestationValue = .object([
            "executor": .string(node), "instance": .string(call.lease.instance),
            "epoch": .integer(Int64(clamping: call.lease.epoch)), "requestID": .string(call.request.requestID),
            "effect": .string(call.request.effect), "outcome": .string(routingValue.statement.type),
            "statementID": .string(routingValue.statement.id),
        ])
        let recordStatement = try signer.sign(
            Attestation(
                id: "anchor/routings/\(UUID().uuidString.lowercased())", topic: Self.routingsTopic, type: "routing",
                issuer: signer.issuer, issuedAt: clock.unixSeconds(), payload: payload))
        _ = try await log.append(recordStatement, fencedBy: nil)
        return routingValue
    }

    /// The anchor's periodic look at its members: `probes` (the anchor's probes of its healthy members'
    /// `/health`) are recorded, a node that stopped heartbeating since the last sweep is counted down once,
    /// and every member's standing is evaluated again.
    ///
    /// An outage counts once, when it begins: while a node is known down its instances are placed elsewhere
    /// anyway, and one that comes back should get them back (it catches up from the log), not be held off for
    /// the length of a window. What burns a budget is a node that stays up but answers slowly or wrongly, or
    /// keeps dropping out and back (a lossy link): every drop counts.
    public func sweep(probes: [NodeSample] = []) async {
        let now = clock.unixSeconds()
        let members = membership.members()
        let dropped = serviceLevels.dropped(members.filter { $0.lastHeartbeat != nil }.map { ($0.name, $0.healthy) })
        await serviceLevels.record(
            probes + dropped.map { NodeSample(node: $0, time: now, observation: .availability(up: false)) })
        await serviceLevels.refresh(members.map(\.name), at: now)
    }

    /// The member list with each node's placement weight and service level.
    func members() -> [AnchorMessages.Member] {
        membership.members().map { member in
            var weighted = member
            weighted.weight = serviceLevels.weight(of: member.name, capacity: member.capacity)
            weighted.serviceLevel = serviceLevels.standing(of: member.name)?.level?.rawValue
            return weighted
        }
    }

    /// Every member's service level: objective, counters, the standing of the last sweep, the weight it leaves.
    func serviceLevelReport() async throws -> AnchorMessages.ServiceLevels {
        var levels: [AnchorMessages.ServiceLevel] = []
        for member in members() {
            levels.append(
                AnchorMessages.ServiceLevel(
                    node: member.name, objective: try await serviceLevels.monitor.objective(of: member.name),
                    record: try await serviceLevels.monitor.record(of: member.name),
                    standing: serviceLevels.standing(of: member.name), weight: member.weight ?? member.capacity))
        }
        return AnchorMessages.ServiceLevels(
            nodes: levels, rules: serviceLevels.rules, lastFailure: serviceLevels.lastFailure.withLock { $0 })
    }

    /// Every routing recorded, oldest first.
    func routings() async throws -> [AnchorMessages.Routing] {
        try await AnchorEvidence.all(of: Self.routingsTopic, in: log).compactMap { statement in
            let value = statement.payload
            guard let executor = value["executor"]?.stringValue, let instance = value["instance"]?.stringValue,
                let epoch = value["epoch"]?.integerValue, let requestID = value["requestID"]?.stringValue,
                let effect = value["effect"]?.stringValue, let outcome = value["outcome"]?.stringValue,
                let statementID = value["statementID"]?.stringValue
            else { return nil }
            return AnchorMessages.Routing(
                executor: executor, instance: instance, epoch: UInt64(clamping: epoch), requestID: requestID,
                effect: effect, outcome: outcome, statementID: statementID, at: statement.issuedAt)
        }
    }
}
