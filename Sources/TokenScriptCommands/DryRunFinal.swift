import Foundation
import TokenScriptEngine
import TokenScriptRuntime
import TokenScriptSimulation

/// The end of a dry run as `tokenscript dry-run` shows it: the final instance with its stored and computed
/// attributes, the interface answers, the hosting node's key and where the journal went.
extension DryRun {
    /// Whether a transition or a query failed (exit status 1, `"status": "failed"`).
    static func hasFailure(_ run: DryRunSimulation.Result) -> Bool {
        let failedStep = run.deliveries.contains { _, delivery in
            if case .failed = delivery.disposition { true } else { false }
        }
        let failedQuery = run.answers.contains { _, answer in
            if case .failure = answer { true } else { false }
        }
        let failedComputed = if case .failure = run.computed { true } else { false }
        return failedStep || failedQuery || failedComputed
    }

    /// `final` of the JSON report: state, state hash, stored attributes and computed ones (or their error).
    static func finalValue(_ run: DryRunSimulation.Result) -> SandboxValue {
        let computed: SandboxValue
        switch run.computed {
        case .success(let values): computed = .object(values)
        case .failure(let failure): computed = .object(["error": .string(failure.description)])
        }
        return .object([
            "state": .string(run.final.state), "stateHash": .string(run.final.stateHash),
            "attributes": .object(run.final.attributes), "computed": computed,
        ])
    }

    /// The text after the cost line: attributes, answers, the node's key and the journal.
    static func printFinal(_ run: DryRunSimulation.Result, options: Options, node: String, console: Console) {
        let line = TerminalText.singleLine
        console.out("Final attributes:")
        if run.final.attributes.isEmpty { console.out("  none") }
        for name in run.final.attributes.keys.sorted() {
            console.out("  \(line(name)) = \(line(run.final.attributes[name]!.jsonText))")
        }
        switch run.computed {
        case .success(let values):
            for name in values.keys.sorted() {
                console.out("  \(line(name)) = \(line(values[name]!.jsonText))  (computed)")
            }
        case .failure(let failure): console.out("  computed attributes: error: \(line(failure.description))")
        }
        for (query, answer) in run.answers {
            let call = query.args == .object([:]) ? query.name : "\(query.name) \(query.args.jsonText)"
            switch answer {
            case .success(let value): console.out("Query \(line(call)): \(line(value.jsonText))")
            case .failure(let failure): console.out("Query \(line(call)): error: \(line(failure.description))")
            }
        }
        if let path = options.journal {
            console.out(
                "Journal: \(line(path)) (\(run.journal.sealedEntries.count) entries, signed by the node); check it with"
            )
            console.out(
                "  tokenscript replay \(line(path)) --script \(line(options.script)) --node-key "
                    + (options.nodeKey.map(line) ?? node) + " --journal-key \(node) --simulated-anchor"
                    + (options.initial.map { " --initial " + line($0) } ?? ""))
        }
    }
}
