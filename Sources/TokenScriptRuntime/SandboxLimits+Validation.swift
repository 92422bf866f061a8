import TokenScriptArithmetic

/// The ranges every `SandboxLimits` must lie in before a worker sees it.
///
/// Limits come from CLI flags and library callers, so each is checked here, in one place, and a bad one
/// is an error naming the field (`timeoutSeconds: inf is out of range (0.001…86400.0)`) instead of a trap
/// in the conversions that turn seconds into nanoseconds and counts into wire integers. The pool checks
/// every execution with `validated()`, so no path to a worker skips it.
extension SandboxLimits {
    /// The largest message between a runtime and its script (a result, a host call or reply): the sandbox
    /// worker channel's frame limit, 16 MiB.
    public static let frameBytes = 16 << 20
    public static let memoryBytesRange = 64 << 10...1 << 40
    public static let instructionsRange: ClosedRange<UInt64> = 1...UInt64(Int64.max)
    /// Up to a day: the wall clock is a backstop, and a day already means "never" for one transition.
    public static let timeoutSecondsRange: ClosedRange<Double> = 0.001...86_400
    public static let outputBytesRange = 0...1 << 30
    public static let resultBytesRange = 1...Self.frameBytes
    public static let sourceBytesRange = 0...1 << 30
    public static let hostReplyBytesRange = 0...Self.frameBytes

    /// These limits, or the first one out of range.
    public func validated() throws(NumberRangeError) -> SandboxLimits {
        func check(_ value: Int, _ field: String, _ range: ClosedRange<Int>) throws(NumberRangeError) {
            _ = try CheckedConversion.integer(value, as: Int.self, field: field, in: range)
        }
        try check(memoryBytes, "memoryBytes", Self.memoryBytesRange)
        _ = try CheckedConversion.integer(
            instructions, as: UInt64.self, field: "instructions", in: Self.instructionsRange)
        _ = try CheckedConversion.finite(timeoutSeconds, field: "timeoutSeconds", in: Self.timeoutSecondsRange)
        try check(outputBytes, "outputBytes", Self.outputBytesRange)
        try check(resultBytes, "resultBytes", Self.resultBytesRange)
        try check(sourceBytes, "sourceBytes", Self.sourceBytesRange)
        try check(hostReplyBytes, "hostReplyBytes", Self.hostReplyBytesRange)
        return self
    }
}
