import Hummingbird
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptHTTPServer

/// The anchor's refusals and how its domain errors are answered: 401 for an unauthenticated request, 400 for
/// a malformed one, 404 unknown, 409 conflict or stale epoch, 413 too large, 422 a malformed attestation.
enum AnchorRefusals {
    static func malformed(_ message: String, field: String) -> HTTPRefusal {
        HTTPRefusal(.badRequest, code: "malformed", message, field: field)
    }

    static func notFound(code: String, _ message: String, field: String) -> HTTPRefusal {
        HTTPRefusal(.notFound, code: code, message, field: field)
    }

    static func conflict(code: String, _ message: String, field: String) -> HTTPRefusal {
        HTTPRefusal(.conflict, code: code, message, field: field)
    }

    static func forbidden(code: String, _ message: String, field: String) -> HTTPRefusal {
        HTTPRefusal(.forbidden, code: code, message, field: field)
    }

    /// The answer for a cluster protocol error or a node-request refusal; nil for anything else (a 500).
    @Sendable static func translate(_ error: any Error) -> Response? {
        if let refusal = error as? NodeRequestRefusal {
            return HTTPJSON.error(refusal.description, code: refusal.code, field: refusal.field, status: .unauthorized)
        }
        if let wire = error as? AnchorWireError, case .malformedAttestation(let field, _) = wire {
            return HTTPJSON.error(
                wire.description, code: "malformed-attestation", field: field, status: .unprocessableContent)
        }
        guard let detail = AnchorErrorBody.describing(error) else { return nil }
        let status: HTTPResponse.Status =
            switch detail.code {
            case "stale-lease", "election-conflict", "conflicting-attestation": .conflict
            case "malformed-attestation": .unprocessableContent
            default: .badRequest
            }
        return HTTPJSON.json(AnchorErrorBody(detail), status: status)
    }
}
