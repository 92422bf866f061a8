import TokenScriptCluster
import TokenScriptEffects
import TokenScriptEngine

/// The JSON bodies of the anchor API, shared by the anchor (TokenScriptAnchor) and its clients so the two
/// cannot drift apart. Every answer carries `"status": "ok"` (or `"error"` with `AnchorErrorBody`).
public enum AnchorMessages {
    /// `POST /v1/nodes`: a node registers, signing the request with the key it registers.
    public struct Registration: Codable, Sendable, Hashable {
        public var name: String
        public var url: String
        /// The node's Ed25519 public key, `0x` hex (`Issuer.key`).
        public var key: String
        /// Its placement weight, 1…`ServiceNode.maximumWeight`.
        public var capacity: UInt32

        public init(name: String, url: String, key: String, capacity: UInt32) {
            self.name = name
            self.url = url
            self.key = key
            self.capacity = capacity
        }
    }

    /// One registered node as the anchor sees it.
    public struct Member: Codable, Sendable, Hashable {
        public var name: String
        public var url: String
        public var key: String
        public var capacity: UInt32
        /// Anchor-clock seconds of the last heartbeat; nil before the first.
        public var lastHeartbeat: UInt64?
        public var healthy: Bool
        /// The weight the anchor places with: `capacity` lowered by the node's service level (0 while a page-level
        /// burn-rate rule fires: relieved of its instances). Nil from an anchor before service levels.
        public var weight: UInt32?
        /// `"page"` or `"ticket"` while such a burn-rate rule fires against the node; nil while it keeps its
        /// objective.
        public var serviceLevel: String?

        public init(name: String, url: String, key: String, capacity: UInt32, lastHeartbeat: UInt64?, healthy: Bool) {
            self.name = name
            self.url = url
            self.key = key
            self.capacity = capacity
            self.lastHeartbeat = lastHeartbeat
            self.healthy = healthy
        }
    }

    public struct Members: Codable, Sendable {
        public var status = "ok"
        public var nodes: [Member]
        /// How many hosts each instance has, the anchor's `--replicas`.
        public var replicas: Int?
        public init(nodes: [Member], replicas: Int? = nil) {
            self.nodes = nodes
            self.replicas = replicas
        }
    }

    public struct MemberAnswer: Codable, Sendable {
        public var status = "ok"
        public var node: Member
        public init(node: Member) { self.node = node }
    }

    /// A `ServiceNode` on the wire.
    public struct Host: Codable, Sendable, Hashable {
        public var id: String
        public var weight: UInt32
        public init(_ node: ServiceNode) {
            id = node.id
            weight = node.weight
        }
        public var node: ServiceNode { ServiceNode(id: id, weight: weight) }
    }

    /// `GET /v1/placement/{instance}?replicas=N` and `GET /v1/placement`.
    public struct Hosts: Codable, Sendable {
        public var status = "ok"
        public var hosts: [Host]
        public init(hosts: [ServiceNode]) { self.hosts = hosts.map(Host.init) }
    }

    /// `PUT /v1/placement/{instance}/pins`.
    public struct Pins: Codable, Sendable {
        public var nodes: [String]
        public init(nodes: [String]) { self.nodes = nodes }
    }

    /// A `LeaseRecord` on the wire.
    public struct Lease: Codable, Sendable, Hashable {
        public var instance: String
        public var epoch: UInt64
        public var holder: String?
        public var expiresAt: UInt64

        public init(_ record: LeaseRecord) {
            instance = record.lease.instance
            epoch = record.lease.epoch
            holder = record.holder
            expiresAt = record.expiresAt
        }

        public var record: LeaseRecord {
            LeaseRecord(lease: ExecutorLease(instance: instance, epoch: epoch), holder: holder, expiresAt: expiresAt)
        }
    }

    /// An election's or a renewal's answer, and `GET /v1/leases/{instance}` (lease nil: never elected).
    public struct LeaseAnswer: Codable, Sendable {
        public var status = "ok"
        public var lease: Lease?
        /// Whether `lease` holds now, by the anchor's clock.
        public var live: Bool
        public init(lease: LeaseRecord?, live: Bool) {
            self.lease = lease.map(Lease.init)
            self.live = live
        }
    }

    /// `POST /v1/leases/{instance}/renew|release`: the lease the holder presents.
    public struct LeaseClaim: Codable, Sendable {
        public var epoch: UInt64
        public init(epoch: UInt64) { self.epoch = epoch }
    }

    /// `POST /v1/log`.
    public struct Append: Codable, Sendable {
        public var attestation: WireAttestation
        public var fence: ExecutorLease?
        public init(attestation: WireAttestation, fence: ExecutorLease?) {
            self.attestation = attestation
            self.fence = fence
        }
    }

    /// A `LogEntry` on the wire.
    public struct Entry: Codable, Sendable, Hashable {
        public var position: UInt64
        public var attestation: WireAttestation
        public var fence: ExecutorLease?

        public init(_ entry: LogEntry) {
            position = entry.position
            attestation = WireAttestation(entry.attestation)
            fence = entry.fence
        }

