import Testing
import TokenScriptCluster
@testable import TokenScriptAnchor

/// `--objective NAME=PERCENT,LATENCYms[,PERIODd]`: read exactly (no floats), and every mistake refused naming the
/// flag and the text.
@Suite("Anchor: per-node objectives from the configuration")
struct AnchorObjectivesTests {
    @Test(
        "objectives are read exactly into parts per million, milliseconds and seconds",
        arguments: [
            ("n1=99.95,500ms", 999_500, 500, 30 * 86_400), ("node-2=99.9,1000ms,7d", 999_000, 1_000, 7 * 86_400),
            ("a.b=50,1ms", 500_000, 1, 30 * 86_400), ("x=99.9999,20ms,1d", 999_999, 20, 86_400),
        ])
    func reads(_ text: String, good: Int, latency: Int, period: Int) throws {
        let objectives = try AnchorObjectives.parse([text])
        let objective = try #require(objectives.values.first)
        #expect(objective.goodPerMillion == UInt32(good))
        #expect(objective.latencyMilliseconds == UInt64(latency))
        #expect(objective.periodSeconds == UInt64(period))
    }

    @Test(
        "a malformed objective is refused naming the flag and the text",
        arguments: [
            ("n1", "a node name"), ("=99.9,500ms", "a node name"), ("n 1=99.9,500ms", "a node name"),
            ("n1=99.9", "two or three parts"), ("n1=100,500ms", "is not a percentage"),
            ("n1=0,500ms", "is not a percentage"), ("n1=99.99999,500ms", "is not a percentage"),
            ("n1=9e1,500ms", "is not a percentage"), ("n1=99.,500ms", "is not a percentage"),
            ("n1=99.9,500", "is not a latency"), ("n1=99.9,0ms", "is not a latency"),
            ("n1=99.9,500ms,30", "is not a period"), ("n1=99.9,500ms,0d", "periodSeconds"),
        ])
    func refused(_ text: String, message: String) throws {
        let error = #expect(throws: AnchorConfigurationError.self) { _ = try AnchorObjectives.parse([text]) }
        #expect(error?.field == "objective")
        #expect(error?.message.contains("\"\(text)\"") == true, "\(String(describing: error))")
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test("one node given two objectives is refused")
    func twice() throws {
        let error = #expect(throws: AnchorConfigurationError.self) {
            _ = try AnchorObjectives.parse(["n1=99.9,500ms", "n1=99,500ms"])
        }
        #expect(error?.message == "n1 has two objectives")
    }
}
