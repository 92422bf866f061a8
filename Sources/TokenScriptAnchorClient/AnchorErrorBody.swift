import TokenScriptAttestation
import TokenScriptCluster

/// The anchor's error answer, `{"status": "error", "error": {"code", "message", "field"?, …}}`, with the
/// values a client needs to rebuild the cluster protocol's typed error (a stale lease's current epoch, the
/// record an election lost to), so code written against `any AttestationLog` catches the same errors
/// whether the log is local or remote.
public struct AnchorErrorBody: Codable, Sendable, Hashable {
    public struct Detail: Codable, Sendable, Hashable {
        public var code: String
        public var message: String
        public var field: String?
        public var presented: ExecutorLease?
        public var current: ExecutorLease?
        public var found: AnchorMessages.Lease?
        public var seenEpoch: UInt64?
        public var candidate: String?
        public var id: String?
        public var loggedAt: String?
        public var from: UInt64?
        public var limit: Int?

        public init(code: String, message: String, field: String? = nil) {
            self.code = code
            self.message = message
            self.field = field
        }
    }

    public var status = "error"
    public var error: Detail

    public init(_ error: Detail) {
        self.error = error
    }

    /// The body for a cluster protocol error, with its code; nil for an error that is not one.
    public static func describing(_ error: any Error) -> Detail? {
        switch error {
        case let stale as StaleLeaseError:
            var detail = Detail(code: "stale-lease", message: stale.description, field: "fence")
            detail.presented = stale.presented
            detail.current = stale.current
            return detail
        case let election as ElectionError:
            switch election {
            case .conflict(let instance, let candidate, let seenEpoch, let found):
                var detail = Detail(code: "election-conflict", message: election.description, field: "instance")
                detail.found = found.map(AnchorMessages.Lease.init)
                detail.seenEpoch = seenEpoch
                detail.candidate = candidate
                detail.id = instance
                return detail
            case .emptyName(let field):
                return Detail(code: "empty-name", message: election.description, field: field)
            }
        case let log as AttestationLogError:
            switch log {
            case .malformed(let field):
                return Detail(code: "malformed-attestation", message: log.description, field: field)
            case .conflictingAttestation(let id, let loggedAt):
                var detail = Detail(code: "conflicting-attestation", message: log.description, field: "attestation.id")
                detail.id = id
                detail.loggedAt = loggedAt
                return detail
            case .invalidRange(let from, let limit):
                var detail = Detail(code: "invalid-range", message: log.description, field: from < 1 ? "from" : "limit")
                detail.from = from
                detail.limit = limit
                return detail
            }
        case let placement as PlacementError:
            var detail = Detail(code: "", message: placement.description)
            switch placement {
            case .emptyName(let field):
                (detail.code, detail.field) = ("placement-empty-name", field)
            case .invalidWeight(let node, let weight):
                (detail.code, detail.field, detail.id, detail.limit) = ("invalid-weight", "capacity", node, Int(weight))
            case .unknownNode(let node):
                (detail.code, detail.field, detail.id) = ("unknown-node", "nodes", node)
            case .duplicateNode(let node):
                (detail.code, detail.field, detail.id) = ("duplicate-node", "nodes", node)
            case .invalidReplicaCount(let count):
                (detail.code, detail.field, detail.limit) = ("invalid-replicas", "replicas", count)
            }
            return detail
        default:
            return nil
        }
    }

    /// The typed cluster error this body stands for, or nil (then the client throws `AnchorClientError`).
    public var clusterError: (any Error)? {
        switch error.code {
        case "stale-lease":
            guard let presented = error.presented else { return nil }
            return StaleLeaseError(presented: presented, current: error.current)
        case "election-conflict":
            return ElectionError.conflict(
                instance: error.id ?? "", candidate: error.candidate ?? "", seenEpoch: error.seenEpoch ?? 0,
                found: error.found?.record)
        case "empty-name":
            return ElectionError.emptyName(field: error.field ?? "")
        case "malformed-attestation":
            return AttestationLogError.malformed(field: error.field ?? "")
        case "conflicting-attestation":
            return AttestationLogError.conflictingAttestation(id: error.id ?? "", loggedAt: error.loggedAt ?? "")
        case "invalid-range":
            return AttestationLogError.invalidRange(from: error.from ?? 0, limit: error.limit ?? 0)
        case "placement-empty-name":
            return PlacementError.emptyName(field: error.field ?? "")
        case "invalid-weight":
            return PlacementError.invalidWeight(node: error.id ?? "", weight: UInt32(clamping: error.limit ?? 0))
        case "unknown-node" where error.id != nil:
            return PlacementError.unknownNode(error.id ?? "")
        case "duplicate-node":
            return PlacementError.duplicateNode(error.id ?? "")
        case "invalid-replicas":
            return PlacementError.invalidReplicaCount(error.limit ?? 0)
        default:
            return nil
        }
    }
}

/// An anchor answer that is no cluster protocol error: a refusal (401, 400, 404, 413) or a failure.
public struct AnchorClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status; 0 when no answer came.
    public var status: Int
    public var code: String
    public var message: String
    public var field: String?

    public init(status: Int, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String {
        let about = field.map { " (field \($0))" } ?? ""
        return "anchor answered \(status) \(code)\(about): \(message)"
    }
}
