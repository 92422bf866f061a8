/// A caller's deadline in seconds made safe to schedule: timers and libcurl take whole units, and a NaN,
/// infinite or negative value (from a journal or a library caller) must not trap in their conversions.
public enum HTTPDeadline {
    /// The longest deadline honoured: one day.
    public static let maximumSeconds = 86_400.0
    /// The shortest: one millisecond.
    public static let minimumSeconds = 0.001

    /// `seconds` within `minimumSeconds...maximumSeconds`; NaN and negatives become the minimum, +∞ the maximum.
    public static func clamped(_ seconds: Double) -> Double {
        guard !seconds.isNaN else { return minimumSeconds }
        return Swift.min(Swift.max(seconds, minimumSeconds), maximumSeconds)
    }
}
