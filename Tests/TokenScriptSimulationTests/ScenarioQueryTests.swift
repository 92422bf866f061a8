import Foundation
import Testing
import TokenScriptDocument
import TokenScriptModel
import TokenScriptRuntime
import TokenScriptSimulation
import TokenScriptTesting

/// Scenarios that check what an integrator reads: interface answers (`expect.queries`) and computed
/// attributes (in `expect.attributes`), and the report of which issuers' keys the run replaced.
@Suite struct ScenarioQueryTests {
    static func scenario(expect: String) -> String {
        """
        {"script": "../flight-ticket.xml", "instance": "q",
         "keys": {"airline": "0x1111111111111111111111111111111111111111111111111111111111111111"},
         "initial": {"state": "active", "attributes": {"flight": "LH2024", "departureTime": 1790050000}},
         "steps": [{"attestation": {"issuer": "airline", "topic": "flight-status/LH2024", "type": "delay",
                                    "payload": {"flight": "LH2024", "delayMinutes": 40}}}],
         "expect": \(expect)}
        """
    }

    static func run(expect: String) async throws -> ScenarioResult {
        let scenario = try Scenario(json: scenario(expect: expect), name: "q")
        let loaded = try TokenScriptReader.read(file: TestPaths.tokenScripts + "/flight-ticket.xml")
        return try await ScenarioRunner.run(
            scenario, tokenScript: loaded.tokenScript, runtime: SimulationTestSupport.pool)
    }

    @Test("expected answers and computed attributes that hold pass; those that differ fail naming the field")
    func answersAndComputed() async throws {
        let passing = try await Self.run(
            expect: """
                {"attributes": {"status": "delayed by 40 min", "delayMinutes": 40},
                 "queries": {"flightStatus": {"args": {"x": 1}, "answer": {"flight": "LH2024", "state": "delayed",
                             "departureTime": 1790050000, "delayMinutes": 40}}}}
                """)
        #expect(passing.expectationFailures.isEmpty, "\(passing.expectationFailures)")

        let failing = try await Self.run(
            expect: """
                {"attributes": {"status": "on time"},
                 "queries": {"flightStatus": {"answer": null}, "missing": {"answer": 1}}}
                """)
        #expect(
            failing.expectationFailures.contains(
                #"end: attributes.status: expected "on time", got "delayed by 40 min""#))
        #expect(
            failing.expectationFailures.contains { $0.hasPrefix("end: queries.flightStatus: expected null, got {") })
        #expect(
            failing.expectationFailures.contains {
                $0.hasPrefix("end: queries.missing: expected 1, got error: no sl:interface named missing")
            }, "\(failing.expectationFailures)")
    }

    @Test("the run names only the issuers whose document keys it replaced (the airline's key is the document's)")
    func substitutedIssuers() async throws {
        let result = try await Self.run(expect: "{}")
        #expect(result.substitutedIssuers == ["anchor"])
    }

    @Test(
        "expect.queries is read strictly, errors naming the field",
        arguments: [
            (#"{"queries": {"flightStatus": {"args": {}}}}"#, "expect.queries.flightStatus.answer: missing"),
            (
                #"{"queries": {"flightStatus": {"answer": 1, "args": [1]}}}"#,
                "expect.queries.flightStatus.args: expected an object"
            ),
            (
                #"{"queries": {"flightStatus": {"answer": 1, "arg": {}}}}"#,
                "expect.queries.flightStatus.arg: unknown field"
            ),
            (#"{"queries": {"flightStatus": 5}}"#, "expect.queries.flightStatus: expected an object"),
            (#"{"queries": [1]}"#, "expect.queries: expected an object"),
        ])
    func strict(_ expect: String, _ message: String) {
        #expect(throws: Scenario.Invalid.self) { try Scenario(json: Self.scenario(expect: expect), name: "q") }
        do {
            _ = try Scenario(json: Self.scenario(expect: expect), name: "q")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("a state file is read strictly: malformed JSON names line and column, fields are checked when applied")
    func initialInstance() throws {
        #expect(throws: Scenario.Invalid.self) { try InitialInstance(json: "{\n  \"state\": }") }
        do {
            _ = try InitialInstance(json: "{\n  \"state\": }")
        } catch {
            #expect(error.description.contains("line 2, column 12"), "\(error.description)")
        }
        let initial = try InitialInstance(json: #"{"state": "lounge", "attributes": {"delayMinutes": 200}}"#)
        #expect(initial.state == "lounge")
        #expect(initial.attributes["delayMinutes"] == .int(200))
    }
}
