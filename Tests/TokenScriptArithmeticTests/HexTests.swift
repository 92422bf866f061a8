import Testing
import TokenScriptArithmetic

@Suite("Hex")
struct HexTests {
    @Test("hex round-trips with and without 0x, in either case")
    func roundTrip() {
        #expect(Hex.encode([0x00, 0xAB, 0xff]) == "0x00abff")
        #expect(Hex.encode([0x01], prefix: false) == "01")
        #expect(Hex.decode("0x00ABff") == [0x00, 0xAB, 0xFF])
        #expect(Hex.decode("00abff") == [0x00, 0xAB, 0xFF])
        #expect(Hex.decode("0x") == [])
    }

    @Test("malformed hex is refused", arguments: ["0x0", "abc", "0xzz", "0x 1", "g0"])
    func malformed(_ text: String) {
        #expect(Hex.decode(text) == nil)
    }
}
