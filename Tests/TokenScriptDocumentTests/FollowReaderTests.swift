import Testing
import TokenScriptDocument
import TokenScriptModel

/// `sl:follow` and `sl:on-change`: a follow names a stored string attribute and a token; an `sl:on-change` is an
/// attestation trigger on `changes/${attribute}`, trusted through the executors (no `sl:issuer` needed), and every
/// mistake is one error at its element's line.
@Suite("Server extension: tokens that follow tokens")
struct FollowReaderTests {
    /// Attributes on line 7, the follow on line 8, the trigger's event on line 10.
    static func read(follow: String, change: String = #"<sl:on-change follow="insurance"/>"#) throws
        -> LoadedTokenScript
    {
        try ServerSemanticTests.read(
            ServerSemanticTests.standard + "\n"
                + #"<sl:attribute name="insurance" type="string"/><sl:attribute name="count" type="integer"/>"#
                + #"<sl:computed name="label">return "x"</sl:computed>"# + "\n" + follow
                + "\n<sl:trigger name=\"t\">\n  \(change)\n  <sl:transition goto=\"b\"/>\n</sl:trigger>")
    }

    static let follow = #"<sl:follow name="insurance" attribute="insurance" token="CarInsurance"/>"#

    @Test("a follow and its on-change read into the model, with no issuer trusted for changes/*")
    func accepted() throws {
        let loaded = try Self.read(
            follow: Self.follow, change: #"<sl:on-change follow="insurance" filter="(state=lapsed)"/>"#)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let server = try #require(loaded.tokenScript.server)
        #expect(
            server.follows == [
                FollowedToken(
                    name: "insurance", attribute: "insurance", token: "CarInsurance",
                    location: server.follows.first?.location)
            ])
        let trigger = try #require(server.triggers.first)
        #expect(trigger.event.kind == "on-change")
        guard case .attestation(let on) = trigger.event else {
            Issue.record("an on-change is an attestation trigger, got \(trigger.event)")
            return
        }
        #expect(on.topic == TopicPattern("changes/${insurance}"))
        #expect(on.type == "change")
        #expect(on.follow == "insurance")
        #expect(on.filter?.description == "(state=lapsed)")
    }

    @Test(
        "a bad follow is one error at its line",
        arguments: [
            (#"<sl:follow name="f" attribute="nope" token="T"/>"#, "attribute=\"nope\" is not a stored attribute"),
            (#"<sl:follow name="f" attribute="label" token="T"/>"#, "attribute=\"label\" is a computed attribute"),
            (#"<sl:follow name="f" attribute="count" token="T"/>"#, "is a integer attribute; an instance id"),
        ])
    func badFollow(follow: String, message: String) throws {
        let loaded = try Self.read(follow: follow, change: #"<sl:on-attribute name="count"/>"#)
        #expect(loaded.errors.count == 1, "\(loaded.diagnostics)")
        let error = try #require(loaded.errors.first)
        #expect(error.description.hasPrefix("server.xml:8:"), "\(error)")
        #expect(error.description.contains(message), "\(error)")
    }

    @Test("two follows of one name: the second is an error")
    func duplicate() throws {
        let loaded = try Self.read(follow: Self.follow + Self.follow)
        #expect(loaded.errors.map(\.message).contains { $0.contains("duplicate follow name 'insurance'") })
    }

    @Test(
        "an on-change naming no follow, or with a filter that does not parse, is an error at its line",
        arguments: [
            (
                #"<sl:on-change follow="registration"/>"#,
                "follow=\"registration\" names no <sl:follow> (declared: insurance)"
            ),
            (#"<sl:on-change follow="insurance" filter="(state="/>"#, "filter \"(state=\""),
        ])
    func badChange(change: String, message: String) throws {
        let loaded = try Self.read(follow: Self.follow, change: change)
        #expect(loaded.errors.count == 1, "\(loaded.diagnostics)")
        let error = try #require(loaded.errors.first)
        #expect(error.description.hasPrefix("server.xml:10:3:"), "\(error)")
        #expect(error.description.contains(message), "\(error)")
    }

    @Test("the schema refuses a follow without token= and an on-change with unknown attributes")
    func schema() throws {
        let loaded = try Self.read(
            follow: #"<sl:follow name="insurance" attribute="insurance"/>"#,
            change: #"<sl:on-change follow="insurance" topic="x"/>"#)
        #expect(loaded.errors.contains { $0.location?.line == 8 }, "\(loaded.diagnostics)")
        #expect(loaded.errors.contains { $0.location?.line == 10 }, "\(loaded.diagnostics)")
    }
}