        public var entry: LogEntry { LogEntry(position: position, attestation: attestation.attestation, fence: fence) }
    }

    public struct AppendAnswer: Codable, Sendable {
        public var status = "ok"
        /// false when the attestation's id was logged already (nothing written).
        public var appended: Bool
        public var entry: Entry
        public init(_ append: LogAppend) {
            if case .appended = append { appended = true } else { appended = false }
            entry = Entry(append.entry)
        }
        public var logAppend: LogAppend { appended ? .appended(entry.entry) : .alreadyLogged(entry.entry) }
    }

    public struct Entries: Codable, Sendable {
        public var status = "ok"
        public var topic: String
        public var entries: [Entry]
        public init(topic: String, entries: [LogEntry]) {
            self.topic = topic
            self.entries = entries.map(Entry.init)
        }
    }

    /// `GET /v1/topics?from=N&limit=M`: the topic index (`AttestationLog.topics(from:limit:)`).
    public struct Topics: Codable, Sendable {
        public var status = "ok"
        public var topics: [LogTopic]
        public init(topics: [LogTopic]) {
            self.topics = topics
        }
    }

    public struct Head: Codable, Sendable {
        public var status = "ok"
        public var topic: String
        public var head: UInt64
        public init(topic: String, head: UInt64) {
            self.topic = topic
            self.head = head
        }
    }

    /// `POST /v1/route`: the executor's `AnchorCall`.
    public struct Call: Codable, Sendable {
        public var request: BuiltEffectRequest
        public var lease: ExecutorLease
        public var number: Int
        public var startedAt: UInt64
        public var elapsedMilliseconds: Int64

        public init(_ call: AnchorCall) {
            request = call.request
            lease = call.lease
            number = call.number
            startedAt = call.startedAt
            elapsedMilliseconds = call.elapsedMilliseconds
        }

        public var call: AnchorCall {
            AnchorCall(
                request: request, lease: lease, number: number, startedAt: startedAt,
                elapsedMilliseconds: elapsedMilliseconds)
        }
    }

    public struct RoutingAnswer: Codable, Sendable {
        public var status = "ok"
        public var attempt: EffectAttempt
        public var statement: WireAttestation
        public var failed: Bool
        public init(_ routing: AnchorRouting) {
            attempt = routing.attempt
            statement = WireAttestation(routing.statement)
            failed = routing.failed
        }
        public var routing: AnchorRouting { AnchorRouting(attempt: attempt, statement: statement.attestation) }
    }

    /// One failure routing, recorded against the executor that asked for it (`GET /v1/routings`).
    public struct Routing: Codable, Sendable, Hashable {
        public var executor: String
        public var instance: String
        public var epoch: UInt64
        public var requestID: String
        public var effect: String
        /// The type of the statement the anchor signed: `failed`, `success` or `error`.
        public var outcome: String
        public var statementID: String
        public var at: UInt64

        public init(
            executor: String, instance: String, epoch: UInt64, requestID: String, effect: String, outcome: String,
            statementID: String, at: UInt64
        ) {
            self.executor = executor
            self.instance = instance
            self.epoch = epoch
            self.requestID = requestID
            self.effect = effect
            self.outcome = outcome
            self.statementID = statementID
            self.at = at
        }
    }

    public struct Routings: Codable, Sendable {
        public var status = "ok"
        public var routings: [Routing]
        public init(routings: [Routing]) { self.routings = routings }
    }

    /// `POST /v1/state-hashes`: one host's report of where an instance is.
    public struct StateHash: Codable, Sendable, Hashable {
        public var instance: String
        public var sequence: UInt64
        public var stateHash: String
        public init(instance: String, sequence: UInt64, stateHash: String) {
            self.instance = instance
            self.sequence = sequence
            self.stateHash = stateHash
        }
    }

    public struct StateHashAnswer: Codable, Sendable {
        public var status = "ok"
        public var accepted: Int
        /// Mismatches this report revealed (already recorded as evidence).
        public var mismatches: [Evidence]
        public init(accepted: Int, mismatches: [Evidence]) {
            self.accepted = accepted
            self.mismatches = mismatches
        }
    }

    /// A node reported another state hash for a journal sequence than most hosts did (or than it did before).
    public struct Evidence: Codable, Sendable, Hashable {
        public var node: String
        public var instance: String
        public var sequence: UInt64
        public var reported: String
        /// The hash most hosts reported for that sequence, and one host that reported it.
        public var expected: String
        public var expectedBy: String
        public var at: UInt64

        public init(
            node: String, instance: String, sequence: UInt64, reported: String, expected: String,
            expectedBy: String, at: UInt64
        ) {
            self.node = node
            self.instance = instance
            self.sequence = sequence
            self.reported = reported
            self.expected = expected
            self.expectedBy = expectedBy
            self.at = at
        }
    }

    public struct EvidenceList: Codable, Sendable {
        public var status = "ok"
        public var evidence: [Evidence]
        public init(evidence: [Evidence]) { self.evidence = evidence }
    }
}
