import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptCluster

/// What the anchor's status page shows, read in one go: the members with their service levels, the executors
/// and their epochs, the last attestation of the most recent topics, the last routings and state-hash evidence.
struct AnchorStatus: Sendable {
    struct Node: Sendable {
        var member: AnchorMessages.Member
        var standing: SLOStanding?
        /// Live executor leases the node holds.
        var seats: Int
    }

    struct Executor: Sendable {
        var record: LeaseRecord
        var live: Bool
    }

    struct TopicLast: Sendable {
        var topic: String
        var position: UInt64
        var attestation: Attestation?
    }

    var name: String
    var time: UInt64
    var replicas: Int
    var nodes: [Node]
    var executors: [Executor]
    var topics: [TopicLast]
    var routings: [Attestation]
    var evidence: [Attestation]
}

extension Anchor {
    /// How many rows each table of the status page shows at most.
    static let statusRows = 25

    /// The status page's snapshot at the anchor's clock.
    func status(name: String) async throws -> AnchorStatus {
        let now = clock.unixSeconds()
        let leases = try await election.records(limit: Self.statusRows)
        let executors = leases.map { AnchorStatus.Executor(record: $0, live: $0.isLive(at: now) && $0.holder != nil) }
        var seats: [String: Int] = [:]
        for executor in executors where executor.live { seats[executor.record.holder ?? "", default: 0] += 1 }
        let nodes = members().map { member in
            AnchorStatus.Node(
                member: member, standing: serviceLevels.standing(of: member.name), seats: seats[member.name] ?? 0)
        }
        var topics: [AnchorStatus.TopicLast] = []
        for topic in try await log.latestTopics(limit: Self.statusRows) {
            let last = try await log.latestEntry(of: topic.topic)
            topics.append(
                AnchorStatus.TopicLast(
                    topic: topic.topic, position: last?.position ?? 0, attestation: last?.attestation))
        }
        return AnchorStatus(
            name: name, time: now, replicas: replicas, nodes: nodes, executors: executors, topics: topics,
            routings: try await lastEntries(of: Self.routingsTopic),
            evidence: try await lastEntries(of: AnchorEvidence.topic))
    }

    /// The last `statusRows` attestations of `topic`, newest first.
    private func lastEntries(of topic: String) async throws -> [Attestation] {
        let head = try await log.head(of: topic)
        guard head > 0 else { return [] }
        let from = head > UInt64(Self.statusRows) ? head - UInt64(Self.statusRows) + 1 : 1
        return try await log.entries(topic: topic, from: from, limit: Self.statusRows).map(\.attestation).reversed()
    }
}
