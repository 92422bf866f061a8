/// A cluster implementation broke a rule of its protocol: which protocol, at which step, with which values.
public struct ConformanceFailure: Error, CustomStringConvertible {
    /// The protocol whose rule was broken, e.g. `AttestationLog`.
    public var protocolName: String
    /// What the check was doing, e.g. `re-append of attestation a-1`.
    public var step: String
    /// What was expected and what came back.
    public var details: String

    public var description: String { "\(protocolName) does not conform: \(step): \(details)" }
}
