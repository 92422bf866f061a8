import Testing
import TokenScriptEgress

/// Header injection: what a token's `sl:request` may put in header names and values.
@Suite struct HeaderFieldTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var name: String
        var value: String
        /// A fragment of the error, or nil when the header is fine.
        var error: String?
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "ordinary", name: "X-Booking-Ref", value: "AB-12 34", error: nil),
        Case(label: "tab and UTF-8 in a value", name: "X-Note", value: "a\tb é", error: nil),
        Case(label: "every tchar", name: "!#$%&'*+-.^_`|~09azAZ", value: "v", error: nil),
        Case(
            label: "CR LF in a value (response splitting)", name: "X-Ref", value: "1\r\nX-Admin: true",
            error: "CR (0x0d)"),
        Case(label: "bare LF in a value", name: "X-Ref", value: "1\nHost: internal", error: "LF (0x0a)"),
        Case(label: "NUL in a value", name: "X-Ref", value: "1\u{0}2", error: "NUL (0x00)"),
        Case(label: "DEL in a value", name: "X-Ref", value: "1\u{7F}", error: "0x7f"),
        Case(label: "escape in a value", name: "X-Ref", value: "\u{1B}[2J", error: "0x1b"),
        Case(label: "CR LF in a name", name: "X-Ref\r\nX-Admin", value: "1", error: "CR (0x0d)"),
        Case(label: "colon in a name", name: "X-Ref: 1\r\nX", value: "1", error: "0x3a"),
        Case(label: "space in a name", name: "X Ref", value: "1", error: "0x20"),
        Case(label: "empty name", name: "", value: "1", error: "empty"),
        Case(label: "non-ASCII name", name: "X-Réf", value: "1", error: "RFC 9110 tokens"),
        Case(label: "Host is the transport's", name: "Host", value: "169.254.169.254", error: "set by the transport"),
        Case(label: "Content-Length (smuggling)", name: "content-length", value: "0", error: "set by the transport"),
        Case(
            label: "Transfer-Encoding (smuggling)", name: "Transfer-Encoding", value: "chunked",
            error: "set by the transport"),
        Case(label: "Connection", name: "Connection", value: "close", error: "set by the transport"),
    ]

    @Test("header names are tokens, values carry no controls but HTAB, framing headers are refused", arguments: cases)
    func validate(_ entry: Case) {
        do {
            try HeaderField.validate(name: entry.name, value: entry.value)
            #expect(entry.error == nil, "accepted \(entry.label)")
        } catch {
            guard let expected = entry.error else {
                Issue.record("refused \(entry.label): \(error)")
                return
            }
            #expect(error.description.contains(expected), "\(error)")
            #expect(error.description.hasPrefix("header \""))
            // The message itself is safe to print: no raw control characters.
            #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
        }
    }

    @Test("of several bad headers, the first by name is reported, every time")
    func firstByName() {
        #expect {
            try HeaderField.validate(["Z-Bad": "a\nb", "A-Bad": "a\rb", "M-Good": "ok"])
        } throws: { error in
            (error as? HeaderField.Invalid)?.name == "A-Bad"
        }
    }
}
