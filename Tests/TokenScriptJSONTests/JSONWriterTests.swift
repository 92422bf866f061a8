import Testing
import TokenScriptJSON

@Suite("The canonical JSON writer gives one byte form per value")
struct JSONWriterTests {
    @Test("members are sorted by key bytes, without whitespace")
    func sortedByBytes() throws {
        let value: JSONValue = [
            "b": 1, "a": [true, nil], "e\u{301}": "nfd", "\u{E9}": "nfc", "Z": 0.5, "😀": 1, "\u{FFFD}": 2,
        ]
        #expect(
            try JSONWriter.canonicalString(value)
                == "{\"Z\":0.5,\"a\":[true,null],\"b\":1,"
                + "\"e\u{301}\":\"nfd\",\"\u{E9}\":\"nfc\",\"\u{FFFD}\":2,\"😀\":1}"
        )
    }

    @Test(
        "floats keep a fraction or exponent, in the shortest text that reads back",
        arguments: [
            (1.0, "1.0"), (-0.0, "-0.0"), (0.1, "0.1"), (1e308, "1e308"), (1e-7, "1e-7"),
            (9007199254740992.0, "9007199254740992.0"),
            (1e16, "1e16"), (Double.leastNonzeroMagnitude, "5e-324"), (-1.5e300, "-1.5e300"), (123.456, "123.456"),
        ])
    func floats(_ number: Double, _ text: String) throws {
        #expect(try JSONWriter.canonicalString(.float(number)) == text)
        #expect(try JSONReader.read(text) == .float(number))
    }

    @Test(
        "non-finite floats have no JSON form and are refused with their path",
        arguments: [Double.infinity, -.infinity, .nan])
    func nonFinite(_ number: Double) {
        do {
            _ = try JSONWriter.canonical(["x": [1, .float(number)]])
            Issue.record("written")
        } catch {
            #expect(error.path.description == "x[1]")
        }
    }

    @Test("strings escape only quote, backslash and control characters")
    func strings() throws {
        #expect(
            try JSONWriter.canonicalString("a\"\\\u{8}\t\n\u{C}\r\u{1}\u{7F}é/") == #""a\"\\\b\t\n\f\r\u0001"#
                + "\u{7F}é/\"")
        #expect(JSONWriter.quoted("é\u{1B}[2J", escapingNonASCII: true) == #""\u00e9\u001b[2J""#)
    }

    @Test("reading canonical output and writing it again gives the same bytes")
    func roundTrip() throws {
        let text =
            #"{"a":[1,-2,1.5,-0.0,9223372036854775807,-9223372036854775808,"x\u0000y",{}],"b":{"c":null,"d":false}}"#
        let bytes = try JSONWriter.canonical(try JSONReader.read(text))
        #expect(String(decoding: bytes, as: UTF8.self) == text)
        #expect(try JSONWriter.canonical(try JSONReader.read(bytes)) == bytes)
    }
}
