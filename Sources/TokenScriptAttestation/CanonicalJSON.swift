import TokenScriptJSON

/// The one byte form of an `AttestationValue`: RFC 8785 (JCS) restricted to integers, written by the
/// package's canonical writer (`JSONWriter`).
///
/// No whitespace; object members sorted by their keys' UTF-16 code units (JCS's order, so any JCS library
/// gives the same bytes and its signatures verify); strings escape only `"`, `\` and control characters
/// (`\b \t \n \f \r`, others as `\u00xx`), everything else is raw UTF-8; integers in plain decimal.
public enum CanonicalJSON {
    public static func encode(_ value: AttestationValue) -> [UInt8] {
        // An attestation value holds no floats, so the writer has nothing to refuse.
        (try? JSONWriter.canonical(value.json, keyOrder: .utf16CodeUnits)) ?? []
    }

    public static func string(_ value: AttestationValue) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }
}
