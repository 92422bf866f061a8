/// Something that runs a script: execute a program with its input, limits and mode, and get a result.
///
/// The engine depends on this protocol, never on a concrete runtime, so it stays pure Swift and a node
/// chooses where Lua runs. `SandboxPool` (TokenScriptSandbox) runs every execution in a seccomp-confined
/// worker process; another runtime must keep the same contract: deterministic mode gives the same result
/// for the same execution on every machine, and a failing script is a result (`status`), never a throw.
public protocol ScriptRuntime: Sendable {
    /// Runs one execution to its end: its value, or why there is none (error, budget, crash).
    func run(_ execution: SandboxExecution) async -> SandboxResult
}
