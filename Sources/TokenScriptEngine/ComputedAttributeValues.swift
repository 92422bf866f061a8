import TokenScriptModel
import TokenScriptRuntime

/// The `sl:computed` attributes of an instance, evaluated as transitions, effect requests and interfaces see
/// them (`AttributeViewPrelude`): for scenarios and dry runs, which show and check them beside the stored ones.
public enum ComputedAttributeValues {
    /// Each computed attribute's value by name (an attribute whose Lua returns nil is absent), or the
    /// failure of the first that did not complete, as `InterfaceQuery` reports an interface's.
    public static func run(
        instance: TokenInstance, definition: TokenDefinition, runtime: any ScriptRuntime,
        limits: SandboxLimits = .init()
    ) async throws(InterfaceQuery.Failure) -> [String: SandboxValue] {
        let server = definition.server
        guard !server.computed.isEmpty else { return [:] }
        let program =
            AttributeViewPrelude.text + "\n" + """
                local result = {}
                for _, computed in ipairs(request.computed) do result[computed[1]] = view[computed[1]] end
                return result
                """
        let input: SandboxValue = .object([
            "computed": .array(
                server.computed.map {
                    .array([.string($0.name), .string($0.lua.chunk(binding: ComputedAttribute.parameters))])
                }),
            "state": .string(instance.state),
            "attributes": .object(instance.attributes),
        ])
        let result = await runtime.run(
            SandboxExecution(
                source: program, input: input, limits: limits, mode: .nondeterministic, hostFunctions: [.input]))
        guard result.status == .ok else {
            // Positions in the message become document lines, as an interface's do.
            let message = server.locatingLua(in: result.message ?? "").text(file: nil)
            throw InterfaceQuery.Failure(.computedDidNotComplete(status: result.status, message: message))
        }
        guard case .object(let members)? = result.value, let named = members.textKeyed else { return [:] }
        return named
    }
}
