import Foundation
import Testing

@testable import TokenScriptRuntime
@testable import TokenScriptSandbox

/// Plain-data values: canonical JSON out, JSON in, and the wire encoding both ways.
@Suite("Sandbox values")
struct SandboxValueTests {
    static let sample = SandboxValue.object([
        "z": .array([.int(-3), .double(0.5), .double(2), .bool(false), .null]),
        "a": .string("line\n\"quoted\"\u{1}"),
        "m": .object(["k": .int(Int64.max)]),
    ])

    @Test("JSON text is canonical: sorted keys, no spaces, floats keep a decimal point")
    func canonicalJSON() {
        #expect(
            Self.sample.jsonText
                == #"{"a":"line\n\"quoted\"\u0001","m":{"k":9223372036854775807},"z":[-3,0.5,2.0,false,null]}"#)
        #expect(SandboxValue.double(.nan).jsonText == "null")
    }

    @Test("JSON input keeps booleans, integers and doubles apart")
    func parseJSON() throws {
        let v = try SandboxValue.parseJSON(#"{"b": true, "i": 1, "d": 1.5, "s": "x", "a": [null]}"#)
        #expect(
            v == .object(["b": .bool(true), "i": .int(1), "d": .double(1.5), "s": .string("x"), "a": .array([.null])]))
        #expect(throws: (any Error).self) { try SandboxValue.parseJSON("{") }
    }

    @Test("the wire encoding round-trips every kind of value")
    func wireRoundTrip() throws {
        var w = WireWriter(frame: .hostReply)
        w.value(Self.sample)
        var r = WireReader(Array(w.bytes.dropFirst(5)))
        #expect(try r.value() == Self.sample)
    }

    @Test("truncated or over-deep wire values are rejected, not trusted")
    func wireRejects() {
        var truncated = WireReader([5, 10, 0, 0, 0, 65])
        #expect(throws: WireError.self) { try truncated.value() }
        var deep = WireReader(Array(repeating: 6, count: 100).flatMap { [$0, 1, 0, 0, 0] } + [0])
        #expect(throws: WireError.self) { try deep.value() }
        var badTag = WireReader([42])
        #expect(throws: WireError.self) { try badTag.value() }
    }

    @Test("the wire keeps NFC and NFD keys apart and writes maps in byte order")
    func wireKeysAreBytes() throws {
        let value = SandboxValue.object(["\u{E9}": .int(1), "e\u{301}": .int(2), "b": .null])
        var w = WireWriter(frame: .hostReply)
        w.value(value)
        let body = Array(w.bytes.dropFirst(5))
        // tag 7, count 3, then keys "b" < "e\u{301}" < "\u{E9}" by bytes.
        #expect(body.count > 5 && body[0] == 7 && body[1] == 3)
        #expect(body[5...].starts(with: [5, 1, 0, 0, 0, UInt8(ascii: "b")]))
        var r = WireReader(body)
        #expect(try r.value() == value)
        #expect(r.refused == nil)
        #expect(SandboxValue.string("\u{E9}") != .string("e\u{301}"))
    }

    @Test("a wire key or string that is not UTF-8 is recorded with its path, not repaired silently")
    func wireRefusesInvalidUTF8() throws {
        // {"k": ["\xff"]} and {"\xc3\x28": 1}
        var string = WireReader([7, 1, 0, 0, 0, 5, 1, 0, 0, 0, UInt8(ascii: "k"), 6, 1, 0, 0, 0, 5, 1, 0, 0, 0, 0xFF])
        _ = try string.value()
        #expect(string.refused?.description == "result.k[0]: not valid UTF-8")
        var key = WireReader([7, 1, 0, 0, 0, 5, 2, 0, 0, 0, 0xC3, 0x28, 3, 1, 0, 0, 0, 0, 0, 0, 0])
        _ = try key.value(root: "arguments")
        #expect(key.refused?.description == "arguments: a key is not valid UTF-8 (bytes c3 28)")
    }
}
