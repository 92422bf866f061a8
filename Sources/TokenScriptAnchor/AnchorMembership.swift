import Synchronization
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEngine

/// The nodes the anchor knows: their keys and URLs (signed by the anchor into its own log, topic
/// `anchor/nodes`, so they survive a restart), their weights (placement's membership) and their last
/// heartbeats (in memory: after a restart every node is unhealthy until it next beats, the safe side).
final class AnchorMembership: Sendable {
    static let topic = "anchor/nodes"

    private let log: any AnchorLogStore
    private let placement: any AnchorPlacementStore
    private let signer: Ed25519AttestationSigner
    private let clock: any EngineClock
    /// A node is healthy while its last heartbeat is at most this many seconds old.
    let nodeTimeout: UInt64
    /// The nodes allowed to register, by name, with their keys; nil lets any key register a new name.
    let allowed: [String: Issuer]?
    private let state = Mutex<State>(State())
    /// Registrations and removals one at a time: each reads the table, logs, then updates placement.
    private let writes = AsyncSerialQueue()

    private struct State {
        var registrations: [String: AnchorMessages.Registration] = [:]
        var heartbeats: [String: UInt64] = [:]
        /// The position of `anchor/nodes` the next statement to apply is at.
        var next: UInt64 = 1
    }

    init(
        log: any AnchorLogStore, placement: any AnchorPlacementStore, signer: Ed25519AttestationSigner,
        clock: any EngineClock, nodeTimeout: UInt64, allowed: [String: Issuer]? = nil
    ) {
        self.allowed = allowed
        self.log = log
        self.placement = placement
        self.signer = signer
        self.clock = clock
        self.nodeTimeout = nodeTimeout
    }

    /// Rebuilds the registrations from the `anchor/nodes` topic, or catches up with the statements logged since
    /// the last call (by another anchor sharing the store).
    func load() async throws {
        while true {
            let position = state.withLock { $0.next }
            let page = try await log.entries(topic: Self.topic, from: position, limit: 256)
            guard !page.isEmpty else { return }
            state.withLock { state in
                // Another catch-up may have applied these meanwhile: apply each position once, in order.
                for entry in page where entry.position >= state.next {
                    Self.apply(entry.attestation, anchor: signer.issuer, to: &state)
                    state.next = entry.position + 1
                }
            }
            if page.count < 256 { return }
        }
    }

    /// Follows the registrations other anchors on a shared store log: catches up at every append to the topic
    /// this store sees (a database's `NOTIFY` included) and every `fallback` otherwise, until cancelled.
    func follow(fallback: Duration) async {
        let listener = log.listen(to: Self.topic)
        defer { listener.close() }
        while !Task.isCancelled {
            try? await load()
            await listener.wait(timeout: fallback)
        }
    }

    /// The registered Ed25519 key of `name`.
    func key(of name: String) -> Issuer? {
        state.withLock { $0.registrations[name] }.flatMap { Issuer(scheme: .ed25519, key: $0.key) }
    }

    /// Registers (or re-registers) a node: refused when the name is registered with another key.
    func register(_ registration: AnchorMessages.Registration) async throws -> AnchorMessages.Member {
        if let allowed,
            allowed[registration.name] == nil
                || allowed[registration.name] != Issuer(scheme: .ed25519, key: registration.key)
        {
            throw AnchorRefusals.forbidden(
                code: "not-a-member", "node \(registration.name) with this key is not one of the anchor's members",
                field: "name")
        }
        return try await writes.run {
            let known = state.withLock { $0.registrations[registration.name] }
            if let known, known.key != registration.key {
                throw AnchorRefusals.conflict(
                    code: "name-taken", "node \(registration.name) is registered with another key", field: "key")
            }
            // The record first: a registration that fails after it is retried whole, one that fails before it
            // changed nothing.
            if known != registration { try await record(type: "node", registration) }
            try await placement.register(ServiceNode(id: registration.name, weight: registration.capacity))
            guard let member = member(registration.name) else {
                throw AnchorRefusals.conflict(code: "removed", "node \(registration.name) was removed", field: "name")
            }
            return member
        }
    }

