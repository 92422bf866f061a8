import Testing
import TokenScriptEthereum

@Suite("256-bit integers")
struct UInt256Tests {
    static let maxText = "115792089237316195423570985008687907853269984665640564039457584007913129639935"

    @Test(
        "decimal text round-trips",
        arguments: [
            "0", "1", "9", "10", "18446744073709551615", "18446744073709551616",
            "10000000000000000000", "1000000000000000000000000000000", maxText,
        ])
    func decimal(_ text: String) {
        #expect(UInt256(decimal: text)?.description == text)
    }

    @Test(
        "malformed or too large decimal is refused",
        arguments: [
            "", "-1", "+1", "1.5", "0x10", " 1",
            "115792089237316195423570985008687907853269984665640564039457584007913129639936",
        ])
    func badDecimal(_ text: String) {
        #expect(UInt256(decimal: text) == nil)
    }

    @Test("hex text parses with or without 0x and prints as a JSON-RPC quantity")
    func hex() {
        #expect(UInt256(hex: "0x2a") == 42)
        #expect(UInt256(hex: "0x" + String(repeating: "f", count: 64)) == .max)
        #expect(UInt256(hex: "00" + String(repeating: "f", count: 64)) == .max)
        #expect(UInt256(hex: "1" + String(repeating: "0", count: 64)) == nil)
        #expect(UInt256(hex: "0x") == nil)
        #expect(UInt256(hex: "0xg") == nil)
        #expect(UInt256(0).hexDescription == "0x0")
        #expect(UInt256(0x1ab).hexDescription == "0x1ab")
    }

    @Test("bytes round-trip big-endian, and more than 32 bytes are refused")
    func bytes() {
        let value = UInt256(decimal: "1234567890123456789012345678901234567890")!
        #expect(UInt256(bigEndian: value.bigEndianBytes) == value)
        #expect(UInt256(bigEndian: [0x01, 0x00]) == 256)
        #expect(UInt256(bigEndian: [UInt8](repeating: 1, count: 33)) == nil)
    }

    @Test("arithmetic reports overflow instead of trapping")
    func arithmetic() {
        #expect(UInt256.max.addingReportingOverflow(1) == (UInt256.zero, true))
        #expect(UInt256.zero.subtractingReportingOverflow(1) == (UInt256.max, true))
        let e18 = UInt256(decimal: "1000000000000000000")!
        #expect(UInt256(15).multipliedReportingOverflow(by: e18).partialValue.description == "15000000000000000000")
        #expect(
            e18.multipliedReportingOverflow(by: e18).partialValue.description == "1000000000000000000000000000000000000"
        )
        #expect(UInt256.max.multipliedReportingOverflow(by: UInt256(2)).overflow)
        #expect((UInt256(1) << 255).multipliedReportingOverflow(by: UInt256(1) << 1).overflow)
        #expect(
            UInt256(decimal: "123456789012345678901234567890")!.quotientAndRemainder(dividingBy: 1000).remainder == 890)
    }

    @Test("bitmask and shift as ts:token-id uses them")
    func bitmask() {
        let tokenId = UInt256(hex: "0x0000ABCD00000000")!
        let mask = UInt256(hex: "0x0000FFFF00000000")!
        #expect((tokenId & mask) >> mask.trailingZeroBitCount == 0xABCD)
        #expect(UInt256(1) << 256 == .zero)
        #expect((UInt256(1) << 200) >> 200 == 1)
        #expect(UInt256(0xFF) << 60 == UInt256(hex: "0xff" + String(repeating: "0", count: 15)))  // crosses a limb
        #expect(UInt256(hex: "0xff" + String(repeating: "0", count: 15))! >> 60 == 0xFF)
        #expect(UInt256.max.bitWidth == 256 && UInt256(255).bitWidth == 8 && UInt256.zero.bitWidth == 0)
    }

    @Test("signed values parse, print and know their intN range")
    func signed() {
        #expect(Int256("-57896044618658097711785492504343953926634992332820282019728792003956564819968") == .min)
        #expect(Int256("57896044618658097711785492504343953926634992332820282019728792003956564819968") == nil)
        #expect(
            Int256.min.description == "-57896044618658097711785492504343953926634992332820282019728792003956564819968")
        #expect(Int256(-1).bits == .max)
        #expect(Int256("-128")!.fits(bits: 8) && !Int256("-129")!.fits(bits: 8))
        #expect(Int256("127")!.fits(bits: 8) && !Int256("128")!.fits(bits: 8))
        #expect(Int256(-5) < Int256(3) && Int256(-5) < Int256(-4))
        #expect(Int256("+0") == .zero && Int256("-0") == .zero)
    }
}
