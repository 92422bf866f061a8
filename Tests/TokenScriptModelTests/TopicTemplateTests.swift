import Testing
import TokenScriptModel

/// `sl:on-attestation topic=` with `${name}`: the syntax, and rendering that never widens a subscription.
@Suite("Topic templates")
struct TopicTemplateTests {
    static func render(_ template: String, _ values: [String: TopicTemplate.Value]) throws -> TopicPattern? {
        try TopicTemplate(parsing: template).rendered { values[$0] }
    }

    @Test(
        "a template splits into literals and references",
        arguments: [
            ("flight-status/*", [TopicTemplate.Segment.literal("flight-status/*")]),
            ("flight-status/${flight}", [.literal("flight-status/"), .attribute("flight")]),
            ("${a}/${b}/*", [.attribute("a"), .literal("/"), .attribute("b"), .literal("/*")]),
            (
                "gate/${terminal}-${gate}",
                [.literal("gate/"), .attribute("terminal"), .literal("-"), .attribute("gate")]
            ),
        ])
    func segments(text: String, expected: [TopicTemplate.Segment]) throws {
        #expect(try TopicTemplate(parsing: text).segments == expected)
    }

    @Test(
        "malformed templates are refused with the offset of the problem",
        arguments: [
            ("", 0, "may not be empty"),
            ("flight-status/${flight", 14, "not closed"),
            ("flight-status/${}", 14, "names no attribute"),
            ("flight-status/$flight", 14, "must start a reference"),
            ("flight-status/{flight}", 14, "may only delimit"),
            ("flight-status/flight}", 20, "may only delimit"),
            ("flight-status/${fl ight}", 18, "in the attribute name"),
            ("flight-status/${a/b}", 17, "in the attribute name"),
            ("flight-status/${a${b}}", 17, "in the attribute name"),
            ("flight-status/*/${flight}", 14, "may only end"),
            ("flight-status/${flight}*", 23, "every value that starts with it"),
            ("flight status/${flight}", 6, "whitespace"),
        ])
    func malformed(text: String, offset: Int, message: String) {
        let error = #expect(throws: TopicTemplateError.self) { try TopicTemplate(parsing: text) }
        #expect(error?.offset == offset)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test("a reference renders strings as is and integers in decimal")
    func rendering() throws {
        #expect(
            try Self.render("flight-status/${flight}", ["flight": .string("LH400")])
                == TopicPattern("flight-status/LH400"))
        #expect(try Self.render("gate/${n}/*", ["n": .integer(-42)]) == TopicPattern("gate/-42/*"))
        #expect(
            try Self.render("seat/${n}", ["n": .integer(.max)]) == TopicPattern("seat/9223372036854775807"))
        #expect(
            try Self.render("seat/${n}", ["n": .integer(.min)]) == TopicPattern("seat/-9223372036854775808"))
        #expect(try Self.render("flight-status/*", [:]) == TopicPattern("flight-status/*"))
    }

    @Test(
        "hostile values render no topic, so they can never widen the subscription",
        arguments: [
            "LH400/*", "*", "LH400*", "${x}", "$", "{", "}", "", " ", "LH 400", "LH400\n", "LH\u{0}400",
            "LH\u{200B}400", "LH\u{202E}004", "LH\u{00A0}400", "LH400/", "/", String(repeating: "L", count: 201),
        ])
    func hostile(_ value: String) throws {
        #expect(try Self.render("flight-status/${flight}", ["flight": .string(value)]) == nil)
        #expect(try Self.render("flight-status/${flight}/*", ["flight": .string(value)]) == nil)
        #expect(TopicTemplate.isRenderable(value) == false)
    }

    @Test("the longest value that renders is 200 bytes, counted in UTF-8")
    func lengthLimit() throws {
        #expect(TopicTemplate.isRenderable(String(repeating: "L", count: 200)))
        #expect(TopicTemplate.isRenderable(String(repeating: "é", count: 100)))
        #expect(!TopicTemplate.isRenderable(String(repeating: "é", count: 101)))
    }

    @Test("an unset attribute renders no topic: the trigger listens to nothing")
    func unset() throws {
        #expect(try Self.render("flight-status/${flight}", [:]) == nil)
        #expect(try Self.render("${a}/${b}", ["a": .string("x")]) == nil)
    }

    @Test("a rendered topic matches its own flight only, byte for byte")
    func matching() throws {
        let own = try #require(try Self.render("flight-status/${flight}", ["flight": .string("LH400")]))
        #expect(own.matches("flight-status/LH400"))
        #expect(!own.matches("flight-status/LH4000"))
        #expect(!own.matches("flight-status/LH40"))
        #expect(!own.matches("flight-status/BA117"))
        let accented = try #require(try Self.render("flight-status/${flight}", ["flight": .string("caf\u{E9}")]))
        #expect(accented.matches("flight-status/caf\u{E9}"))
        // Canonically equivalent, but other bytes: another topic.
        #expect(!accented.matches("flight-status/cafe\u{301}"))
    }

    @Test("references are listed once each, and the literal prefix is what every rendering starts with")
    func referencesAndPrefix() throws {
        let template = try TopicTemplate(parsing: "flight-status/${flight}/${day}/${flight}")
        #expect(template.references == ["flight", "day"])
        #expect(template.literalPrefix == "flight-status/")
        #expect(try TopicTemplate(parsing: "flight-status/*").literalPrefix == "flight-status/")
        #expect(try TopicTemplate(parsing: "${flight}").literalPrefix == "")
    }

    @Test("an issuer may cover a template when their prefixes agree")
    func coverage() throws {
        let template = try TopicTemplate(parsing: "flight-status/${flight}")
        #expect(template.mayBeCovered(by: TopicPattern("flight-status/*")))
        #expect(template.mayBeCovered(by: TopicPattern("*")))
        #expect(template.mayBeCovered(by: TopicPattern("flight-status/LH*")))
        #expect(template.mayBeCovered(by: TopicPattern("flight-status/LH400")))
        #expect(!template.mayBeCovered(by: TopicPattern("gate/*")))
        #expect(!template.mayBeCovered(by: TopicPattern("flight/*")))
    }
}
