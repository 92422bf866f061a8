import TokenScriptAttestation

/// One attestation at its place in its topic's log.
public struct LogEntry: Sendable, Hashable {
    /// 1, 2, 3, … within the topic, with no gaps: a reader that has position `p` has everything before it.
    public var position: UInt64
    public var attestation: Attestation
    /// The executor lease the entry was appended under; nil for an unfenced append (an issuer's statement).
    public var fence: ExecutorLease?

    public init(position: UInt64, attestation: Attestation, fence: ExecutorLease?) {
        self.position = position
        self.attestation = attestation
        self.fence = fence
    }

    /// The attestation's topic (each topic is an ordered log of its own): read from the attestation, so an
    /// entry cannot be filed under a topic its attestation does not name.
    public var topic: String { attestation.topic }
}

/// What `AttestationLog.append` did.
public enum LogAppend: Sendable, Hashable {
    /// The attestation was written as this new entry.
    case appended(LogEntry)
    /// The attestation's id was already logged (with the same content): nothing was written; this is the
    /// entry already in the log.
    case alreadyLogged(LogEntry)

    /// The entry now in the log: the new one, or the one already logged under the attestation's id.
    public var entry: LogEntry {
        switch self {
        case .appended(let entry), .alreadyLogged(let entry): entry
        }
    }

    /// Whether the id was logged before this append (a retry): nothing was written.
    public var wasLoggedBefore: Bool {
        if case .alreadyLogged = self { true } else { false }
    }
}
