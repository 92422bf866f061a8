import Testing
import TokenScriptJSON

@Suite("The strict JSON reader keeps what the document says")
struct JSONReaderTests {
    @Test("integers and floats stay apart: 1 is an integer, 1.0 and 1e0 are floats")
    func integersAndFloats() throws {
        #expect(try JSONReader.read("1") == .integer(1))
        #expect(try JSONReader.read("1.0") == .float(1))
        #expect(try JSONReader.read("1e0") == .float(1))
        #expect(try JSONReader.read("1.0") != .integer(1))
        #expect(try JSONReader.read("-0.0") == .float(-0.0))
        #expect(try JSONReader.read("-0.0") != .float(0.0))
        #expect(try JSONReader.read("9223372036854775807") == .integer(.max))
        #expect(try JSONReader.read("-9223372036854775808") == .integer(.min))
        #expect(try JSONReader.read("1e308") == .float(1e308))
        #expect(try JSONReader.read("1e-400") == .float(0))
    }

    @Test("NFC and NFD spellings of one key are two members, kept with their exact bytes")
    func keysAreBytes() throws {
        let value = try JSONReader.read("{\"\u{E9}\":1,\"e\u{301}\":2}")
        let members = try #require(value.objectValue)
        #expect(members.count == 2)
        #expect(members[JSONKey("\u{E9}")] == 1)
        #expect(members[JSONKey("e\u{301}")] == 2)
        #expect(JSONKey("\u{E9}") != JSONKey("e\u{301}"))
        #expect(JSONValue.string("\u{E9}") != .string("e\u{301}"))
    }

    @Test("escapes, surrogate pairs and escaped NUL decode to the right bytes")
    func escapes() throws {
        #expect(try JSONReader.read(#""\ud83d\ude00\u00e9\n\/\"\u0000""#) == .string("😀é\n/\"\u{0}"))
        #expect(JSONKey(bytes: [0xFF]) == nil)
        #expect(JSONKey(bytes: Array("é".utf8))?.string == "é")
    }

    @Test("whitespace between tokens is allowed, the error path names the member being read")
    func whitespaceAndPath() throws {
        #expect(try JSONReader.read(" \t\r\n{ \"a\" : [ 1 , 2 ] }\n") == ["a": [1, 2]])
        do {
            _ = try JSONReader.read(#"{"state": {"a b": [0, 1, 2, nul]}}"#)
            Issue.record("accepted")
        } catch {
            #expect(error.path.described(under: "result") == #"result.state["a b"][3]"#)
        }
    }
}
