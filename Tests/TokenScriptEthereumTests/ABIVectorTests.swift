import Testing
import TokenScriptArithmetic
import TokenScriptEthereum

/// The eth-abi vectors: our encoder must produce its bytes, our decoder must read them back, and our
/// strict decoder must refuse everything eth-abi's strict decoder refuses.
@Suite("ABI vectors from eth-abi")
struct ABIVectorTests {
    @Test("there are enough vectors to mean something")
    func counts() {
        #expect(ABICase.all.count >= 60)
        #expect(MalformedCase.all.count >= 30)
    }

    @Test("encoding matches eth-abi", arguments: ABICase.all)
    func encode(_ vector: ABICase) throws {
        #expect(Hex.encode(try ABIEncoder.encode(vector.values, as: vector.parsedTypes)) == vector.encoded)
    }

    @Test("decoding eth-abi's bytes gives the values back", arguments: ABICase.all)
    func decode(_ vector: ABICase) throws {
        #expect(try ABIDecoder.decode(vector.parsedTypes, from: Hex.decode(vector.encoded)!) == vector.values)
    }

    @Test("every encoding with one byte cut off is refused", arguments: ABICase.all.filter { $0.encoded.count > 2 })
    func truncated(_ vector: ABICase) {
        let data = Hex.decode(vector.encoded)!
        #expect(throws: ABIDecodingError.self) {
            try ABIDecoder.decode(vector.parsedTypes, from: Array(data.dropLast()))
        }
    }

    @Test("malformed encodings that eth-abi rejects are rejected", arguments: MalformedCase.all)
    func malformed(_ vector: MalformedCase) {
        let types = vector.types.map { try! ABIType(parsing: $0) }
        let error = #expect(throws: ABIDecodingError.self, "eth-abi: \(vector.reason)") {
            try ABIDecoder.decode(types, from: Hex.decode(vector.data)!)
        }
        #expect(error?.description.contains("cannot decode") == true)
    }
}
