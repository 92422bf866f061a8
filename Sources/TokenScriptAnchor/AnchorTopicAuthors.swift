import TokenScriptAttestation
import TokenScriptEffects

/// Who may write which topics of the anchor's log through `POST /v1/log`.
///
/// - `anchor/…` (membership, routings, evidence) is the anchor's own record, signed by its key and read back
///   at start: no request may append there (a forged `anchor/nodes` entry would rebind a node's key).
/// - The network's records about instances — `order/<id>`, `inbox/<id>`, `instance/<id>`, `changes/<id>`,
///   `retired/<id>` and `instances` —
///   are statements of the node that appends them: the attestation must be signed, validly, by the requesting
///   node's registered key, so a node cannot put its words in another's mouth.
/// - Every other topic carries attestations from outside (an airline, an effect's outcome) that the node
///   relaying them verified against the token's trust; the anchor orders them without judging them.
enum AnchorTopicAuthors {
    static let anchorPrefix = Array("anchor/".utf8)
    static let nodePrefixes = ["order/", "inbox/", "instance/", ChangeAttestations.topicPrefix, "retired/"].map {
        Array($0.utf8)
    }
    static let nodeTopics = [Array("instances".utf8)]

    /// Refuses an append of `attestation` by `node` (registered with `key`) that the rules above forbid.
    static func check(_ attestation: Attestation, by node: String, key: Issuer?) throws {
        let topic = Array(attestation.topic.utf8)
        if topic.starts(with: anchorPrefix) {
            throw AnchorRefusals.forbidden(
                code: "reserved-topic", "\(attestation.topic) is written by the anchor alone", field: "topic")
        }
        guard nodeTopics.contains(topic) || nodePrefixes.contains(where: { topic.starts(with: $0) }) else { return }
        guard let key, attestation.issuer == key else {
            throw AnchorRefusals.forbidden(
                code: "not-the-signer",
                "\(attestation.topic) takes only statements signed by the appending node (\(node))'s own key",
                field: "issuer")
        }
        if let reason = attestation.signatureRejection {
            throw AnchorRefusals.forbidden(
                code: "bad-signature", AttestationRejection(id: attestation.id, reason: reason).description,
                field: "signature")
        }
    }
}
