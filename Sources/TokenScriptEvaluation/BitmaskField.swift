import TokenScriptEthereum
import TokenScriptModel

/// The arithmetic of `bitmask=`: `(value & mask) >> trailingZeroBits(mask)`, as iOS applies it.
struct BitmaskField {
    let mask: UInt256
    let shift: Int

    init(_ bitmask: Bitmask) {
        mask = UInt256(hex: bitmask.hex) ?? .max
        shift = bitmask.trailingZeroBits
    }

    /// The field's bits, right-aligned.
    func extract(from value: UInt256) -> UInt256 { (value & mask) >> shift }

    /// The field's width in whole bytes: what `as="utf8"`/`"bytes"` read.
    var byteCount: Int { ((mask >> shift).bitWidth + 7) / 8 }

    /// The low `byteCount` bytes of `value`, big-endian.
    func bytes(of value: UInt256) -> [UInt8] { Array(value.bigEndianBytes.suffix(byteCount)) }
}
