/// One request to the sandbox: a script, its input and budgets, the mode, and its capabilities.
public struct SandboxExecution: Sendable {
    public var source: String
    public var input: SandboxValue
    public var limits: SandboxLimits
    public var mode: SandboxMode
    public var hostFunctions: [HostFunction]

    public init(
        source: String, input: SandboxValue = .null, limits: SandboxLimits = .init(),
        mode: SandboxMode = .nondeterministic, hostFunctions: [HostFunction] = [.log, .input]
    ) {
        self.source = source
        self.input = input
        self.limits = limits
        self.mode = mode
        self.hostFunctions = hostFunctions
    }
}
