import Foundation
import Testing
import TokenScriptDocument
import TokenScriptModel
import TokenScriptTesting
import TokenScriptXML

/// Our server-side extension (`sl:server`): the flight ticket reads into the expected model, and the
/// namespace stays invisible to the rest of the reader.
@Suite("Server extension")
struct ServerExtensionTests {
    static func flightTicket() throws -> LoadedTokenScript {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestPaths.tokenScripts + "/flight-ticket.xml")))
        return try TokenScriptReader.read(
            bytes: bytes, file: "TokenScripts/flight-ticket.xml", directory: TestPaths.tokenScripts,
            options: TokenScriptReadOptions(strict: true))
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test("the flight ticket reads strictly, without a single diagnostic, into the golden model")
    func golden() throws {
        let loaded = try Self.flightTicket()
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.tokenScript.server != nil)
        if let difference = Golden.check(try Self.json(loaded.tokenScript), against: "flight-ticket.model.json") {
            Issue.record(Comment(rawValue: difference))
        }
    }

    @Test("the model round-trips through JSON")
    func codableRoundTrip() throws {
        let script = try Self.flightTicket().tokenScript
        let decoded = try JSONDecoder().decode(TokenScript.self, from: Data(try Self.json(script).utf8))
        #expect(decoded == script)
    }

    @Test("states, lifecycles and trust")
    func statesAndTrust() throws {
        let server = try #require(try Self.flightTicket().tokenScript.server)
        #expect(server.namespace == ServerExtension.namespaceURI)
        #expect(server.version == 1)
        #expect(server.initialState == "booked")
        #expect(
            server.states.map(\.name)
                == [
                    "booked", "active", "delayed", "lounge", "rebooking", "rebooked", "rebook-failed", "departed",
                    "expired",
                ])
        #expect(server.state(named: "booked")?.lifecycle == .dormant)
        #expect(server.state(named: "lounge")?.lifecycle == .active)
        #expect(server.state(named: "expired")?.lifecycle == .expired)
        let airline = try #require(server.issuers.first { $0.name == "airline" })
        #expect(airline.scheme == .eip191 && airline.topics == [TopicPattern("flight-status/*")])
        let anchor = try #require(server.issuers.first { $0.name == "anchor" })
        #expect(anchor.scheme == .ed25519)
        #expect(server.issuers(trustedFor: "flight-status/LH2024").map(\.name) == ["airline"])
        #expect(server.issuers(trustedFor: "effect/rebookHotel").map(\.name) == ["anchor"])
        #expect(server.issuers(trustedFor: "hotel/anything").isEmpty)
        #expect(server.attribute(named: "departureTime")?.type == .time)
        #expect(server.attribute(named: "delayMinutes")?.initial == "0")
        #expect(server.computedAttribute(named: "status") != nil)
    }

    @Test("the delay triggers: longest delay first, filters over payload fields, Lua transitions")
    func delayTriggers() throws {
        let server = try #require(try Self.flightTicket().tokenScript.server)
        let names = server.triggers.map(\.name)
        let significant = try #require(names.firstIndex(of: "significant-delay"))
        let lounge = try #require(names.firstIndex(of: "lounge-access"))
        #expect(significant < lounge)
        let trigger = server.triggers[lounge]
        guard case .attestation(let attestation) = trigger.event else {
            Issue.record("lounge-access is not an attestation trigger")
            return
        }
        #expect(attestation.topic == TopicPattern("flight-status/${flight}"))
        let template = try #require(attestation.template)
        #expect(template.rendered { $0 == "flight" ? .string("LH2024") : nil }?.matches("flight-status/LH2024") == true)
        #expect(template.rendered { $0 == "flight" ? .string("LH2024") : nil }?.matches("flight-status/BA117") == false)
        #expect(attestation.type == "delay")
        #expect(attestation.filter == (try FilterParser.parse("delayMinutes>=180")))
        #expect(trigger.states == ["active", "delayed"])
        guard case .lua(let lua) = trigger.transition else {
            Issue.record("lounge-access has no Lua transition")
            return
        }
        #expect(lua.text.contains("loungeAccess = true"))
        // The rebooking trigger requests the effect (CDATA is read as text).
        guard case .lua(let rebook) = server.triggers[significant].transition else {
            Issue.record("significant-delay has no Lua transition")
            return
        }
        #expect(rebook.text.contains("name = \"rebookHotel\""))
        #expect(!rebook.text.contains("CDATA"))
    }

    @Test(
        """
        the effect: POST to the env URL, timeout, three exponential retries, idempotency key, \
        anchor fallback and its outcomes
        """
    )
    func effect() throws {
        let script = try Self.flightTicket().tokenScript
        let server = try #require(script.server)
        let effect = try #require(server.effect(named: "rebookHotel"))
        #expect(effect.method == .POST)
        #expect(effect.environmentReferences == ["hotelApi"])
        #expect(script.meta.environment.contains { $0.name == "hotelApi" })
        #expect(effect.timeout.milliseconds == 10_000)
        #expect(effect.retry.retries == 3 && effect.retry.backoff == .exponential)
        #expect((1...4).map(effect.retry.delayMilliseconds(beforeRetry:)) == [2000, 4000, 8000, 16000])
        #expect(effect.retry.delayMilliseconds(beforeRetry: 9) == 30_000)
        #expect(effect.request?.text.contains("body") == true)
        #expect(effect.idempotencyKey.header == "Idempotency-Key" && effect.idempotencyKey.lua != nil)
        #expect(effect.anchorFallback)
        let outcomes = server.triggers.compactMap { trigger -> EffectOutcome? in
            if case .effectOutcome(let outcome) = trigger.event, outcome.effect == effect.name {
                return outcome.outcome
            }
            return nil
        }
        #expect(Set(outcomes) == Set(EffectOutcome.allCases))
        let refused = try #require(server.trigger(named: "hotel-refused"))
        guard case .effectOutcome(let outcome) = refused.event else {
            Issue.record("hotel-refused is not an on-effect trigger: \(refused.event)")
            return
        }
        #expect(outcome.statuses.map(\.text) == ["4xx"])
        #expect(outcome.statuses[0].matches(404) && !outcome.statuses[0].matches(503))
        #expect(server.trigger(named: "hotel-unreachable")?.transition != nil)
    }

    @Test("schedule, attribute change, goto, and the integrator's interface")
    func scheduleAndInterface() throws {
        let server = try #require(try Self.flightTicket().tokenScript.server)
        let expire = try #require(server.trigger(named: "expire"))
        #expect(expire.event == .schedule(.after(ISODuration("PT12H")!, from: .attribute("departureTime"))))
        #expect(expire.transition == .goto("expired"))
        #expect(expire.states.isEmpty)
        #expect(!expire.fires(in: server.state(named: "expired")!))
        #expect(expire.fires(in: server.state(named: "lounge")!))
        #expect(server.trigger(named: "new-holder")?.event == .attributeChange("ownerAddress"))
        #expect(server.trigger(named: "departed")?.transition == .goto("departed"))
        let interface = try #require(server.interface(named: "flightStatus"))
        #expect(interface.lua.text.contains("flight = attributes.flight"))
    }

    @Test("Lua keeps the document line of its first line, so Lua errors map back to the XML")
    func luaLines() throws {
        let text = try String(contentsOfFile: TestPaths.tokenScripts + "/flight-ticket.xml", encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func line(containing needle: String) -> Int? {
            lines.firstIndex { $0.contains(needle) }.map { $0 + 1 }
        }
        let server = try #require(try Self.flightTicket().tokenScript.server)
        let status = try #require(server.computedAttribute(named: "status")).lua
        #expect(status.line == line(containing: "if attributes.delayMinutes > 0 then"))
        guard case .lua(let rebook) = server.trigger(named: "significant-delay")?.transition else {
            Issue.record("no Lua")
            return
        }
        #expect(rebook.line == line(containing: "local minutes = event.data.delayMinutes"))
        // Lua's line 3 of the chunk is the document line of the chunk's third line.
        let third = rebook.text.split(separator: "\n", omittingEmptySubsequences: false)[2]
        #expect(line(containing: String(third)) == rebook.documentLine(ofLuaLine: 3))
        #expect(rebook.chunk(binding: Transition.parameters).hasPrefix("local state, event, attributes = ... "))
        #expect(!rebook.chunk(binding: Transition.parameters).contains("...\n"))
    }

    @Test("the model and the XML layer agree on the namespace; versions are read from the URI")
    func namespace() {
        #expect(ServerExtensionSchema.namespace == ServerExtension.namespaceURI)
        #expect(ServerExtension.version(ofNamespace: "https://swift-tokenscript.org/server/1") == 1)
        #expect(ServerExtension.version(ofNamespace: "https://swift-tokenscript.org/server/12") == 12)
        #expect(ServerExtension.version(ofNamespace: "https://swift-tokenscript.org/server/") == nil)
        #expect(ServerExtension.version(ofNamespace: "https://swift-tokenscript.org/server/01") == nil)
        #expect(ServerExtension.version(ofNamespace: "urn:example") == nil)
    }

    @Test(
        "durations: days, hours, minutes, seconds only",
        arguments: [
            ("PT5S", 5_000 as Int64?), ("PT1H30M", 5_400_000), ("P1DT6H", 108_000_000), ("PT0.5S", 500),
            ("P2D", 172_800_000),
            ("PT0S", 0), ("P1Y", nil), ("P1M", nil), ("P1W", nil), ("PT", nil), ("P", nil), ("P1DT", nil),
            ("PT1M1H", nil),
            ("PT1.5M", nil), ("PT0.1234S", nil), ("5S", nil), ("pt5s", nil),
        ])
    func durations(_ text: String, _ milliseconds: Int64?) {
        #expect(ISODuration(text)?.milliseconds == milliseconds)
    }

    @Test("timestamps need a zone")
    func timestamps() {
        for valid in ["2026-03-01T08:00:00Z", "2026-03-01T08:00:00.250Z", "2026-03-01T09:00:00+01:00"] {
            #expect(ISOTimestamp.isValid(valid), "\(valid)")
        }
        for invalid in ["2026-03-01T08:00:00", "2026-03-01", "2026-13-01T08:00:00Z", "2026-03-01T08:00Z", "x"] {
            #expect(!ISOTimestamp.isValid(invalid), "\(invalid)")
        }
    }

    @Test("topic patterns: exact, or a trailing * for a family")
    func topics() {
        #expect(TopicPattern("flight-status/*").matches("flight-status/LH2024"))
        #expect(!TopicPattern("flight-status/*").matches("flight/LH2024"))
        #expect(TopicPattern("flight-status/LH2024").matches("flight-status/LH2024"))
        #expect(TopicPattern("*").covers(TopicPattern("effect/*")))
        #expect(TopicPattern("flight-status/*").covers(TopicPattern("flight-status/LH*")))
        #expect(!TopicPattern("flight-status/LH1").covers(TopicPattern("flight-status/*")))
        #expect(!TopicPattern("a*b").isWellFormed && !TopicPattern("").isWellFormed)
    }

    @Test("other runtimes' view: elements of our namespace never cause unknown-element diagnostics, even strictly")
    func invisibleToTokenScript() throws {
        let loaded = try Self.flightTicket()
        #expect(!loaded.diagnostics.contains { $0.kind == .unknownConstruct })
        // An unknown version of our namespace is ignored with a warning, not read and not reported as unknown.
        let future = try TokenScriptReader.read(
            bytes: Array(
                """
                <ts:token xmlns:ts="http://tokenscript.org/2024/01/tokenscript" name="x">
                  <sl:server xmlns:sl="https://swift-tokenscript.org/server/2"><sl:anything/></sl:server>
                </ts:token>
                """.utf8), file: "future.xml", directory: NSTemporaryDirectory(),
            options: TokenScriptReadOptions(strict: true))
        #expect(future.tokenScript.server == nil)
        #expect(future.diagnostics.map(\.severity) == [.warning])
        #expect(future.diagnostics.first?.kind == .namespace)
        // Any other namespace stays an extension nobody reports.
        let other = try TokenScriptReader.read(
            bytes: Array(
                """
                <ts:token xmlns:ts="http://tokenscript.org/2024/01/tokenscript" xmlns:x="urn:example:extension" \
                name="x">
                  <x:server><x:states/></x:server>
                </ts:token>
                """.utf8), file: "other.xml", directory: NSTemporaryDirectory(),
            options: TokenScriptReadOptions(strict: true))
        #expect(other.diagnostics.isEmpty && other.tokenScript.server == nil)
    }

    @Test("a TokenScript of another version carries the extension too")
    func anyVersion() throws {
        let loaded = try TokenScriptReader.read(
            bytes: Array(
                """
                <ts:token xmlns:ts="http://tokenscript.org/2020/06/tokenscript" \
                xmlns:s="https://swift-tokenscript.org/server/1" name="x">
                  <s:server>
                    <s:states initial="on"><s:state name="on"/></s:states>
                  </s:server>
                </ts:token>
                """.utf8), file: "old.xml", directory: NSTemporaryDirectory(),
            options: TokenScriptReadOptions(strict: true))
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.tokenScript.server?.states.map(\.name) == ["on"])
    }
}
