/// A 65-byte Ethereum signature `r ‖ s ‖ v`, split so recovery and the low-s rule can look at its parts.
///
/// Wallets write `v` as 27/28 (legacy) or 0/1 (the raw recovery id); both are accepted and mean the same.
public struct RecoverableSignature: Hashable, Sendable {
    /// `r ‖ s`, 64 bytes big-endian.
    public let compact: [UInt8]
    /// 0 or 1: which of the two candidate points for `r` was the signer's.
    public let recoveryID: Int32

    /// Nil unless exactly 65 bytes with `v` in {0, 1, 27, 28}.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count == 65 else { return nil }
        switch bytes[64] {
        case 0, 27: recoveryID = 0
        case 1, 28: recoveryID = 1
        default: return nil
        }
        compact = Array(bytes[0..<64])
    }

    public init?(compact: [UInt8], recoveryID: Int32) {
        guard compact.count == 64, recoveryID == 0 || recoveryID == 1 else { return nil }
        self.compact = compact
        self.recoveryID = recoveryID
    }

    /// The Ethereum form, `v` as 27/28.
    public var bytes: [UInt8] { compact + [UInt8(27 + recoveryID)] }
}
