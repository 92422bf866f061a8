import Crypto
import TokenScriptAttestation
import TokenScriptArithmetic

/// One record of `order/<instance>`: the executor's signed statement that the instance consumes the input at
/// `(topic, position)` (attestation `id`) next. Every host applies these records in position order, so every
/// host journals the same inputs in the same order.
struct OrderRecord: Sendable, Hashable {
    static let type = "input"
    var topic: String
    var position: UInt64
    var id: String

    static func topic(of instance: String) -> String { "order/" + instance }

    /// The unsigned record for `instance`; its id is derived from (instance, input topic, input position), so
    /// ordering one input twice names the same attestation and the log keeps one.
    func attestation(instance: String, issuer: Issuer, issuedAt: UInt64) -> Attestation {
        let digest = SHA256.hash(data: Array("\(instance)\n\(topic)\n\(position)".utf8))
        return Attestation(
            id: "order-" + Hex.encode(Array(digest), prefix: false), topic: Self.topic(of: instance), type: Self.type,
            issuer: issuer, issuedAt: issuedAt,
            payload: .object([
                "topic": .string(topic), "position": .integer(Int64(clamping: position)), "id": .string(id),
            ]))
    }

    /// Reads a logged record; nil for anything else (a record this node cannot apply stops the loop).
    init?(_ attestation: Attestation) {
        guard attestation.type == Self.type, let topic = attestation.payload["topic"]?.stringValue,
            let position = attestation.payload["position"]?.integerValue, position > 0,
            let id = attestation.payload["id"]?.stringValue
        else { return nil }
        self.init(topic: topic, position: UInt64(position), id: id)
    }

    init(topic: String, position: UInt64, id: String) {
        self.topic = topic
        self.position = position
        self.id = id
    }
}
