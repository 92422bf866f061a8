import Testing
import TokenScriptArithmetic
import TokenScriptEthereum

@Suite("Keccak-256")
struct KeccakTests {
    static let named = (Vectors.keccak["named"] as! [[String: String]]).map {
        ($0["name"]!, $0["utf8"]!, $0["digest"]!)
    }
    static let ramp = (Vectors.keccak["ramp"] as! [[String: Any]]).map {
        ($0["length"] as! Int, $0["digest"] as! String)
    }
    static let signatures = (Vectors.keccak["signatures"] as! [[String: String]]).map {
        ($0["signature"]!, $0["hash"]!, $0["selector"]!)
    }

    @Test("the empty string hashes to the well-known Keccak-256 value, not SHA3-256's")
    func empty() {
        #expect(Hex.encode(Keccak256.hash([])) == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(Hex.encode(Keccak256.hash([])) != "0xa7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a")
    }

    @Test("the fixture's 448-bit message is the published Keccak-256 value, not its SHA3 twin")
    func published448() {
        #expect(
            Self.named.contains {
                $0.0 == "448-bit" && $0.2 == "45d3b367a6904e6e8d502ee04999a7c27647f91fa845d456525fd352ae3d7371"
            })
    }

    @Test("published messages (abc, 448- and 896-bit, the quick brown fox) match pycryptodome", arguments: named)
    func published(_ name: String, _ text: String, _ digest: String) {
        #expect(Hex.encode(Keccak256.hash(utf8: text), prefix: false) == digest, "\(name)")
    }

    @Test("every length 0…300, across the 136-byte rate boundary, matches pycryptodome", arguments: ramp)
    func lengths(_ length: Int, _ digest: String) {
        #expect(Hex.encode(Keccak256.hash(Vectors.ramp(length)), prefix: false) == digest)
    }

    @Test("streaming in uneven pieces gives the one-shot digest", arguments: [1, 7, 135, 136, 137, 271, 272, 273, 300])
    func streaming(_ length: Int) {
        let message = Vectors.ramp(length)
        for piece in [1, 5, 64, 135, 136, 137] {
            var hasher = Keccak256()
            var index = 0
            while index < message.count {
                hasher.update(message[index..<min(index + piece, message.count)])
                index += piece
            }
            #expect(hasher.finalize() == Keccak256.hash(message), "piece size \(piece)")
        }
    }

    @Test("a million 'a's, fed in 1000-byte pieces")
    func millionA() {
        var hasher = Keccak256()
        let chunk = [UInt8](repeating: 97, count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(Hex.encode(hasher.finalize(), prefix: false) == Vectors.keccak["millionA"] as? String)
    }

    @Test("function selectors and event topics match eth-utils", arguments: signatures)
    func selectors(_ signature: String, _ hash: String, _ selector: String) {
        #expect(Hex.encode(Keccak256.hash(utf8: signature), prefix: false) == hash)
        #expect(Hex.encode(Keccak256.hash(utf8: signature).prefix(4), prefix: false) == selector)
    }

    @Test("transfer(address,uint256) is a9059cbb and Transfer's topic is ddf252ad…")
    func wellKnown() {
        #expect(Hex.encode(ABIFunction(name: "transfer", inputs: [.address, .uint256]).selector) == "0xa9059cbb")
        #expect(
            Hex.encode(Keccak256.hash(utf8: "Transfer(address,address,uint256)"))
                == "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
    }
}
