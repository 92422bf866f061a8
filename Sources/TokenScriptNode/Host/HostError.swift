/// Why the host refused a request, with the HTTP status it maps to and a stable kebab-case code. Every refusal
/// is decided before anything is written, so a refused request changes nothing.
public struct HostError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// 400: a malformed body or field.
        case badRequest
        /// 403: a read grant refused.
        case forbidden
        /// 404: no such instance, interface or script.
        case notFound
        /// 409: the instance exists already, or a position not reached in time.
        case conflict
        /// 410: the instance expired and was retired; its journal is archived.
        case gone
        /// 413: the body is over the cap.
        case tooLarge
        /// 422: an attestation whose signature or issuer no hosted definition accepts.
        case unprocessable
        /// 500: the store, the runtime or the log failed.
        case internalError
    }

    public var kind: Kind
    public var code: String
    public var message: String
    public var field: String?
    /// For `position-not-reached`: the position the instance is at.
    public var position: UInt64?

    public init(_ kind: Kind, code: String, _ message: String, field: String? = nil, position: UInt64? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.field = field
        self.position = position
    }

    public var description: String { field.map { "\(code): \($0): \(message)" } ?? "\(code): \(message)" }

    static func internalError(_ message: String) -> HostError { HostError(.internalError, code: "internal", message) }
}
