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
        switch schedule {
        case .at(let text):
            guard lastFired == nil, let due = AttributeTyping.unixSeconds(iso: text) else { return nil }
            return UInt64(clamping: max(due, 0))
        case .after(let delay, from: .attribute(let name)):
            guard lastFired == nil, case .int(let start)? = attributes[name] else { return nil }
            return UInt64(clamping: max(start.saturatingAdding(delay.milliseconds / 1000), 0))
        case .after(let delay, from: .stateEntry):
            guard lastFired == nil else { return nil }
            return stateEntry.saturatingAdding(UInt64(delay.milliseconds / 1000))
        case .every(let period):
            // A period under a second still ticks once a second at most: the journal's clock is in seconds.
            let seconds = max(UInt64(period.milliseconds / 1000), 1)
            return (lastFired ?? stateEntry).saturatingAdding(seconds)
        }
    }
}
