import Testing
import TokenScriptModel
import TokenScriptRuntime
@testable import TokenScriptEngine

/// When the hosting node signs a schedule tick: once per stay in a state for at= and after=, each period for
/// every=, and always a time `ScheduleCheck` then accepts.
@Suite("Schedule due times")
struct ScheduleDueTimeTests {
    @Test("at= is due at its timestamp, once")
    func fixedTime() {
        let schedule = ScheduleTrigger.at("2026-03-01T08:00:00Z")
        #expect(ScheduleDueTime.next(schedule, stateEntry: 5, lastFired: nil, attributes: [:]) == 1_772_352_000)
        #expect(ScheduleDueTime.next(schedule, stateEntry: 5, lastFired: 1_772_352_000, attributes: [:]) == nil)
        #expect(ScheduleDueTime.next(.at("not a time"), stateEntry: 5, lastFired: nil, attributes: [:]) == nil)
    }

    @Test("after= counts from the attribute's time or from state entry; without the attribute it is never due")
    func after() {
        let fromAttribute = ScheduleTrigger.after(.seconds(3600), from: .attribute("departureTime"))
        let attributes: [String: SandboxValue] = ["departureTime": .int(1_000_000)]
        let due = ScheduleDueTime.next(fromAttribute, stateEntry: 7, lastFired: nil, attributes: attributes)
        #expect(due == 1_003_600)
        #expect(ScheduleCheck.isDue(fromAttribute, at: due!, attributes: attributes))
        #expect(ScheduleDueTime.next(fromAttribute, stateEntry: 7, lastFired: nil, attributes: [:]) == nil)
        let fromEntry = ScheduleTrigger.after(.seconds(60), from: .stateEntry)
        #expect(ScheduleDueTime.next(fromEntry, stateEntry: 100, lastFired: nil, attributes: [:]) == 160)
        #expect(ScheduleDueTime.next(fromEntry, stateEntry: 100, lastFired: 160, attributes: [:]) == nil)
    }

    @Test("every= is due a period after state entry, then a period after each tick; far times saturate")
    func every() {
        #expect(ScheduleDueTime.next(.every(.seconds(3600)), stateEntry: 100, lastFired: nil, attributes: [:]) == 3700)
        #expect(ScheduleDueTime.next(.every(.seconds(3600)), stateEntry: 100, lastFired: 3700, attributes: [:]) == 7300)
        #expect(
            ScheduleDueTime.next(.every(ISODuration("PT0.5S")!), stateEntry: 10, lastFired: nil, attributes: [:]) == 11)
        #expect(
            ScheduleDueTime.next(.every(.seconds(60)), stateEntry: UInt64.max - 1, lastFired: nil, attributes: [:])
                == UInt64.max)
    }
}
