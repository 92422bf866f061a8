import TokenScriptJSON

/// A value from Lua that has no exact JSON form, refused at the boundary rather than repaired.
///
/// Lua strings are bytes. Repairing invalid UTF-8 (to U+FFFD) would make different keys collide, and
/// which one survived would depend on Lua's randomised table order, so replicas would disagree; a
/// non-finite number has no JSON form. The path names the value, e.g. `result.state["ab"][3]`.
public struct SandboxValueError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where the value is, below the root `result` (a script's return value) or `arguments`.
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
