import Testing
import TokenScriptArithmetic
import TokenScriptEthereum

@Suite("Functions, events, JSON ABIs and reverts")
struct ABIFunctionTests {
    static let alice = EthereumAddress("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")!
    static let bob = EthereumAddress("0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF")!

    @Test("a call is the selector followed by the encoded arguments, and decodes back")
    func call() throws {
        let transfer = ABIFunction(name: "transfer", inputs: [.address, .uint256], outputs: [.bool])
        #expect(transfer.signature == "transfer(address,uint256)")
        let data = try transfer.encodeCall([.address(Self.bob), .uint(1000)])
        #expect(
            Hex.encode(data) == "0xa9059cbb" + "000000000000000000000000" + "2b5ad5c4795c026514f8317c7a215e218dccd6cf"
                + String(repeating: "0", count: 61) + "3e8")
        #expect(try transfer.decodeCall(data) == [.address(Self.bob), .uint(1000)])
        #expect(throws: ABIDecodingError.self) {
            try ABIFunction(name: "approve", inputs: [.address, .uint256]).decodeCall(data)
        }
        #expect(try transfer.decodeOutput(UInt256(1).bigEndianBytes) == [.bool(true)])
    }

    static let json = """
        [
          {"type":"function","name":"name","inputs":[],"outputs":[{"name":"","type":"string"}],\
        "stateMutability":"view"},
          {"type":"function","name":"getCat","stateMutability":"view",
           "inputs":[{"name":"id","type":"uint256"}],
           "outputs":[{"name":"cat","type":"tuple","internalType":"struct Cat",
                       "components":[{"name":"name","type":"string"},
                                     {"name":"state","type":"tuple","components":[{"name":"level","type":"uint8"},\
        {"name":"tags","type":"bytes32[]"}]}]},
                      {"name":"friends","type":"tuple[2][]","components":[{"name":"who","type":"address"},\
        {"name":"since","type":"uint64"}]}]},
          {"type":"event","name":"Note","anonymous":false,"inputs":[
            {"name":"tokenId","type":"uint256","indexed":true},{"name":"by","type":"address","indexed":true},
            {"name":"label","type":"string","indexed":true},{"name":"text","type":"string","indexed":false}]},
          {"type":"constructor","inputs":[]},
          {"type":"error","name":"Nope","inputs":[]}
        ]
        """

    @Test("a JSON ABI gives functions with named tuple components, and events")
    func jsonABI() throws {
        let contract = try ABIContract(json: Self.json)
        #expect(contract.functions.map(\.name) == ["name", "getCat"])
        let getCat = try #require(contract.function(named: "getCat"))
        #expect(getCat.signature == "getCat(uint256)")
        #expect(getCat.outputs.map(\.type.description) == ["(string,(uint8,bytes32[]))", "(address,uint64)[2][]"])
        let cat = ABIValue.tuple([.string("Tom"), .tuple([.uint(7), .array([])])])
        let friends = ABIValue.array([
            .array([.tuple([.address(Self.alice), .uint(1)]), .tuple([.address(Self.bob), .uint(2)])])
        ])
        let data = try ABIEncoder.encode([cat, friends], as: getCat.outputs.map(\.type))
        let decoded = try getCat.decodeOutput(data)
        #expect(decoded[0][field: "state"]?[field: "level"] == .uint(7))
        #expect(decoded.map(\.unnamed) == [cat, friends])
        #expect(contract.event(named: "Note")?.signature == "Note(uint256,address,string,string)")
    }

    @Test(
        "malformed JSON ABIs are refused",
        arguments: [
            "", "{", "[1]", #"[{"type":"function"}]"#, #"[{"name":"f","inputs":[{"type":"uint7"}]}]"#,
            #"[{"name":"f","inputs":[{"type":"tuple"}]}]"#, #"[{"name":"f","inputs":{}}]"#, "[] x",
            String(repeating: "[", count: 1000),
        ])
    func badJSON(_ text: String) {
        #expect(throws: ABIJSONError.self) { try ABIContract(json: text) }
    }

    @Test("a single entry object and JSON escapes are read")
    func singleEntry() throws {
        let contract = try ABIContract(
            json: #"{"name":"caf\u00e9\ud83c\udf89","inputs":[{"type":"uint"}],"constant":true}"#)
        #expect(contract.functions.first?.name == "café🎉")
        #expect(contract.functions.first?.signature == "café🎉(uint256)")
        #expect(contract.functions.first?.stateMutability == "view")
    }

    @Test("event topics: the word for value types, keccak of the contents for strings and arrays")
    func topics() throws {
        let note = try #require(try ABIContract(json: Self.json).event(named: "Note"))
        #expect(try ABIEvent.topic(for: .uint(42), as: .uint256) == UInt256(42).bigEndianBytes)
        #expect(try ABIEvent.topic(for: .string("lost"), as: .string) == Keccak256.hash(utf8: "lost"))
        // Arrays hash their elements, each padded to 32 bytes, with no length.
        #expect(
            try ABIEvent.topic(for: .array([.uint(1), .uint(2)]), as: .array(.uint256))
                == Keccak256.hash(UInt256(1).bigEndianBytes + UInt256(2).bigEndianBytes))
        #expect(
            try ABIEvent.topic(for: .tuple([.string("a"), .bool(true)]), as: .tuple([.string, .bool]))
                == Keccak256.hash([97] + [UInt8](repeating: 0, count: 31) + UInt256(1).bigEndianBytes))
        let filter = try note.topicFilter(["by": .address(Self.alice)])
        #expect(filter == [note.topic0, nil, [UInt8](repeating: 0, count: 12) + Self.alice.bytes])
        #expect(throws: ABIEncodingError.self) { try note.topicFilter(["text": .string("x")]) }
    }

    @Test("a log decodes indexed values from topics and the rest from data")
    func log() throws {
        let note = try #require(try ABIContract(json: Self.json).event(named: "Note"))
        let topics = [
            note.topic0, UInt256(42).bigEndianBytes, [UInt8](repeating: 0, count: 12) + Self.bob.bytes,
            Keccak256.hash(utf8: "tag"),
        ]
        let data = try ABIEncoder.encode([.string("lost")], as: [.string])
        let fields = try note.decodeLog(topics: topics, data: data)
        #expect(fields.map(\.name) == ["tokenId", "by", "label", "text"])
        #expect(
            fields.map(\.value) == [
                .value(.uint(42)), .value(.address(Self.bob)), .hashed(Keccak256.hash(utf8: "tag")),
                .value(.string("lost")),
            ])
        #expect(throws: ABIDecodingError.self) { try note.decodeLog(topics: Array(topics.dropLast()), data: data) }
        #expect(throws: ABIDecodingError.self) {
            try note.decodeLog(topics: [Keccak256.hash([])] + topics.dropFirst(), data: data)
        }
        var badAddress = topics
        badAddress[2][0] = 1
        #expect(throws: ABIDecodingError.self) { try note.decodeLog(topics: badAddress, data: data) }
    }

    @Test("revert data decodes to Error(string), Panic(uint256) or a custom error")
    func reverts() throws {
        let message = try ABIFunction(name: "Error", inputs: [.string]).encodeCall([.string("ERC721: invalid token ID")]
        )
        #expect(Hex.encode(message.prefix(4)) == "0x08c379a0")
        #expect(ABIRevert(data: message) == .error("ERC721: invalid token ID"))
        let panic = try ABIFunction(name: "Panic", inputs: [.uint256]).encodeCall([.uint(0x11)])
        #expect(ABIRevert(data: panic) == .panic(0x11))
        #expect(ABIRevert(data: []) == .empty)
        #expect(ABIRevert(data: [1, 2, 3, 4, 5]) == .custom(selector: [1, 2, 3, 4], data: [5]))
        #expect(
            ABIRevert(data: Array(message.prefix(40)))
                == .custom(selector: [0x08, 0xc3, 0x79, 0xa0], data: Array(message[4..<40])))
    }
}
