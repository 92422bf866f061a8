/// Why the attestation log refused a request; a refused append writes nothing.
public enum AttestationLogError: Error, Hashable, CustomStringConvertible {
    /// The attestation breaks a shape rule (`Attestation.firstMalformedField`).
    case malformed(field: String)
    /// The id is logged already, with other content: ids are unique across the whole log.
    case conflictingAttestation(id: String, loggedAt: String)
    /// A read from position 0 or with a limit below 1: positions start at 1.
    case invalidRange(from: UInt64, limit: Int)

    public var description: String {
        switch self {
        case .malformed(let field): "append refused: the attestation's \(field) is malformed"
        case .conflictingAttestation(let id, let loggedAt):
            "append refused: attestation id \(id) is logged already at \(loggedAt) with other content"
        case .invalidRange(let from, let limit):
            "read refused: from position \(from), limit \(limit); positions start at 1 and the limit at 1"
        }
    }
}
