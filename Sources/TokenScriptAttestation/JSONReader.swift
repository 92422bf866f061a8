import TokenScriptJSON

/// The wire form's reader: the package's strict JSON reader, then the attestation rules.
///
/// The reader refuses duplicate keys, anything beyond RFC 8259, invalid UTF-8 and unpaired surrogates; the
/// attestation rules then refuse fractions, exponents and integers beyond ±(2^53 − 1). Each error names
/// the path of the value (e.g. `payload.delay`) and, for syntax, the line and column, so a bad `.jsonl`
/// line can be fixed.
enum JSONReader {
    static func read(_ text: String) throws(AttestationDecodingError) -> AttestationValue {
        let json: JSONValue
        do {
            json = try TokenScriptJSON.JSONReader.read(
                text, limits: .init(maximumDepth: AttestationValue.maximumDepth + 1))
        } catch {
            throw AttestationDecodingError(
                field: error.path.description, reason: "\(error.reason) at line \(error.line), column \(error.column)")
        }
        return try AttestationValue(json: json)
    }
}
