import Crypto
import TokenScriptArithmetic
import TokenScriptRuntime

/// SHA-256 in lower-case hex, the one digest the engine uses for state hashes, definition ids and seeds.
///
/// Replicas compare hashes rather than states, so the hash input must be a byte form every node produces
/// identically: always the package's one canonical JSON (`JSONWriter`: keys sorted by their bytes, no
/// whitespace, floats kept apart from integers). Public for the ids other modules derive the same way.
public enum CanonicalHash {
    static func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    /// Lower-case hex without `0x` (the shared `Hex` codec).
    static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes, prefix: false) }

    public static func sha256Hex(_ text: String) -> String { hex(sha256(Array(text.utf8))) }

    static func sha256Hex(_ value: SandboxValue) -> String { sha256Hex(value.jsonText) }  // jsonText is JSONWriter's

    /// Hex without `0x` to bytes; nil for a `0x` prefix, an odd length or a non-hex digit.
    static func bytes(fromHex text: String) -> [UInt8]? {
        text.hasPrefix("0x") || text.hasPrefix("0X") ? nil : Hex.decode(text)
    }
}
