import Testing
import TokenScriptJSON

/// `JSONWriter.pretty`, the one layout of every `--json` output.
@Suite("JSON pretty writer")
struct JSONPrettyWriterTests {
    @Test("two-space indentation, \"key\": value, members in byte order, empty containers inline")
    func layout() throws {
        let value: JSONValue = ["b": [1, 2.5, "x"], "a": ["nested": [:], "list": []], "c": nil]
        let expected = """
            {
              "a": {
                "list": [],
                "nested": {}
              },
              "b": [
                1,
                2.5,
                "x"
              ],
              "c": null
            }
            """
        #expect(try JSONWriter.pretty(value) == expected)
    }

    @Test("the pretty text reads back to the same value, byte-distinct keys and float/integer kept apart")
    func roundTrip() throws {
        let value: JSONValue = [
            "é": 1, "e\u{301}": 1.0, "quote\"and\\": ["line\nbreak", true, false], "big": 9_223_372_036_854_775_807,
        ]
        let text = try JSONWriter.pretty(value)
        #expect(try JSONValue(parsing: text) == value)
        #expect(text.contains("1.0"))
    }

    @Test("a non-finite float has no JSON form and is refused, naming the path")
    func nonFinite() {
        #expect(throws: JSONWriteError.self) { try JSONWriter.pretty(["a": [.float(.infinity)]]) }
    }
}
