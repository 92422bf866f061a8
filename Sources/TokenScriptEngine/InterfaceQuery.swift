import TokenScriptModel
import TokenScriptRuntime

/// Runs an `sl:interface`: the read-only query an integrator calls (`flightStatus` for a car-rental site).
///
/// The interface sees the instance's state, its stored and computed attributes, and the caller's
/// arguments, and returns a value; it changes nothing, so it runs in the sandbox's faster
/// non-deterministic mode (a query's answer is not replicated or replayed).
public enum InterfaceQuery {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    static let prelude = AttributeViewPrelude.text + "\n" + """
        local body, problem = load(request.query, "=interface " .. request.name, "t")
        if not body then error(problem, 0) end
        return body(request.state, view, request.args)
        """

    /// The interface's answer for `instance`, or why there is none (unknown name, a Lua error, a limit).
    public static func run(
        _ name: String, args: SandboxValue = .object([:]), instance: TokenInstance, definition: TokenDefinition,
        runtime: any ScriptRuntime, limits: SandboxLimits = .init()
    ) async throws(Failure) -> SandboxValue {
        let server = definition.server
        guard let interface = server.interfaces.first(where: { $0.name == name }) else {
            let known = server.interfaces.map(\.name).joined(separator: ", ")
            throw Failure(description: "no sl:interface named \(name) (interfaces: \(known.isEmpty ? "none" : known))")
        }
        let input: SandboxValue = .object([
            "name": .string(name),
            "query": .string(interface.lua.chunk(binding: ServerInterface.parameters)),
            "computed": .array(
                server.computed.map { .array([.string($0.name), .string($0.lua.chunk(binding: ComputedAttribute.parameters))]) }),
            "state": .string(instance.state),
            "attributes": .object(instance.attributes),
            "args": args,
        ])
        let result = await runtime.run(
            SandboxExecution(source: prelude, input: input, limits: limits, mode: .nondeterministic, hostFunctions: [.input]))
        guard result.status == .ok else {
            throw Failure(description: "interface \(name): \(result.status.rawValue): \(result.message ?? "")")
        }
        return result.value ?? .null
    }
}
