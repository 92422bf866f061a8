import Testing
import TokenScriptModel
import TokenScriptRuntime
@testable import TokenScriptEngine

/// A clock tick fires a schedule trigger only when the instance itself says the schedule is due.
@Suite("Schedules")
struct ScheduleCheckTests {
    @Test("at= is due from its timestamp on")
    func fixedTime() {
        let schedule = ScheduleTrigger.at("2026-03-01T08:00:00Z")
        #expect(!ScheduleCheck.isDue(schedule, at: 1_772_351_999, attributes: [:]))
        #expect(ScheduleCheck.isDue(schedule, at: 1_772_352_000, attributes: [:]))
    }

    @Test("after= from an attribute is due that long after the attribute's time; without the attribute never")
    func afterAttribute() {
        let schedule = ScheduleTrigger.after(.seconds(3600), from: .attribute("departureTime"))
        let attributes: [String: SandboxValue] = ["departureTime": .int(1_000_000)]
        #expect(!ScheduleCheck.isDue(schedule, at: 1_003_599, attributes: attributes))
        #expect(ScheduleCheck.isDue(schedule, at: 1_003_600, attributes: attributes))
        #expect(!ScheduleCheck.isDue(schedule, at: 9_999_999, attributes: [:]))
    }

    @Test("state-entry and every= rely on the trusted clock")
    func trustedClock() {
        #expect(ScheduleCheck.isDue(.every(.seconds(60)), at: 1, attributes: [:]))
        #expect(ScheduleCheck.isDue(.after(.seconds(60), from: .stateEntry), at: 1, attributes: [:]))
    }
}
