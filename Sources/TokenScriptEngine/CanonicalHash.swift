import Crypto
import TokenScriptRuntime

/// SHA-256 in lower-case hex, the one digest the engine uses for state hashes, definition ids and seeds.
///
/// Replicas compare hashes rather than states, so the hash input must be a byte form every node produces
/// identically: always the package's one canonical JSON (`JSONWriter`: keys sorted by their bytes, no
/// whitespace, floats kept apart from integers).
enum CanonicalHash {
    static func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func sha256Hex(_ text: String) -> String { hex(sha256(Array(text.utf8))) }

    static func sha256Hex(_ value: SandboxValue) -> String { sha256Hex(value.jsonText) }  // jsonText is JSONWriter's

    /// Lower-case hex to bytes; nil for odd length or a non-hex digit.
    static func bytes(fromHex text: String) -> [UInt8]? {
        let hex = Array(text.utf8)
        guard hex.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(hex.count / 2)
        var index = 0
        while index < hex.count {
            guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
