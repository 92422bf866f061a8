import TokenScriptEngine
import TokenScriptJSON
import TokenScriptRuntime

extension Scenario {
    /// `expect.queries`: `{"<interface>": {"args": {…}, "answer": <json>}}`, read strictly. `answer` is
    /// required (it may be `null`); `args` is an object, default `{}`.
    static func queryExpectations(
        _ queries: [String: SandboxValue], path: String
    ) throws(Invalid) -> [String: QueryExpectation] {
        var result: [String: QueryExpectation] = [:]
        for name in queries.keys.sorted() {
            let field = "\(path).\(name)"
            var fields = try Fields(queries[name]!, path: field)
            guard fields.members["answer"] != nil else { throw Invalid(description: "\(field).answer: missing") }
            let answer = fields.members["answer"]!
            fields.taken.insert("answer")
            let args = try fields.optional("args") ?? .object([:])
            guard args.objectMembers != nil else { throw Invalid(description: "\(field).args: expected an object") }
            try fields.finish()
            result[name] = QueryExpectation(args: args, answer: answer)
        }
        return result
    }
}

extension ScenarioRunner {
    /// What an expectation reads beyond the instance: the computed attributes it names and the interfaces
    /// it calls. Both run in the sandbox, so they are asked for only when the expectation needs them.
    struct Observed {
        var computed: [String: SandboxValue] = [:]
        /// Why computed attributes could not be evaluated, when that failed.
        var computedFailure: String?
        var answers: [String: Result<SandboxValue, InterfaceQuery.Failure>] = [:]
    }

    static func observe(
        _ expect: Scenario.Expectation, instance: TokenInstance, definition: TokenDefinition,
        runtime: any ScriptRuntime
    ) async -> Observed {
        var observed = Observed()
        let computedNames = Set(definition.server.computed.map(\.name))
        if let attributes = expect.attributes, attributes.keys.contains(where: computedNames.contains) {
            do {
                observed.computed = try await ComputedAttributeValues.run(
                    instance: instance, definition: definition, runtime: runtime)
            } catch {
                observed.computedFailure = error.description
            }
        }
        for (name, query) in expect.queries ?? [:] {
            do {
                observed.answers[name] = .success(
                    try await InterfaceQuery.run(
                        name, args: query.args, instance: instance, definition: definition, runtime: runtime))
            } catch {
                observed.answers[name] = .failure(error)
            }
        }
        return observed
    }

    /// The interface answers that differ from the expected ones, as readable lines.
    static func queryFailures(_ expect: Scenario.Expectation, observed: Observed, label: String) -> [String] {
        var failures: [String] = []
        for name in (expect.queries ?? [:]).keys.sorted() {
            let expected = expect.queries![name]!.answer
            switch observed.answers[name] {
            case .success(let answer)? where answer == expected: break
            case .success(let answer)?:
                failures.append("\(label): queries.\(name): expected \(expected.jsonText), got \(answer.jsonText)")
            case .failure(let failure)?:
                failures.append("\(label): queries.\(name): expected \(expected.jsonText), got error: \(failure)")
            case nil: failures.append("\(label): queries.\(name): not called")
            }
        }
        return failures
    }
}
