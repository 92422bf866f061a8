import TokenScriptArithmetic
import TokenScriptRuntime

extension SandboxPool.Configuration {
    public static let sizeRange = 1...1024

    /// This configuration, or the first setting out of range (the worker address space is computed from
    /// `maxMemoryBytes`, so it is held to the same range as an execution's memory limit).
    public func validated() throws(NumberRangeError) -> SandboxPool.Configuration {
        _ = try CheckedConversion.integer(size, as: Int.self, field: "size", in: Self.sizeRange)
        _ = try CheckedConversion.integer(
            maxMemoryBytes, as: Int.self, field: "maxMemoryBytes", in: SandboxLimits.memoryBytesRange)
        return self
    }
}
