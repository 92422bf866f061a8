import TokenScriptArithmetic

/// One node's events counted per minute of sample time: what windows are summed from.
///
/// Minute `m` holds the samples of seconds `60m` to `60m + 59`. A window of `s` seconds ending at time `t` is
/// the `s / 60` minutes up to and including `t`'s own (at least one), so a sample is in a five-minute window
/// for five minutes at most and leaves it whole; samples arriving late land in their own minute.
public struct EventSeries: Sendable, Hashable {
    public private(set) var minutes: [UInt64: EventCounts] = [:]

    public init() {}

    /// Counts one event at `time`.
    public mutating func record(bad: Bool, at time: UInt64) {
        let minute = time / 60
        minutes[minute] = (minutes[minute] ?? EventCounts()).adding(EventCounts(total: 1, bad: bad ? 1 : 0))
    }

    /// The events of the window of `seconds` ending at `time`.
    public func counts(seconds: UInt64, endingAt time: UInt64) -> EventCounts {
        let range = Self.minutes(seconds: seconds, endingAt: time)
        var sum = EventCounts()
        if UInt64(minutes.count) < range.upperBound - range.lowerBound {
            for (minute, counts) in minutes where range.contains(minute) { sum = sum.adding(counts) }
        } else {
            for minute in range { if let counts = minutes[minute] { sum = sum.adding(counts) } }
        }
        return sum
    }

    /// Drops the minutes before `minute`: older than any window or period still asked for.
    public mutating func forget(before minute: UInt64) {
        minutes = minutes.filter { $0.key >= minute }
    }

    /// The minutes a window of `seconds` ending at `time` covers, as a half-open range.
    public static func minutes(seconds: UInt64, endingAt time: UInt64) -> Range<UInt64> {
        let last = time / 60
        let count = max(1, seconds / 60)
        return (last - min(last, count - 1))..<(last + 1)
    }
}
