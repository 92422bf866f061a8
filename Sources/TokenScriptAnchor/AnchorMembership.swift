import Synchronization
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptSQLite

/// The nodes the anchor knows: their keys and URLs (signed by the anchor into its own log, topic
/// `anchor/nodes`, so they survive a restart), their weights (SQLitePlacement's membership) and their last
/// heartbeats (in memory: after a restart every node is unhealthy until it next beats, the safe side).
final class AnchorMembership: Sendable {
    static let topic = "anchor/nodes"

    private let log: SQLiteAttestationLog
    private let placement: SQLitePlacement
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
    }

    init(
        log: SQLiteAttestationLog, placement: SQLitePlacement, signer: Ed25519AttestationSigner,
        clock: any EngineClock, nodeTimeout: UInt64, allowed: [String: Issuer]? = nil
    ) {
        self.allowed = allowed
        self.log = log
        self.placement = placement
        self.signer = signer
        self.clock = clock
        self.nodeTimeout = nodeTimeout
    }

    /// Rebuilds the registrations from the `anchor/nodes` topic.
    func load() async throws {
        var position: UInt64 = 1
        while true {
            let page = try await log.entries(topic: Self.topic, from: position, limit: 256)
            for entry in page { apply(entry.attestation) }
            guard let last = page.last else { return }
            position = last.position + 1
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

    private func record(type: String, _ registration: AnchorMessages.Registration) async throws {
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
        apply(statement)
    }

    /// Applies one membership statement; only the anchor's own are (the log route refuses `anchor/…` appends,
    /// and this keeps a statement that got there otherwise from rebinding a node's key).
    private func apply(_ statement: Attestation) {
        guard statement.issuer == signer.issuer, let name = statement.payload["name"]?.stringValue,
            let url = statement.payload["url"]?.stringValue,
            let key = statement.payload["key"]?.stringValue,
            let capacity = statement.payload["capacity"]?.integerValue
        else { return }
        let registration = AnchorMessages.Registration(
            name: name, url: url, key: key, capacity: UInt32(clamping: capacity))
        state.withLock { state in
            if statement.type == "node-removed" {
                state.registrations[name] = nil
                state.heartbeats[name] = nil
            } else {
                state.registrations[name] = registration
            }
        }
    }
}
