import Testing
@testable import TokenScriptEthereum

/// Decoding rules beyond the eth-abi vectors: hostile sizes, error positions, encoder range checks.
@Suite("ABI strictness")
struct ABIStrictnessTests {
    func word(_ value: UInt64) -> [UInt8] { UInt256(value).bigEndianBytes }

    @Test("errors name the byte offset and the type")
    func errorPosition() {
        let data = word(1) + word(2)  // a bool of 2 in the second word
        #expect(throws: ABIDecodingError(offset: 32, type: "bool", reason: .invalidBool)) {
            try ABIDecoder.decode([.uint256, .bool], from: data)
        }
    }

    @Test("shared tails cannot amplify a small input into a huge value")
    func amplification() {
        // uint256[][]: 1000 elements, all pointing at the same 1000-element inner array: 1e6 values from 64 KB.
        let count: UInt64 = 1000
        var data = word(32) + word(count)
        let inner = count * 32  // offset of the shared inner array, relative to the element heads
        for _ in 0..<count { data += word(inner) }
        data += word(count) + [UInt8](repeating: 0, count: Int(count) * 32)
        let error = #expect(throws: ABIDecodingError.self) {
            try ABIDecoder.decode([.array(.array(.uint256))], from: data)
        }
        if case .tooManyValues? = error?.reason {
        } else {
            Issue.record("expected tooManyValues, got \(String(describing: error))")
        }
    }

    @Test("a large fixed array fails on the head size before allocating")
    func largeFixedArray() throws {
        let type = try ABIType(parsing: "string[500000]")
        #expect(throws: ABIDecodingError.self) { try ABIDecoder.decode([type], from: word(32) + word(0)) }
    }

    @Test("unaligned offsets and trailing bytes are accepted, as Solidity and eth-abi accept them")
    func lenient() throws {
        // A string whose tail starts at byte 33 instead of 32.
        let data = word(33) + [0] + word(2) + Array("hi".utf8) + [UInt8](repeating: 0, count: 30) + [9, 9]
        #expect(try ABIDecoder.decode(.string, from: data) == .string("hi"))
    }

    @Test(
        "the encoder refuses values that do not fit their type",
        arguments: [
            (ABIType.uint(bits: 8), ABIValue.uint(256)), (.int(bits: 8), .int(128)), (.int(bits: 8), .int(-129)),
            (.fixedBytes(4), .fixedBytes([1, 2, 3])), (.fixedArray(.bool, 2), .array([.bool(true)])),
            (.tuple([.bool, .bool]), .tuple([.bool(true)])), (.string, .bytes([1])), (.address, .uint(1)),
        ])
    func encoderChecks(_ type: ABIType, _ value: ABIValue) {
        #expect(throws: ABIEncodingError.self) { try ABIEncoder.encode(value, as: type) }
    }

    @Test("an encoding error names the path of the bad value")
    func encodingPath() throws {
        let type = try ABIType(parsing: "(uint256,uint8[])")
        let value = ABIValue.tuple([.uint(1), .array([.uint(1), .uint(300)])])
        #expect(throws: ABIEncodingError(path: "1.1[1]", type: "uint8", reason: "300 does not fit in 8 bits")) {
            try ABIEncoder.encode([.uint(0), value], as: [.uint256, type])
        }
    }

    @Test("decoded tuples carry the component names of their type")
    func names() throws {
        let type = ABIType.tuple([.uint256, .string], names: ["level", "name"])
        let value = try ABIDecoder.decode(type, from: ABIEncoder.encode(.tuple([.uint(3), .string("cat")]), as: type))
        #expect(value[field: "level"] == .uint(3))
        #expect(value[field: "name"] == .string("cat"))
        #expect(value.unnamed == .tuple([.uint(3), .string("cat")]))
    }
}

/// Issue 8, class 1: offsets and lengths from a chain answer in 2^63…2^64-1 fit `UInt64` but not `Int`.
@Suite("ABI words beyond Int")
struct ABIHostileWordTests {
    @Test(
        "an offset or a length between 2^63 and 2^64-1 is a decoding error, not a trap",
        arguments: [
            ("string offset 2^63", [ABIType.string], UInt64(1) << 63),
            ("string offset 2^64-1", [.string], UInt64.max),
            ("bytes offset 2^63", [.bytes], UInt64(1) << 63),
        ] as [(String, [ABIType], UInt64)])
    func hugeOffset(label: String, types: [ABIType], value: UInt64) {
        #expect(throws: ABIDecodingError.self, "\(label)") {
            try ABIDecoder.decode(types, from: UInt256(value).bigEndianBytes)
        }
    }

    @Test("a length of 2^63 behind a valid offset is a decoding error, not a trap")
    func hugeLength() {
        let data = UInt256(32).bigEndianBytes + UInt256(UInt64(1) << 63).bigEndianBytes
        #expect(throws: ABIDecodingError.self) { try ABIDecoder.decode([.string], from: data) }
        #expect(throws: ABIDecodingError.self) { try ABIDecoder.decode([.array(.uint256)], from: data) }
    }
}
