/// Keccak-256 as Ethereum uses it: the original Keccak padding (`0x01`), *not* FIPS 202 SHA3-256 (`0x06`).
///
/// Written here because neither swift-crypto nor Debian's OpenSSL 3.0 offers it. Selectors, event topics,
/// EIP-55 checksums and EIP-712 digests all go through this type. Rate 1088 bits (136 bytes), capacity 512.
public struct Keccak256: Sendable {
    /// Bytes absorbed per permutation.
    public static let rate = 136
    private static let rateLanes = rate / 8

    private var state = KeccakState()
    private var block = [UInt8](repeating: 0, count: rate)
    private var blockCount = 0

    public init() {}

    /// The 32-byte digest of `bytes`.
    public static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        var hasher = Keccak256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of a string's UTF-8 bytes, as used for signatures like `transfer(address,uint256)`.
    public static func hash(utf8 text: String) -> [UInt8] {
        hash(Array(text.utf8))
    }

    /// Absorbs more input; may be called any number of times before `finalize`.
    public mutating func update<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(buffer: UnsafeRawBufferPointer($0)) }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { update(buffer: $0) }
        }
    }

    private mutating func update(buffer input: UnsafeRawBufferPointer) {
        var position = 0
        // Top up a partly filled block first.
        if blockCount > 0 {
            let take = min(Self.rate - blockCount, input.count)
            for index in 0..<take { block[blockCount + index] = input[index] }
            blockCount += take
            position = take
            guard blockCount == Self.rate else { return }
            block.withUnsafeBytes { state.absorb(block: $0, lanes: Self.rateLanes) }
            blockCount = 0
        }
        // Whole blocks straight from the input, without copying.
        while input.count - position >= Self.rate {
            state.absorb(
                block: UnsafeRawBufferPointer(rebasing: input[position..<position + Self.rate]), lanes: Self.rateLanes)
            position += Self.rate
        }
        for index in position..<input.count { block[blockCount] = input[index]; blockCount += 1 }
    }

    /// Pads, permutes and returns the 32-byte digest. The hasher should not be used afterwards.
    public mutating func finalize() -> [UInt8] {
        for index in blockCount..<Self.rate { block[index] = 0 }
        block[blockCount] ^= 0x01  // Keccak's multi-rate padding start; SHA3 would use 0x06 here.
        block[Self.rate - 1] ^= 0x80
        block.withUnsafeBytes { state.absorb(block: $0, lanes: Self.rateLanes) }
        blockCount = 0
        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        for lane in 0..<4 {
            let value = state.lane(lane)
            for shift in stride(from: 0, to: 64, by: 8) {
                digest.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
            }
        }
        return digest
    }
}
