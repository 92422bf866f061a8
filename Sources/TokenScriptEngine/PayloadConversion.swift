import TokenScriptAttestation
import TokenScriptJSON
import TokenScriptRuntime

/// Attestation payloads enter Lua as `event.data`; the sandbox speaks `SandboxValue`.
///
/// The conversion is total and lossless: payload integers are within ±(2^53 − 1), so they stay Lua
/// integers, and nothing in an `AttestationValue` lacks a `SandboxValue` counterpart. It goes through the one
/// JSON model both sides already map to, so the case-by-case mapping is written once per side.
extension SandboxValue {
    public init(_ value: AttestationValue) {
        self.init(value.json)
    }

    /// Members of an object; an empty array counts as an empty object, because the sandbox sends an
    /// empty Lua table as `[]` (it cannot know which one the script meant).
    public var objectMembers: [JSONKey: SandboxValue]? {
        switch self {
        case .object(let members): members
        case .array(let items) where items.isEmpty: [:]
        default: nil
        }
    }
}

extension Dictionary where Key == JSONKey {
    /// The members keyed by Swift strings, or nil when two keys are canonically equivalent (and so would
    /// merge into one `String` key): for names that must also be attribute or topic names.
    public var textKeyed: [String: Value]? {
        var result: [String: Value] = [:]
        for (key, value) in self {
            guard result.updateValue(value, forKey: key.string) == nil else { return nil }
        }
        return result
    }
}
