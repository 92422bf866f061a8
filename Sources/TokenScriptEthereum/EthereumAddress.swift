import TokenScriptArithmetic

/// A 20-byte account or contract address, printed with the EIP-55 mixed-case checksum.
///
/// EIP-55 hides a checksum in the case of the hex letters: a letter is upper-case when the matching
/// nibble of keccak256(lower-case hex) is ≥ 8. Mixed-case input with a wrong checksum is a typo and is
/// refused; all-lower or all-upper input carries no checksum and is accepted.
public struct EthereumAddress: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public static let zero = EthereumAddress(unchecked: [UInt8](repeating: 0, count: 20))

    /// Exactly 20 bytes, else nil.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 20 else { return nil }
        self.bytes = bytes
    }

    private init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// Parses `0x` + 40 hex digits (the prefix may be omitted); mixed case must carry a valid checksum.
    public init?(_ text: some StringProtocol) {
        let trimmed = text.hasPrefix("0x") || text.hasPrefix("0X") ? Substring(text).dropFirst(2) : Substring(text)
        guard trimmed.utf8.count == 40, let bytes = Hex.decode(trimmed) else { return nil }
        self.bytes = bytes
        let hasLower = trimmed.utf8.contains { (97...102).contains($0) }
        let hasUpper = trimmed.utf8.contains { (65...70).contains($0) }
        if hasLower && hasUpper, String(trimmed) != String(checksummed.dropFirst(2)) { return nil }
    }

    /// Whether `text` is an address whose case matches its EIP-55 checksum exactly.
    public static func isValidChecksum(_ text: String) -> Bool {
        guard let address = EthereumAddress(text) else { return false }
        return address.checksummed == text
    }

    /// The EIP-55 form, `0x` plus mixed-case hex.
    public var checksummed: String {
        let lower = Array(Hex.encode(bytes, prefix: false).utf8)
        let hash = Keccak256.hash(lower)
        var result: [UInt8] = [48, 120]
        for (index, character) in lower.enumerated() {
            let nibble = index % 2 == 0 ? hash[index / 2] >> 4 : hash[index / 2] & 0x0F
            result.append(character >= 97 && nibble >= 8 ? character - 32 : character)
        }
        return String(decoding: result, as: UTF8.self)
    }

    public var description: String { checksummed }
}
