import TokenScriptArithmetic
import TokenScriptModel
import TokenScriptRuntime

/// Whether a schedule is due at a given time, judged from the instance alone so every replica agrees.
///
/// The hosting node signs a `schedule/<trigger>` attestation when it believes a schedule is due; the
/// engine re-checks what it can: `at=` against the timestamp and `after= from=<attribute>` against the
/// `time` attribute (Unix seconds). `from="state-entry"` and `every=` count from the moment the instance
/// entered its state, which the instance does not record yet, so for those the trusted clock's word is taken.
enum ScheduleCheck {
    static func isDue(_ schedule: ScheduleTrigger, at time: UInt64, attributes: [String: SandboxValue]) -> Bool {
        switch ScheduleDueTime.fixed(schedule, attributes: attributes) {
        case .at(let due): Int64(clamping: time) >= due
        case .unknown: false
        case .clock: true
        }
    }
}
