import TokenScriptAttestation

/// The attestations an instance has consumed, by id, with their content digests: what the verifier needs
/// of the journal to tell a redelivery (ignored) from a replay under a reused id (rejected).
///
/// Kept by `JournaledInstance` instead of the journal itself. It grows with the inputs the instance
/// consumed (one id and a 32-byte digest each), never with what the transitions produced, so a long
/// journal's snapshots, events and effects stay in the store. A bound on it is a policy question
/// (forgetting ids older than every trusted attestation's expiry) left to a later issue.
public struct JournalHistory: Sendable, Hashable, AttestationHistory {
    private var digests: [String: [UInt8]] = [:]

    public init() {}

    /// The history of `entries`, in order.
    public init(_ entries: some Sequence<JournalEntry>) {
        for entry in entries { record(entry) }
    }

    public func contentDigest(forID id: String) -> [UInt8]? { digests[id] }

    /// Remembers the attestation of a step that consumed it; the first one recorded under an id wins.
    public mutating func record(_ entry: JournalEntry) {
        if entry.outcome.consumed, digests[entry.attestation.id] == nil {
            digests[entry.attestation.id] = entry.attestation.contentDigest
        }
    }

    /// Attestation ids remembered.
    public var count: Int { digests.count }
}
