import Testing
import TokenScriptEthereum

@Suite("ABI type strings")
struct ABITypeTests {
    @Test(
        "type strings parse to their canonical form",
        arguments: [
            ("uint", "uint256"), ("int", "int256"), ("uint8", "uint8"), ("bytes32", "bytes32"), ("bytes", "bytes"),
            ("address[]", "address[]"), ("uint8[2][]", "uint8[2][]"), ("(uint256,string)", "(uint256,string)"),
            ("(uint,(bool,bytes4)[])[3]", "(uint256,(bool,bytes4)[])[3]"), ("string[][]", "string[][]"),
        ])
    func canonical(_ text: String, _ expected: String) throws {
        #expect(try ABIType(parsing: text).description == expected)
    }

    @Test("T[2][] is a dynamic array of pairs, as Solidity reads it")
    func arrayOrder() throws {
        #expect(try ABIType(parsing: "uint8[2][]") == .array(.fixedArray(.uint(bits: 8), 2)))
    }

    @Test("dynamic-ness and head sizes follow the spec")
    func sizes() throws {
        #expect(try ABIType(parsing: "(uint256,bool)[3]").headSize == 192)
        #expect(try !ABIType(parsing: "(uint256,bool)[3]").isDynamic)
        #expect(try ABIType(parsing: "(uint256,string)[3]").isDynamic)
        #expect(try ABIType(parsing: "(uint256,string)[3]").headSize == 32)
        #expect(try ABIType(parsing: "string[2]").isDynamic)
    }

    @Test(
        "unsupported or malformed types are refused",
        arguments: [
            "uint7", "uint264", "uint08", "int0", "bytes0", "bytes33", "fixed128x18", "function", "tuple", "()",
            "(uint256",
            "(uint256,)", "uint256[0]", "uint256[01]", "uint256[", "uint256]", "", " uint256", "uint256 ", "Uint256",
            "uint256[1000000][1000000]",
        ])
    func refused(_ text: String) {
        #expect(throws: ABITypeError.self) { try ABIType(parsing: text) }
    }

    @Test("nesting is bounded so hostile type strings cannot exhaust the stack")
    func depth() {
        #expect(throws: ABITypeError.self) { try ABIType(parsing: String(repeating: "(", count: 10_000)) }
        #expect(throws: ABITypeError.self) { try ABIType(parsing: "uint8" + String(repeating: "[]", count: 100)) }
        #expect(throws: Never.self) { try ABIType(parsing: "uint8" + String(repeating: "[]", count: 20)) }
    }
}
