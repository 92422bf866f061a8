import Foundation
import Testing
import TokenScriptDocument
import TokenScriptModel
import TokenScriptTesting

/// Each semantic problem of the server extension is an error at its line.
///
/// Every case is the body of `sl:server` (its first line is document line 5), read from a document with
/// one `ts:env` and the standard trust and states below unless the case brings its own.
@Suite("Server extension semantics")
struct ServerSemanticTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var body: String
        /// The document line the error is on, and a piece of its message.
        var line: Int
        var message: String
        var testDescription: String { name }
    }

    static let trust =
        #"<sl:trust><sl:issuer name="air" scheme="eip191" "#
        + #"key="0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed" topics="flight/*"/></sl:trust>"#
    static let states =
        #"<sl:states initial="a"><sl:state name="a"/><sl:state name="b"/>"#
        + #"<sl:state name="z" lifecycle="expired"/></sl:states>"#
    static let standard = trust + "\n" + states

    static func document(_ body: String) -> String {
        """
        <ts:token xmlns:ts="http://tokenscript.org/2024/01/tokenscript" \
        xmlns:sl="https://swift-tokenscript.org/server/1" name="x">
          <ts:meta><ts:env name="api">https://api.example.org</ts:env></ts:meta>
          <ts:attribute name="seat"><ts:origins><ts:token-id as="uint"/></ts:origins></ts:attribute>
          <sl:server>
        \(body)
          </sl:server>
        </ts:token>
        """
    }

    static func read(_ body: String) throws -> LoadedTokenScript {
        try TokenScriptReader.read(
            bytes: Array(document(body).utf8), file: "server.xml", directory: NSTemporaryDirectory(),
            options: TokenScriptReadOptions(strict: true))
    }

    /// `standard` takes lines 5 and 6, so a case's own first line is 7.
    static let cases: [Case] = [
        Case(
            name: "unknown state in states=",
            body: standard + """

                <sl:trigger name="t" states="a nope"><sl:on-attribute name="seat"/><sl:transition goto="b"/>\
                </sl:trigger>
                """, line: 7, message: "unknown state 'nope'"),
        Case(
            name: "unknown goto state",
            body: standard + """

                <sl:trigger name="t">
                  <sl:on-attribute name="seat"/>
                  <sl:transition goto="nope"/>
                </sl:trigger>
                """, line: 9, message: "goto=\"nope\" is not a state"),
        Case(
            name: "missing initial state",
            body: trust + """

                <sl:states initial="nope"><sl:state name="a"/></sl:states>
                """, line: 6, message: "initial state 'nope' is not one of the states"),
        Case(name: "no sl:states", body: trust, line: 4, message: "sl:states"),
        Case(
            name: "duplicate state",
            body: trust + """

                <sl:states initial="a">
                  <sl:state name="a"/>
                  <sl:state name="a"/>
                </sl:states>
                """, line: 8, message: "duplicate state name 'a'"),
        Case(
            name: "duplicate trigger",
            body: standard + """

                <sl:trigger name="t"><sl:on-attribute name="seat"/><sl:transition goto="b"/></sl:trigger>
                <sl:trigger name="t"><sl:on-attribute name="seat"/><sl:transition goto="a"/></sl:trigger>
                """, line: 8, message: "duplicate trigger name 't'"),
        Case(
            name: "attribute and computed share names",
            body: standard + """

                <sl:attribute name="n" type="integer"/>
                <sl:computed name="n">return 1</sl:computed>
                """, line: 8, message: "duplicate attribute name 'n'"),
        Case(
            name: "initial value of the wrong type",
            body: standard + """

                <sl:attribute name="n" type="integer" initial="many"/>
                """, line: 7, message: "'many' is not a valid integer"),
        Case(
            name: "bad duration (schema)",
            body: standard + """

                <sl:trigger name="t"><sl:on-schedule every="P1Y"/><sl:transition goto="b"/></sl:trigger>
                """, line: 7, message: "P1Y"),
        Case(
            name: "zero period",
            body: standard + """

                <sl:trigger name="t"><sl:on-schedule every="PT0S"/><sl:transition goto="b"/></sl:trigger>
                """, line: 7, message: "must be longer than zero"),
        Case(
            name: "schedule with two kinds",
            body: standard + """

                <sl:trigger name="t"><sl:on-schedule every="PT1H" at="2026-03-01T08:00:00Z"/><sl:transition goto="b"/>\
                </sl:trigger>
                """, line: 7, message: "exactly one of at=, after= or every="),
        Case(
            name: "after from a non-time attribute",
            body: standard + """

                <sl:attribute name="n" type="integer"/>
                <sl:trigger name="t"><sl:on-schedule after="PT1H" from="n"/><sl:transition goto="b"/></sl:trigger>
                """, line: 8, message: "not a time"),
        Case(
            name: "bad filter",
            body: standard + """

                <sl:trigger name="t">
                  <sl:on-attestation topic="flight/*" filter="(&amp;(delay&gt;=180)"/>
                  <sl:transition goto="b"/>
                </sl:trigger>
                """, line: 8, message: "filter \"(&(delay>=180)\": expected"),
        Case(
            name: "untrusted topic",
            body: standard + """

                <sl:trigger name="t"><sl:on-attestation topic="hotel/*"/><sl:transition goto="b"/></sl:trigger>
                """, line: 7, message: "no sl:issuer is trusted for topic 'hotel/*'"),
        Case(
            name: "topic wider than the trust",
            body: standard + """

                <sl:trigger name="t"><sl:on-attestation topic="*"/><sl:transition goto="b"/></sl:trigger>
                """, line: 7, message: "no sl:issuer is trusted for topic '*'"),
        Case(
            name: "unknown scheme (schema)",
            body: """
                <sl:trust><sl:issuer name="air" scheme="rsa" key="0x00" topics="flight/*"/></sl:trust>
                """ + "\n" + states, line: 5, message: "rsa"),
        Case(
            name: "key of the wrong form for the scheme",
            body: """
                <sl:trust><sl:issuer name="air" scheme="ed25519" key="0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed" \
                topics="flight/*"/></sl:trust>
                """ + "\n" + states, line: 5, message: "not a 32-byte Ed25519 public key"),
        Case(
            name: "on-effect names no effect",
            body: standard + """

                <sl:trigger name="t"><sl:on-effect effect="nope" outcome="success"/><sl:transition goto="b"/>\
                </sl:trigger>
                """, line: 7, message: "unknown effect 'nope'"),
        Case(
            name: "failed outcome without anchor fallback",
            body: standard + """

                <sl:trigger name="t"><sl:on-effect effect="call" outcome="failed"/><sl:transition goto="b"/>\
                </sl:trigger>
                <sl:effect name="call" method="GET" url="https://x.example.org" timeout="PT5S"/>
                """, line: 7, message: "never ends in 'failed'"),
        Case(
            name: "anchor fallback with nobody trusted to sign the failure",
            body: standard + """

                <sl:effect name="call" method="GET" url="https://x.example.org" timeout="PT5S">
                  <sl:fallback anchor="true"/>
                </sl:effect>
                """, line: 7, message: "no sl:issuer is trusted for topic 'effect/call'"),
        Case(
            name: "url refers to a missing ts:env",
            body: standard + """

                <sl:effect name="call" method="GET" url="${env.nope}/x" timeout="PT5S"/>
                """, line: 7, message: "ts:meta has no <ts:env name=\"nope\">"),
        Case(
            name: "max shorter than initial",
            body: standard + """

                <sl:effect name="call" method="GET" url="${env.api}/x" timeout="PT5S">
                  <sl:retry retries="2" initial="PT10S" max="PT1S"/>
                </sl:effect>
                """, line: 8, message: "shorter than initial"),
        Case(
            name: "transition with neither Lua nor goto",
            body: standard + """

                <sl:trigger name="t">
                  <sl:on-attribute name="seat"/>
                  <sl:transition>   </sl:transition>
                </sl:trigger>
                """, line: 9, message: "neither Lua nor goto="),
        Case(
            name: "transition with both Lua and goto",
            body: standard + """

                <sl:trigger name="t">
                  <sl:on-attribute name="seat"/>
                  <sl:transition goto="b">return {}</sl:transition>
                </sl:trigger>
                """, line: 9, message: "not both"),
        Case(
            name: "on-attribute names nothing",
            body: standard + """

                <sl:trigger name="t"><sl:on-attribute name="nope"/><sl:transition goto="b"/></sl:trigger>
                """, line: 7, message: "unknown attribute 'nope'"),
        Case(
            name: "on-action without the action's name",
            body: standard + """

                <sl:trigger name="t"><sl:on-action/><sl:transition goto="b"/></sl:trigger>
                """, line: 7, message: "name"),
        Case(
            name: "status with an outcome other than error",
            body: standard + """

                <sl:trigger name="t"><sl:on-effect effect="call" outcome="success" status="2xx"/><sl:transition \
                goto="b"/></sl:trigger>
                <sl:effect name="call" method="GET" url="${env.api}" timeout="PT5S"/>
                """, line: 7, message: "status= goes with outcome=\"error\" only"),
        Case(
            name: "a stray element of ours outside sl:server",
            body: standard + """

                </sl:server>
                <sl:trigger name="stray"><sl:on-attribute name="seat"/><sl:transition goto="a"/></sl:trigger>
                <sl:server>
                """, line: 8, message: "belongs inside <sl:server>"),
    ]

    @Test("each problem is an error at its line", arguments: cases)
    func reported(_ testCase: Case) throws {
        let loaded: LoadedTokenScript
        do {
            loaded = try Self.read(testCase.body)
        } catch {
            Issue.record("not read at all: \(error)")
            return
        }
        let found = loaded.errors.contains {
            $0.location?.line == testCase.line && $0.message.contains(testCase.message)
        }
        let diagnostics = loaded.diagnostics.map(\.description).joined(separator: "\n")
        #expect(
            found, "expected an error at line \(testCase.line) containing '\(testCase.message)'; got:\n\(diagnostics)")
    }

    @Test("diagnostics read file:line:column")
    func located() throws {
        let loaded = try Self.read(
            Self.standard + """

                <sl:trigger name="t"><sl:on-attribute name="seat"/><sl:transition goto="nope"/></sl:trigger>
                """)
        #expect(
            loaded.errors.map(\.description) == ["server.xml:7:52: error: trigger 't': goto=\"nope\" is not a state"])
    }

    @Test("the standard head alone is valid")
    func baseline() throws {
        let loaded = try Self.read(Self.standard)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.tokenScript.server?.states.count == 3)
    }
}
