import TokenScriptJSON

/// Attestations sent together: a JSON array of wire-form attestations (`POST /v1/attestations` with an array
/// body), so a publisher with many statements pays one request, one verification pass and shared commits.
///
/// Every element is read as strictly as a single attestation; an error names the element, e.g.
/// `[3].issuer.key`, and refuses the whole batch.
public enum AttestationBatch {
    /// The most attestations one batch may carry; a longer one is refused before any element is read.
    public static let maximumCount = 1_000

    /// The attestations of a parsed array body, in order.
    public static func attestations(_ value: JSONValue) throws(AttestationDecodingError) -> [Attestation] {
        guard case .array(let items) = value else {
            throw AttestationDecodingError(field: "", reason: "expected an array of attestations, got \(value.kind)")
        }
        guard !items.isEmpty else { throw AttestationDecodingError(field: "", reason: "the batch is empty") }
        guard items.count <= maximumCount else {
            throw AttestationDecodingError(
                field: "", reason: "\(items.count) attestations in one batch; at most \(maximumCount)")
        }
        var attestations: [Attestation] = []
        attestations.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard item.objectValue != nil else {
                throw AttestationDecodingError(field: "[\(index)]", reason: "expected an attestation, got \(item.kind)")
            }
            do throws(AttestationDecodingError) {
                attestations.append(try Attestation(wire: try AttestationValue(json: item)))
            } catch {
                let field = error.field.isEmpty ? "[\(index)]" : "[\(index)].\(error.field)"
                throw AttestationDecodingError(field: field, reason: error.reason)
            }
        }
        return attestations
    }
}
