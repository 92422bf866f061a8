import Testing
import TokenScriptDocument
import TokenScriptModel

/// `sl:on-attestation topic=` with `${name}`: every problem is one error at the trigger's line and column.
@Suite("Server extension topic templates")
struct TopicTemplateReaderTests {
    /// Declarations on line 7; the trigger's `sl:on-attestation` on line 9, column 3.
    static func read(topic: String) throws -> LoadedTokenScript {
        try ServerSemanticTests.read(
            ServerSemanticTests.standard + "\n"
                + #"<sl:attribute name="flight" type="string"/><sl:attribute name="seat" type="integer"/>"#
                + #"<sl:attribute name="paid" type="boolean"/><sl:computed name="label">return "x"</sl:computed>"#
                + "\n<sl:trigger name=\"t\">\n  <sl:on-attestation topic=\"\(topic)\"/>\n"
                + "  <sl:transition goto=\"b\"/>\n</sl:trigger>")
    }

    @Test(
        "a bad template is one error at the line and column of its sl:on-attestation",
        arguments: [
            ("flight/${nope}", "names an unknown attribute ${nope}"),
            ("flight/${label}", "names the computed attribute ${label}; only stored attributes"),
            ("flight/${paid}", "names ${paid}, a boolean attribute; only string and integer attributes"),
            ("flight/${flight", "'${' is not closed by '}' at offset 7"),
            ("flight/${}", "'${}' names no attribute at offset 7"),
            ("flight/$flight", "'$' in a topic must start a reference ${name} at offset 7"),
            ("flight/{flight}", "'{' in a topic may only delimit a reference ${name} at offset 7"),
            ("flight/${flight}*", "would match every value that starts with it at offset 16"),
        ])
    func located(topic: String, message: String) throws {
        let loaded = try Self.read(topic: topic)
        #expect(loaded.errors.count == 1, "\(loaded.diagnostics)")
        let error = try #require(loaded.errors.first)
        #expect(error.description.hasPrefix("server.xml:9:3: error: trigger 't': topic \"\(topic)\""), "\(error)")
        #expect(error.description.contains(message), "\(error)")
    }

    @Test("string and integer attributes may be named, together and more than once")
    func accepted() throws {
        let loaded = try Self.read(topic: "flight/${flight}/${seat}/${flight}/*")
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let server = try #require(loaded.tokenScript.server)
        let on = try #require(
            server.triggers.first.flatMap { trigger -> AttestationTrigger? in
                if case .attestation(let on) = trigger.event { on } else { nil }
            })
        #expect(on.topic == TopicPattern("flight/${flight}/${seat}/${flight}/*"))
        #expect(on.template?.references == ["flight", "seat"])
    }

    @Test("a template outside every issuer's topics is an error, as a plain topic is")
    func untrusted() throws {
        let loaded = try Self.read(topic: "gate/${flight}")
        #expect(
            loaded.errors.map(\.message).contains { $0.contains("no sl:issuer is trusted for topic 'gate/${flight}'") })
    }

    @Test("an issuer's topics name no attribute: trust is per token")
    func issuerTemplate() throws {
        let trust =
            #"<sl:trust><sl:issuer name="air" scheme="eip191" "#
            + #"key="0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed" topics="flight/${flight}"/></sl:trust>"#
        let loaded = try ServerSemanticTests.read(trust + "\n" + ServerSemanticTests.states)
        #expect(loaded.errors.contains { $0.location?.line == 5 && $0.message.contains("trust is per token") })
    }
}
