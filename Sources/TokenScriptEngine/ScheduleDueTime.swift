import TokenScriptArithmetic
import TokenScriptModel
import TokenScriptRuntime

/// When the hosting node should sign a `schedule/<trigger>` tick: the other side of `ScheduleCheck`, which
/// re-checks a tick against the instance. A node (or a dry run advancing its clock) asks this for each
/// schedule trigger that fires in the instance's state.
public enum ScheduleDueTime {
    /// The Unix second `schedule` is next due, or nil when it is not due again in this state.
    ///
    /// `stateEntry`: when the instance entered its current state (what `after= from="state-entry"` and
    /// `every=` count from); `lastFired`: when this trigger last fired in this state, nil if it has not.
    /// `at=` and `after=` fire once per stay in a state; `every=` fires each period after the last tick.
    public static func next(
        _ schedule: ScheduleTrigger, stateEntry: UInt64, lastFired: UInt64?, attributes: [String: SandboxValue]
    ) -> UInt64? {
        switch (schedule, fixed(schedule, attributes: attributes)) {
        case (_, .at(let due)):
            return lastFired == nil ? UInt64(clamping: max(due, 0)) : nil
        case (_, .unknown):
            return nil
        case (.every(let period), .clock):
            // A period under a second still ticks once a second at most: the journal's clock is in seconds.
            let seconds = max(UInt64(period.milliseconds / 1000), 1)
            return (lastFired ?? stateEntry).saturatingAdding(seconds)
        case (.after(let delay, _), .clock):
            guard lastFired == nil else { return nil }
            return stateEntry.saturatingAdding(UInt64(delay.milliseconds / 1000))
        case (.at, .clock):
            return nil
        }
    }

    /// What the instance alone says about when `schedule` is due — the one formula the node's clock
    /// (`next`) and the engine's re-check of a tick (`ScheduleCheck`) share.
    enum Fixed: Equatable {
        /// Due at this Unix second: `at=`, or `after=` counted from a `time` attribute (saturating, so a
        /// far-future attribute stays in the future instead of wrapping to "due now").
        case at(Int64)
        /// The instance fixes the time but the date or the attribute is missing or malformed: never due.
        case unknown
        /// Counted from entering the state (`from="state-entry"`, `every=`), which only the clock knows.
        case clock
    }

    static func fixed(_ schedule: ScheduleTrigger, attributes: [String: SandboxValue]) -> Fixed {
        switch schedule {
        case .at(let text):
            return AttributeTyping.unixSeconds(iso: text).map(Fixed.at) ?? .unknown
        case .after(let delay, from: .attribute(let name)):
            guard case .int(let start)? = attributes[name] else { return .unknown }
            return .at(start.saturatingAdding(delay.milliseconds / 1000))
        case .after(_, from: .stateEntry), .every:
            return .clock
        }
    }
}
