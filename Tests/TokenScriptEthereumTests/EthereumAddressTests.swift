import Testing
import TokenScriptEthereum

@Suite("EIP-55 addresses")
struct EthereumAddressTests {
    /// The examples from the EIP-55 text.
    @Test(
        "checksums match the EIP's examples",
        arguments: [
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
            "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
        ])
    func checksums(_ text: String) {
        #expect(EthereumAddress(text.lowercased())?.checksummed == text)
        #expect(EthereumAddress.isValidChecksum(text))
    }

    @Test("all-lower and all-upper input carries no checksum and is accepted")
    func uncased() {
        #expect(EthereumAddress("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed") != nil)
        #expect(EthereumAddress("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED") != nil)
        #expect(EthereumAddress("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed") != nil)
        #expect(!EthereumAddress.isValidChecksum("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"))
    }

    @Test(
        "a wrong checksum, wrong length or non-hex is refused",
        arguments: [
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea",
            "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00", "0xZaaeb6053f3e94c9b9a09f33669435e7ef1beaed", "",
        ])
    func refused(_ text: String) {
        #expect(EthereumAddress(text) == nil)
    }
}
