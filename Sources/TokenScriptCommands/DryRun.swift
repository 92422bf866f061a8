import ArgumentParser
import Foundation
import TokenScriptAttestation
import TokenScriptDocument
import TokenScriptEgress
import TokenScriptEngine
import TokenScriptJSON
import TokenScriptModel
import TokenScriptRuntime
import TokenScriptSandbox
import TokenScriptSimulation

/// `tokenscript dry-run FILE --attestations FILE.jsonl [--responses FILE] [--json]`: what a TokenScript's
/// server logic would do with some attestations, on a throwaway instance, with no request ever sent.
///
/// Attestations are read as wire JSON, one per line, and verified against the script's own `sl:trust`
/// (so they must be signed by its issuers). Effects run on the live effect path with scripted answers
/// (`DryRunSimulation` in TokenScriptSimulation); this file reads the inputs and prints. Responses come from
/// `--responses` (`{"<effect>": [responses]}` in the scenario notation, or a scenario file, whose top-level and
/// per-step `responses` are taken in order); without one, or when it runs out, every attempt gets 200 with no body.
package enum DryRun {
    /// The flags of `tokenscript dry-run`, declared once: the command parses them, tests parse real command lines.
    package struct Options: ParsableArguments, Sendable {
        @Argument(help: "The TokenScript with its sl:server extension.")
        package var script: String

        @Option(
            help:
                "The attestations: wire JSON, one per line (.jsonl); optional with --advance, or --initial and --query."
        )
        package var attestations: String?

        @Option(help: "Scripted effect responses (JSON).")
        package var responses: String?

        /// `ts:env` overrides as given, `NAME=VALUE`; read through `environment`.
        @Option(name: .customLong("env"), help: "Override a ts:env value: NAME=VALUE (repeatable).")
        package var environmentPairs: [String] = []

        /// The receiving node's clock for every attestation; default each attestation's `issuedAt`.
        @Option(help: "The receiving node's clock (Unix seconds) for every attestation; default each one's issuedAt.")
        package var now: UInt64?

        /// `sl:interface` names to call on the final instance, as an integrator would.
        @Option(
            name: .customLong("query"),
            help: "Call this sl:interface on the final instance, as an integrator would (repeatable).")
        package var queries: [String] = []

        /// Where the instance starts: `{"state": …, "attributes": {…}}`, as a scenario's `initial`.
        @Option(help: "Start from this instance: a JSON file {\"state\": …, \"attributes\": {…}}.")
        package var initial: String?

        /// Arguments of the `--query` calls, `NAME=VALUE`; read through `DryRun.queryArguments`.
        @Option(
            name: .customLong("arg"),
            help: "An argument of the --query calls: NAME=VALUE, VALUE read as JSON when it parses, else as text.")
        package var argumentPairs: [String] = []

        /// Clock points after the attestations; read through `DryRun.clockAdvances`.
        @Option(
            help: """
                Advance the node's clock after the attestations: an ISO-8601 duration (PT6H), or a comma-separated \
                list of Unix times and durations; schedules due on the way fire, signed by the node.
                """)
        package var advance: String?

        /// The hosting node's key file (`tokenscript keys new --scheme ed25519`); default a fresh key.
        @Option(help: "The hosting node's ed25519 key file (from keys new); default a fresh key per run.")
        package var nodeKey: String?

        /// Where to write the run's journal (a new file), for `tokenscript replay`.
        @Option(help: "Write the run's journal to this new file (for tokenscript replay).")
        package var journal: String?

        @Flag(help: "Print one JSON object.")
        package var json = false

        /// Show what transitions wrote with `print` (always in `--json`).
        @Flag(name: .shortAndLong, help: "Also print what each transition wrote with print.")
        package var verbose = false

        /// Where effects may send requests (`--allow-egress`, `--allow-http`); refusals are shown, not sent.
        @OptionGroup package var egress: EgressOptions

        package init() {}

        /// The throwaway instance's id.
        package var instance: String { "dry-run" }

        /// `ts:env` overrides, NAME → value (a later `--env` for the same name wins).
        package var environment: [String: String] {
            var environment: [String: String] = [:]
            for pair in environmentPairs {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                environment[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            return environment
        }

        package func validate() throws {
            if let pair = environmentPairs.first(where: { !$0.contains("=") }) {
                throw ValidationError("--env expects NAME=VALUE, not \(pair)")
            }
        }
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// Exit status 0 after a dry run in which every step, query and computed attribute succeeded, 1 when a
    /// transition or a query failed (an attestation refused by the trust rules is an outcome, not a failure),
    /// 2 when an input is unusable.
    package static func run(_ options: Options, console: Console) async -> Int32 {
        let report: SandboxValue
        let run: DryRunSimulation.Result
        let node: String
        do {
            (run, node) = try await simulate(options)
        } catch let failure as CommandFailure {
            return console.report(failure, json: options.json)
        } catch {
            return console.report(CommandFailure("\(error)"), json: options.json)
        }
        let (deliveries, cost, final, answers) = (run.deliveries, run.cost, run.final, run.answers)
        let status: CommandStatus = hasFailure(run) ? .failed : .success
        if options.json {
            report = .object([
                "script": .string(options.script),
                "instance": .string(final.id),
                "steps": .array(
                    deliveries.map { line, delivery in
                        guard case .object(var members) = delivery.value else { return .null }
                        members["line"] = line.map { .int(Int64($0)) } ?? .null
                        members.removeValue(forKey: "requests")
                        if let failure = StepFailureReport(delivery, file: options.script) {
                            members["failure"] = failure.value
                        }
                        members["log"] = .array(delivery.log.map(SandboxValue.string))
                        return .object(members)
                    }),
                "requests": .array(
                    deliveries.flatMap { _, delivery in
                        delivery.calls.map { call in
                            guard case .object(var members) = call.request.value else { return SandboxValue.null }
                            members["step"] = .int(Int64(delivery.sequence))
                            members["attempts"] = .array(call.attempts.map(\.value))
                            members["outcomes"] = .array(call.outcomes.map { .string($0.type) })
                            if let refusal = call.refusal { members["refused"] = .string(refusal) }
                            return .object(members)
                        }
                    }),
                "sent": .int(0),
                "cost": cost.value,
                "final": finalValue(run),
                "queries": .object(
                    Dictionary(
                        answers.map { query, answer in
                            switch answer {
                            case .success(let value): (JSONKey(query.name), value)
                            case .failure(let failure):
                                (JSONKey(query.name), .object(["error": .string(failure.description)]))
                            }
                        }, uniquingKeysWith: { first, _ in first })),
                "node": .string(node),
                "clock": .int(Int64(clamping: run.clock)),
                "journal": options.journal.map(SandboxValue.string) ?? .null,
            ])
            console.out(JSONOutput.result(report, status: status))
        } else {
            printHuman(options: options, deliveries: deliveries, cost: cost, final: final, console: console)
            printFinal(run, options: options, node: node, console: console)
        }
        return status.rawValue
    }

    static func simulate(_ options: Options) async throws -> (DryRunSimulation.Result, node: String) {
        let tokenScript: TokenScript
        do {
            let loaded = try TokenScriptReader.read(file: options.script)
            if loaded.hasErrors { throw Problem(description: loaded.errors.map(\.description).joined(separator: "\n")) }
            tokenScript = loaded.tokenScript
        } catch let error as TokenScriptReadError {
            throw Problem(description: error.description)
        }
        guard tokenScript.server != nil else {
            throw Problem(description: "\(options.script): the TokenScript has no sl:server extension")
        }
        var setup = DryRunSimulation.Setup(nodeSeed: try nodeSeed(options.nodeKey))
        let arguments = try queryArguments(options.argumentPairs, queries: options.queries)
        setup.queries = options.queries.map { DryRunSimulation.Query(name: $0, args: arguments) }
        setup.advance = try clockAdvances(options.advance)
        setup.initial = try initialInstance(options.initial)
        if let path = options.initial { setup.initialSource = "--initial \(path)" }
        guard options.attestations != nil || !setup.advance.isEmpty || (setup.initial != nil && !setup.queries.isEmpty)
        else {
            throw Problem(
                description: "nothing to do: give --attestations, --advance, or --initial with --query")
        }
        let attestations = try options.attestations.map(readAttestations) ?? []
        if let path = options.responses { setup.responses = try readResponses(path) }
        setup.environmentOverrides = options.environment
        setup.instanceID = options.instance
        setup.now = options.now
        // The clock starts at the first attestation's time (so a run is reproducible), and without
        // attestations or --now at the system's time, as a node's would.
        setup.start = attestations.first?.1.issuedAt ?? UInt64(max(Date().timeIntervalSince1970, 0))
        setup.egress = try options.egress.policy()
        if let path = options.journal, FileManager.default.fileExists(atPath: path) {
            throw Problem(description: "--journal \(path): already exists (not overwritten)")
        }

        let pool: SandboxPool
        do {
            pool = try SandboxPool(configuration: .init(size: 1))
        } catch {
            throw Problem(description: "cannot start a sandbox worker: \(error)")
        }
        defer { pool.shutdown() }
        let result: DryRunSimulation.Result
        do {
            result = try await DryRunSimulation.run(
                tokenScript, attestations: attestations.map { (line: $0.0, attestation: $0.1) }, setup: setup,
                runtime: pool)
        } catch let failure as DryRunSimulation.Failure {
            throw Problem(description: failure.isInputProblem ? failure.description : "\(options.script): \(failure)")
        } catch let failure as Simulation.Failure {
            throw Problem(description: "\(options.script): \(failure.description)")
        }
        if let path = options.journal { try await writeJournal(result.journal, to: path) }
        return (result, result.journal.signerKeyHex ?? "")
    }

    /// Wire JSON, one attestation per line; blank lines skipped; a problem names the line and the field.
    static func readAttestations(_ path: String) throws -> [(Int, Attestation)] {
        let text: String
        do { text = try InputFile.text(path) } catch { throw Problem(description: error.description) }
        var result: [(Int, Attestation)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            do {
                result.append((index + 1, try Attestation(json: trimmed)))
            } catch {
                throw Problem(description: "\(path):\(index + 1): \(error.description)")
            }
        }
        return result
    }

    /// `{"<effect>": [responses]}`, or a scenario file (its top-level and per-step `responses`, in order).
    static func readResponses(_ path: String) throws -> ResponseScript {
        let text: String
        do { text = try InputFile.text(path) } catch { throw Problem(description: error.description) }
        let value: SandboxValue
        do {
            value = try SandboxValue.parseJSON(text)
        } catch {
            throw Problem(description: "\(path): not valid JSON: \(error)")
        }
        do {
            return try ResponseScript(responsesFile: value, path: path)
        } catch {
            throw Problem(description: error.description)
        }
    }

    static func printHuman(
        options: Options, deliveries: [(line: Int?, delivery: SimulatedDelivery)], cost: SimulationCost,
        final: TokenInstance,
        console: Console
    ) {
        let inputs = deliveries.filter { $0.line != nil }.count
        console.out(
            "Dry run of \((options.script as NSString).lastPathComponent) on instance \(final.id): \(inputs) "
                + "attestation(s)\(options.attestations.map { " from " + ($0 as NSString).lastPathComponent } ?? ""); "
                + "no request is sent."
        )
        console.out("")
        var rows: [[String]] = [["#", "line", "attestation", "issuer", "trigger / outcome", "state"]]
        for (line, delivery) in deliveries {
            let attestation = delivery.attestation
            let what: String
            switch delivery.disposition {
            case .applied(let trigger): what = trigger
            case .unmatched: what = "no trigger"
            case .failed(let trigger, _):
                let message = StepFailureReport(delivery, file: options.script)?.message ?? ""
                what = "\(trigger) FAILED: \(message)"
            case .ignored(let rejection): what = "ignored: \(rejection.reason.code)"
            case .rejected(let rejection): what = "rejected: \(rejection.reason.code) (\(rejection.message))"
            }
            rows.append([
                String(delivery.sequence), line.map(String.init) ?? "-",
                "\(attestation.topic) \(attestation.type) [\(attestation.id)]",
                delivery.issuerName ?? "untrusted", what,
                delivery.fromState == delivery.toState
                    ? delivery.toState : "\(delivery.fromState) -> \(delivery.toState)",
            ])
        }
        for line in table(rows) { console.out(line) }
        let failures = deliveries.compactMap { StepFailureReport($0.delivery, file: options.script) }
        if !failures.isEmpty {
            console.out("")
            console.out("Failed transitions (\(failures.count)):")
            for failure in failures { console.out("  \(failure.text)") }
        }
        if options.verbose {
            for line in deliveries.flatMap({ PrintedLine.lines(of: $0.delivery) }) { console.out("  \(line.rendered)") }
        }

        let calls = deliveries.flatMap { _, delivery in delivery.calls.map { (delivery.sequence, $0) } }
        console.out("")
        console.out("Requests that would be sent (\(calls.count); none is sent in a dry run):")
        if calls.isEmpty { console.out("  none") }
        for (number, (sequence, call)) in calls.enumerated() {
            let request = call.request
            let line = TerminalText.singleLine
            console.out(
                "  \(number + 1). step \(sequence), effect \(line(request.effect)): "
                    + "\(line(request.method)) \(line(request.url))"
            )
            if let refusal = call.refusal { console.out("       REFUSED by the egress policy: \(line(refusal))") }
            for name in request.headers.keys.sorted() {
                console.out("       \(line(name)): \(line(request.headers[name]!))")
            }
            console.out("       body: \(line(request.body ?? "(none)"))")
            let attempts = call.attempts.map { attempt in
                let wait = attempt.waitMilliseconds > 0 ? " after \(Double(attempt.waitMilliseconds) / 1000) s" : ""
                let note = attempt.scripted || call.refusal != nil ? "" : " (default)"
                return "#\(attempt.number) \(attempt.route)\(wait) -> \(attempt.response)\(note)"
            }
            console.out("       attempts: \(attempts.joined(separator: "; "))")
            console.out("       outcomes: \(call.outcomes.map(\.type).joined(separator: ", "))")
        }
        for (_, delivery) in deliveries {
            for problem in delivery.requestErrorLocations {
                console.out("  step \(delivery.sequence): not built: \(problem.text(file: options.script))")
            }
        }
        console.out("")
        console.out(
            "Cost: \(cost.reads) reads (\(cost.verifications) attestation "
                + "verifications, \(cost.sandboxExecutions) sandbox executions), "
                + "\(cost.writes) writes (\(cost.journalEntries) journal entries, \(cost.stateChanges) state changes, "
                + "\(cost.outcomeAttestations) outcome attestations); \(cost.requests) HTTP attempts (not sent)")
        console.out("Final state: \(final.state) (\(final.stateHash))")
    }

    /// Left-aligned columns separated by two spaces, with a rule under the header.
    static func table(_ rows: [[String]]) -> [String] {
        // Cells hold untrusted values (attestation ids, topics, Lua messages): one line each.
        let rows = rows.map { $0.map(TerminalText.singleLine) }
        guard let header = rows.first else { return [] }
        var widths = header.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        func render(_ row: [String]) -> String {
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var lines = [render(header), render(widths.map { String(repeating: "-", count: $0) })]
        lines += rows.dropFirst().map(render)
        return lines
    }
}
