import Synchronization
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEngine

/// Compares the state hashes hosts report for `(instance, journal sequence)`. The hash most hosts reported is
/// expected: once one hash has more reporters than any other, every host of another hash is a mismatch, signed
/// by the anchor into its log (topic `anchor/evidence`) as evidence against that node. So a faulty host that
/// happens to report first is the one accused, not the honest hosts after it; a tie waits for the next report.
/// A host that contradicts its own earlier report is a mismatch at once. Reports are kept in memory, the
/// evidence on disk.
final class AnchorEvidence: Sendable {
    static let topic = "anchor/evidence"
    /// Sequences remembered per instance; older ones are forgotten first.
    static let remembered = 4_096

    private let log: any AnchorLogStore
    private let signer: Ed25519AttestationSigner
    private let clock: any EngineClock
    /// Instances remembered; a report for one more forgets the whole table (reports are a comparison aid, the
    /// evidence is on disk), so fresh instance names cannot grow the anchor's memory without bound.
    static let rememberedInstances = 65_536
    /// Keyed by the instance id's bytes (Swift `String` equality is Unicode-canonical).
    private let reports = Mutex<[[UInt8]: [UInt64: Reports]]>([:])

    /// What the hosts reported for one sequence, in order, and whom the anchor has accused already.
    private struct Reports {
        var hashes: [(node: String, hash: String)] = []
        var accused: Set<String> = []

        /// The hash more hosts reported than any other, with one of them; nil while two hashes tie.
        var majority: (hash: String, node: String)? {
            var counts: [String: Int] = [:]
            for report in hashes { counts[report.hash, default: 0] += 1 }
            guard let best = counts.values.max(), counts.values.filter({ $0 == best }).count == 1,
                let hash = counts.first(where: { $0.value == best })?.key,
                let node = hashes.first(where: { $0.hash == hash })?.node
            else { return nil }
            return (hash, node)
        }
    }

    init(log: any AnchorLogStore, signer: Ed25519AttestationSigner, clock: any EngineClock) {
        self.log = log
        self.signer = signer
        self.clock = clock
    }

    /// Records `hashes` reported by `node`; the mismatches this report revealed (against `node` or against hosts
    /// it outvoted), each already logged as evidence.
    func report(_ hashes: [AnchorMessages.StateHash], by node: String) async throws -> [AnchorMessages.Evidence] {
        let now = clock.unixSeconds()
        let mismatches: [AnchorMessages.Evidence] = reports.withLock { reports in
            var found: [AnchorMessages.Evidence] = []
            for report in hashes {
                let instance = Array(report.instance.utf8)
                if reports[instance] == nil, reports.count >= Self.rememberedInstances { reports = [:] }
                var known = reports[instance, default: [:]]
                var sequence = known[report.sequence] ?? Reports()
                if let own = sequence.hashes.first(where: { $0.node == node }) {
                    if own.hash != report.stateHash, sequence.accused.insert(node).inserted {
                        found.append(
                            AnchorMessages.Evidence(
                                node: node, instance: report.instance, sequence: report.sequence,
                                reported: report.stateHash, expected: own.hash, expectedBy: node, at: now))
                    }
                } else {
                    sequence.hashes.append((node, report.stateHash))
                    if let majority = sequence.majority {
                        for other in sequence.hashes where other.hash != majority.hash {
                            guard sequence.accused.insert(other.node).inserted else { continue }
                            found.append(
                                AnchorMessages.Evidence(
                                    node: other.node, instance: report.instance, sequence: report.sequence,
                                    reported: other.hash, expected: majority.hash, expectedBy: majority.node, at: now))
                        }
                    }
                }
                known[report.sequence] = sequence
                if known.count > Self.remembered, let oldest = known.keys.min() { known[oldest] = nil }
                reports[instance] = known
            }
            return found
        }
        for mismatch in mismatches { try await record(mismatch) }
        return mismatches
    }

    /// Every mismatch recorded, oldest first.
    func all() async throws -> [AnchorMessages.Evidence] {
        try await Self.all(of: Self.topic, in: log).compactMap { statement in
            let value = statement.payload
            guard let node = value["node"]?.stringValue, let instance = value["instance"]?.stringValue,
                let sequence = value["sequence"]?.integerValue, let reported = value["reported"]?.stringValue,
                let expected = value["expected"]?.stringValue, let by = value["expectedBy"]?.stringValue
            else { return nil }
            return AnchorMessages.Evidence(
                node: node, instance: instance, sequence: UInt64(clamping: sequence), reported: reported,
                expected: expected, expectedBy: by, at: statement.issuedAt)
        }
    }

    private func record(_ evidence: AnchorMessages.Evidence) async throws {
        let payload: AttestationValue = .object([
            "node": .string(evidence.node), "instance": .string(evidence.instance),
            "sequence": .integer(Int64(clamping: evidence.sequence)), "reported": .string(evidence.reported),
            "expected": .string(evidence.expected), "expectedBy": .string(evidence.expectedBy),
        ])
        let id = "anchor/evidence/\(evidence.instance)/\(evidence.sequence)/\(evidence.node)/\(evidence.reported)"
        let statement = try signer.sign(
            Attestation(
                id: String(id.utf8.prefix(256)) ?? id, topic: Self.topic, type: "state-hash-mismatch",
                issuer: signer.issuer, issuedAt: evidence.at, payload: payload))
        do { _ = try await log.append(statement, fencedBy: nil) } catch AttestationLogError.conflictingAttestation {
            // The same mismatch reported again: it is on record already.
        }
    }

    /// Every attestation of `topic` in `log`, in order.
    static func all(of topic: String, in log: any AnchorLogStore) async throws -> [Attestation] {
        var statements: [Attestation] = []
        var position: UInt64 = 1
        while true {
            let page = try await log.entries(topic: topic, from: position, limit: 256)
            statements += page.map(\.attestation)
            guard let last = page.last else { return statements }
            position = last.position + 1
        }
    }
}
