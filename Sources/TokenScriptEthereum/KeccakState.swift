/// The 5×5 lane state of Keccak-f[1600] and its 24-round permutation.
///
/// Lanes are `UInt64` indexed `x + 5y`, loaded little-endian, as in the Keccak reference. The rounds keep
/// each row or column in locals so the optimiser can hold them in registers.
struct KeccakState: Sendable {
    private var lanes = [UInt64](repeating: 0, count: 25)

    func lane(_ index: Int) -> UInt64 { lanes[index] }

    /// XORs `lanes` little-endian words of `block` into the state, then permutes.
    mutating func absorb(block: UnsafeRawBufferPointer, lanes count: Int) {
        lanes.withUnsafeMutableBufferPointer { state in
            for index in 0..<count {
                state[index] ^= UInt64(littleEndian: block.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
            }
            Self.permute(state)
        }
    }

    private static let roundConstants: [UInt64] = [
        0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
        0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
        0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
        0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
        0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
        0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
    ]

    /// ρ rotation amounts and π destinations, walked in the order the reference's single loop uses.
    private static let rotations: [UInt64] = [
        1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44,
    ]
    private static let piLanes: [Int] = [
        10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1,
    ]

    @inline(__always)
    private static func rotl(_ value: UInt64, _ amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 &- amount))
    }

    private static func permute(_ a: UnsafeMutableBufferPointer<UInt64>) {
        for round in 0..<24 {
            // θ: mix each column's parity into its neighbours.
            let c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20]
            let c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21]
            let c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22]
            let c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23]
            let c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24]
            let d0 = c4 ^ rotl(c1, 1), d1 = c0 ^ rotl(c2, 1), d2 = c1 ^ rotl(c3, 1)
            let d3 = c2 ^ rotl(c4, 1), d4 = c3 ^ rotl(c0, 1)
            for y in stride(from: 0, to: 25, by: 5) {
                a[y] ^= d0; a[y + 1] ^= d1; a[y + 2] ^= d2; a[y + 3] ^= d3; a[y + 4] ^= d4
            }
            // ρ and π: rotate each lane and move it to its new position.
            var carried = a[1]
            for step in 0..<24 {
                let target = piLanes[step]
                let next = a[target]
                a[target] = rotl(carried, rotations[step])
                carried = next
            }
            // χ: the only non-linear step, row by row.
            for y in stride(from: 0, to: 25, by: 5) {
                let b0 = a[y], b1 = a[y + 1], b2 = a[y + 2], b3 = a[y + 3], b4 = a[y + 4]
                a[y] = b0 ^ (~b1 & b2)
                a[y + 1] = b1 ^ (~b2 & b3)
                a[y + 2] = b2 ^ (~b3 & b4)
                a[y + 3] = b3 ^ (~b4 & b0)
                a[y + 4] = b4 ^ (~b0 & b1)
            }
            // ι: break the symmetry between rounds.
            a[0] ^= roundConstants[round]
        }
    }
}