    /// Removes a node: its registration, weight, pins and heartbeat.
    func remove(_ name: String) async throws -> AnchorMessages.Member {
        try await writes.run {
            guard let registration = state.withLock({ $0.registrations[name] }), let member = member(name) else {
                throw AnchorRefusals.notFound(code: "unknown-node", "no node \(name) is registered", field: "name")
            }
            try await record(type: "node-removed", registration)
            try await placement.remove(node: name)
            return member
        }
    }

    func heartbeat(_ name: String) -> AnchorMessages.Member? {
        let now = clock.unixSeconds()
        state.withLock { state in
            if state.registrations[name] != nil { state.heartbeats[name] = now }
        }
        return member(name)
    }

    func isHealthy(_ name: String) -> Bool { member(name)?.healthy ?? false }

    func member(_ name: String) -> AnchorMessages.Member? {
        let now = clock.unixSeconds()
        return state.withLock { state in
            guard let registration = state.registrations[name], isAllowed(registration) else { return nil }
            let beat = state.heartbeats[name]
            return AnchorMessages.Member(
                name: registration.name, url: registration.url, key: registration.key,
                capacity: registration.capacity, lastHeartbeat: beat,
                healthy: beat.map { now >= $0 && now - $0 <= nodeTimeout } ?? false)
        }
    }

    /// Whether `registration` may be a member: always without an allow-list; with one, only its name with its
    /// key (a node registered before the list was set, or with another key, is not a member any more).
    private func isAllowed(_ registration: AnchorMessages.Registration) -> Bool {
        guard let allowed else { return true }
        return allowed[registration.name].map { $0 == Issuer(scheme: .ed25519, key: registration.key) } ?? false
    }

    func members() -> [AnchorMessages.Member] {
        let names = state.withLock { $0.registrations.keys.sorted() }
        return names.compactMap(member)
    }

    /// Logs a membership statement at the topic's next position. Another anchor sharing the store may take that
    /// position first (the same id with other content is refused): then catch up and try the next one.
    private func record(type: String, _ registration: AnchorMessages.Registration) async throws {
        for attempt in 1...8 {
            do { return try await recordOnce(type: type, registration) } catch AttestationLogError
                .conflictingAttestation
                where attempt < 8
            {
                try await load()
            }
        }
    }

    private func recordOnce(type: String, _ registration: AnchorMessages.Registration) async throws {
        let position = try await log.head(of: Self.topic) + 1
        let payload: AttestationValue = .object([
            "name": .string(registration.name), "url": .string(registration.url), "key": .string(registration.key),
            "capacity": .integer(Int64(registration.capacity)),
        ])
        let statement = try signer.sign(
            Attestation(
                id: "anchor/nodes/\(position)", topic: Self.topic, type: type, issuer: signer.issuer,
                issuedAt: clock.unixSeconds(), payload: payload, signature: []))
        _ = try await log.append(statement, fencedBy: nil)
        try await load()
    }

    /// Applies one membership statement; only the anchor's own are (the log route refuses `anchor/…` appends,
    /// and this keeps a statement that got there otherwise from rebinding a node's key). Anchors sharing a store
    /// share the network's anchor key, so each applies the others' statements too.
    private static func apply(_ statement: Attestation, anchor: Issuer, to state: inout State) {
        guard statement.issuer == anchor, let name = statement.payload["name"]?.stringValue,
            let url = statement.payload["url"]?.stringValue,
            let key = statement.payload["key"]?.stringValue,
            let capacity = statement.payload["capacity"]?.integerValue
        else { return }
        let registration = AnchorMessages.Registration(
            name: name, url: url, key: key, capacity: UInt32(clamping: capacity))
        if statement.type == "node-removed" {
            state.registrations[name] = nil
            state.heartbeats[name] = nil
        } else {
            state.registrations[name] = registration
        }
    }
}
