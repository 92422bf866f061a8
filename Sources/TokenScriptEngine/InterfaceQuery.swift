import TokenScriptModel
import TokenScriptRuntime

/// Runs an `sl:interface`: the read-only query an integrator calls (`flightStatus` for a car-rental site).
///
/// The interface sees the instance's state, its stored and computed attributes, and the caller's
/// arguments, and returns a value; it changes nothing, so it runs in the sandbox's faster
/// non-deterministic mode (a query's answer is not replicated or replayed).
public enum InterfaceQuery {
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public enum Reason: Sendable, Hashable {
            /// No `sl:interface` of that name; `known` lists those there are.
            case unknownInterface(name: String, known: [String])
            /// The interface's Lua did not complete (error, limit, crash).
            case didNotComplete(name: String, status: SandboxResult.Status, message: String)
            /// The `sl:computed` attributes' Lua did not complete (`ComputedAttributeValues`).
            case computedDidNotComplete(status: SandboxResult.Status, message: String)
        }

        public var reason: Reason

        public init(_ reason: Reason) { self.reason = reason }

        public var description: String {
            switch reason {
            case .unknownInterface(let name, let known):
                "no sl:interface named \(name) (interfaces: \(known.isEmpty ? "none" : known.joined(separator: ", ")))"
            case .didNotComplete(let name, let status, let message): "interface \(name): \(status.rawValue): \(message)"
            case .computedDidNotComplete(let status, let message): "computed attributes: \(status.rawValue): \(message)"
            }
        }
    }

    static let prelude =
        AttributeViewPrelude.text + "\n" + """
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
            throw Failure(.unknownInterface(name: name, known: server.interfaces.map(\.name)))
        }
        let input: SandboxValue = .object([
            "name": .string(name),
            "query": .string(interface.lua.chunk(binding: ServerInterface.parameters)),
            "computed": .array(
                server.computed.map {
                    .array([.string($0.name), .string($0.lua.chunk(binding: ComputedAttribute.parameters))])
                }),
            "state": .string(instance.state),
            "attributes": .object(instance.attributes),
            "args": args,
        ])
        let result = await runtime.run(
            SandboxExecution(
                source: prelude, input: input, limits: limits, mode: .nondeterministic, hostFunctions: [.input]))
        guard result.status == .ok else {
            // Not journaled: the message can carry document lines (`interface q (document line 233): …`).
            let message = server.locatingLua(in: result.message ?? "").text(file: nil)
            throw Failure(.didNotComplete(name: name, status: result.status, message: message))
        }
        return result.value ?? .null
    }
}
