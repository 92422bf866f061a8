import TokenScriptEthereum
import TokenScriptModel

/// Computes one attribute: its origin, then `ts:mapping`, then syntax coercion (the pipeline of
/// `attribute-processing.md` that iOS implements), wrapping any failure with the attribute and origin.
struct OriginEvaluation: Sendable {
    let evaluator: AttributeEvaluator
    let context: EvaluationContext
    let run: EvaluationRun
    let key: AttributeKey

    var script: TokenScript { evaluator.tokenScript }

    func evaluate() async -> Result<EvaluatedAttribute, EvaluationError> {
        guard let definition = evaluator.graph.index.definition(of: key) else {
            return .failure(
                EvaluationError(
                    attribute: key.description, origin: "ts:attribute ref", reason: .unknownReference(key.name)))
        }
        let label = Self.label(of: definition.origin)
        func fail(_ reason: EvaluationError.Reason) -> Result<EvaluatedAttribute, EvaluationError> {
            .failure(EvaluationError(attribute: key.description, origin: label, reason: reason))
        }
        if let cycle = evaluator.graph.cycle(through: key) { return fail(.cycle(cycle.map(\.description))) }
        guard let origin = definition.origin else { return fail(.noOrigin) }
        var inputs = ChainInputs()
        do throws(EvaluationError.Reason) {
            var value = try await originValue(origin, inputs: &inputs)
            if let mapping = origin.mapping {
                // No option for the key: show the key itself, rather than iOS's empty default or Android's nothing.
                value = .string(MappingLookup.text(for: value, in: mapping, languages: context.languages) ?? value.text)
            }
            value = try SyntaxCoercion.coerce(value, to: definition.syntax)
            return .success(EvaluatedAttribute(value: value, provenance: inputs.provenance(origin: origin.kind)))
        } catch {
            return fail(error)
        }
    }

    /// The origin's raw output, before mapping and syntax.
    private func originValue(_ origin: AttributeOrigin, inputs: inout ChainInputs) async throws(EvaluationError.Reason)
        -> AttributeValue
    {
        switch origin {
        case .call(let call):
            return try await callValue(call, inputs: &inputs)
        case .event(let event):
            return try await eventValue(event, inputs: &inputs)
        case .storage:
            throw .unsupportedOrigin("ethereum:storage (no runtime implements it)")
        case .tokenID(let tokenID):
            guard let id = context.tokenID else { throw .noTokenID }
            return try TokenIDConversion.value(of: id, origin: tokenID)
        case .userEntry(let entry):
            guard let text = context.userEntries[key.name] else { throw .missingUserEntry(key.name) }
            return try UserEntryConversion.value(of: text, origin: entry)
        case .literal(let argument):
            return try await argumentValue(argument, inputs: &inputs)
        case .path(let path):
            let root = try await referenceValue(path.attribute, local: false, inputs: &inputs)
            return try ValuePath.value(at: path, in: root)
        case .attributeReference(let name):
            return try await referenceValue(name, local: false, inputs: &inputs)
        }
    }

    /// A `ts:data` child's value: its text read as its element's type, or what its `ref`/`local-ref` names.
    func argumentValue(_ argument: DataArgument, inputs: inout ChainInputs) async throws(EvaluationError.Reason)
        -> AttributeValue
    {
        switch argument.source {
        case .reference(let name): return try await referenceValue(name, local: false, inputs: &inputs)
        case .localReference(let name): return try await referenceValue(name, local: true, inputs: &inputs)
        case .literal(let text):
            guard let type = try? ABIType(parsing: argument.type) else { return .string(text) }
            return ABIValueBridge.attributeValue(try ABIValueBridge.abiValue(.string(text), as: type))
        }
    }

    /// The value a name stands for from this attribute's scope.
    func referenceValue(_ name: String, local: Bool, inputs: inout ChainInputs) async throws(EvaluationError.Reason)
        -> AttributeValue
    {
        switch ReferenceResolver.resolve(name, local: local, from: key.scope, in: evaluator.graph.index) {
        case .special(let special):
            return try SpecialValues(evaluator: evaluator, context: context).value(of: special)
        case .attribute(let dependency):
            switch await run.outcome(of: dependency) {
            case .success(let evaluated):
                inputs.record(evaluated.provenance)
                return evaluated.value
            case .failure:
                throw .dependency(dependency.description)
            }
        case .userInput(let input):
            guard let text = context.userEntries[input] else { throw .missingUserEntry(input) }
            return .string(text)
        case .unknown(let unknown):
            throw .unknownReference(unknown)
        }
    }

    /// How errors name an origin: its kind and what it reads.
    static func label(of origin: AttributeOrigin?) -> String {
        switch origin {
        case .call(let call)?: "ethereum:call \(call.function)"
        case .event(let event)?: "ethereum:event \(event.type)"
        case .path(let path)?: "ts:data ref \(path)"
        case .attributeReference(let name)?: "ts:attribute ref \(name)"
        case let origin?: origin.kind
        case nil: "no origin"
        }
    }
}
