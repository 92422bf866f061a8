import Foundation
import TokenScriptAttestation
import TokenScriptDocument
import TokenScriptEgress
import TokenScriptEngine
import TokenScriptModel
import TokenScriptSandbox

/// `tokenscript dry-run FILE --attestations FILE.jsonl [--responses FILE] [--json]`: what a TokenScript's
/// server logic would do with some attestations, on a throwaway instance, with no request ever sent.
///
/// Attestations are read as wire JSON, one per line, and verified against the script's own `sl:trust`
/// (so they must be signed by its issuers). Effects are simulated by `EffectSimulation`: an executor key
/// trusted for the effects' outcome topics and a simulated key for the anchoring node (its document key is
/// replaced, so real anchor-signed attestations in the input are refused). Responses come from `--responses`
/// (`{"<effect>": [responses]}` in the scenario notation, or a scenario file, whose top-level and per-step
/// `responses` are taken in order); without one, or when it runs out, every attempt gets 200 with no body.
package enum DryRun {
    package struct Options: Sendable {
        package var script: String
        package var attestations: String
        package var responses: String?
        package var json = false
        /// `ts:env` overrides, NAME → value.
        package var environment: [String: String] = [:]
        package var instance = "dry-run"
        /// The receiving node's clock for every attestation; default each attestation's `issuedAt`.
        package var now: UInt64?
        /// `sl:interface` names to call on the final instance, as an integrator would.
        package var queries: [String] = []
        /// Where effects may send requests (`--allow-egress`, `--allow-http`); refusals are shown, not sent.
        package var egress = EgressPolicy.default

        package init(script: String, attestations: String) {
            self.script = script
            self.attestations = attestations
        }
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// Exit status 0 after a dry run (whatever the attestations came to), 2 when an input is unusable.
    package static func run(_ options: Options, console: Console) async -> Int32 {
        let report: SandboxValue
        let deliveries: [(line: Int?, delivery: SimulatedDelivery)]
        let cost: SimulationCost
        let final: TokenInstance
        let answers: [(name: String, answer: Result<SandboxValue, InterfaceQuery.Failure>)]
        do {
            (deliveries, cost, final, answers) = try await simulate(options)
        } catch {
            if options.json {
                console.out(PrettyJSON.text(.object(["status": .string("error"), "message": .string("\(error)")])))
            } else {
                console.err("error: \(error)")
            }
            return 2
        }
        if options.json {
            report = .object([
                "status": .string("ok"),
                "script": .string(options.script),
                "instance": .string(final.id),
                "steps": .array(deliveries.map { line, delivery in
                    guard case .object(var members) = delivery.value else { return .null }
                    members["line"] = line.map { .int(Int64($0)) } ?? .null
                    members.removeValue(forKey: "requests")
                    return .object(members)
                }),
                "requests": .array(deliveries.flatMap { _, delivery in
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
                "final": .object(["state": .string(final.state), "stateHash": .string(final.stateHash)]),
                "queries": .object(Dictionary(uniqueKeysWithValues: answers.map { name, answer in
                    switch answer {
                    case .success(let value): (name, value)
                    case .failure(let failure): (name, .object(["error": .string(failure.description)]))
                    }
                })),
            ])
            console.out(PrettyJSON.text(report))
        } else {
            printHuman(options: options, deliveries: deliveries, cost: cost, final: final, console: console)
            for (name, answer) in answers {
                switch answer {
                case .success(let value): console.out("Query \(name): \(value.jsonText)")
                case .failure(let failure): console.out("Query \(name): error: \(failure.description)")
                }
            }
        }
        return 0
    }

    static func simulate(
        _ options: Options
    ) async throws -> (
        [(line: Int?, delivery: SimulatedDelivery)], SimulationCost, TokenInstance,
        [(name: String, answer: Result<SandboxValue, InterfaceQuery.Failure>)]
    ) {
        let tokenScript: TokenScript
        do {
            let loaded = try TokenScriptReader.read(file: options.script)
            if loaded.hasErrors { throw Problem(description: loaded.errors.map(\.description).joined(separator: "\n")) }
            tokenScript = loaded.tokenScript
        } catch let error as TokenScriptReadError {
            throw Problem(description: error.description)
        }
        guard let server = tokenScript.server else {
            throw Problem(description: "\(options.script): the TokenScript has no sl:server extension")
        }
        let attestations = try readAttestations(options.attestations)
        var responses = ResponseScript()
        if let path = options.responses { responses = try readResponses(path) }

        let effects = EffectSimulation(egress: options.egress)
        let definition: TokenDefinition
        do {
            definition = try TokenDefinition(name: tokenScript.name ?? "", server: effects.prepare(server))
        } catch {
            throw Problem(description: "\(options.script): \(error.description)")
        }
        var environment: [String: String] = [:]
        for value in tokenScript.meta.environment { environment[value.name] = value.value }
        environment.merge(options.environment) { $1 }

        let pool: SandboxPool
        do {
            pool = try SandboxPool(configuration: .init(size: 1))
        } catch {
            throw Problem(description: "cannot start a sandbox worker: \(error)")
        }
        defer { pool.shutdown() }
        var simulation = Simulation(
            definition: definition, pool: pool, environment: environment, effects: effects, responses: responses,
            instance: definition.newInstance(id: options.instance))
        var result: [(line: Int?, delivery: SimulatedDelivery)] = []
        for (line, attestation) in attestations {
            let deliveries = try await simulation.deliver(attestation, now: options.now ?? attestation.issuedAt)
            for (index, delivery) in deliveries.enumerated() { result.append((index == 0 ? line : nil, delivery)) }
        }
        var answers: [(name: String, answer: Result<SandboxValue, InterfaceQuery.Failure>)] = []
        for name in options.queries {
            do {
                let value = try await InterfaceQuery.run(name, instance: simulation.instance, definition: definition, pool: pool)
                answers.append((name, .success(value)))
            } catch {
                answers.append((name, .failure(error)))
            }
        }
        return (result, simulation.cost, simulation.instance, answers)
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
            guard case .object(let members) = value, members["steps"] != nil || members["script"] != nil else {
                return try ResponseScript(notation: value, path: path)
            }
            var script = ResponseScript()
            if let top = members["responses"] { try script.append(notation: top, path: "\(path): responses") }
            if case .array(let steps)? = members["steps"] {
                for (index, step) in steps.enumerated() {
                    if case .object(let fields) = step, let responses = fields["responses"] {
                        try script.append(notation: responses, path: "\(path): steps[\(index)].responses")
                    }
                }
            }
            return script
        } catch {
            throw Problem(description: error.description)
        }
    }

    static func printHuman(
        options: Options, deliveries: [(line: Int?, delivery: SimulatedDelivery)], cost: SimulationCost, final: TokenInstance,
        console: Console
    ) {
        let inputs = deliveries.filter { $0.delivery.source == "input" }.count
        console.out(
            "Dry run of \((options.script as NSString).lastPathComponent) on instance \(final.id): \(inputs) attestation(s) from \((options.attestations as NSString).lastPathComponent); no request is sent.")
        console.out("")
        var rows: [[String]] = [["#", "line", "attestation", "issuer", "trigger / outcome", "state"]]
        for (line, delivery) in deliveries {
            let attestation = delivery.attestation
            let what: String
            switch delivery.disposition {
            case .applied(let trigger): what = trigger
            case .unmatched: what = "no trigger"
            case .failed(let trigger, let message): what = "\(trigger) FAILED: \(message)"
            case .ignored(let rejection): what = "ignored: \(rejection.reason.code)"
            case .rejected(let rejection): what = "rejected: \(rejection.reason.code) (\(rejection.message))"
            }
            rows.append([
                String(delivery.sequence), line.map(String.init) ?? "-",
                "\(attestation.topic) \(attestation.type) [\(attestation.id)]",
                delivery.issuerName ?? "untrusted", what,
                delivery.fromState == delivery.toState ? delivery.toState : "\(delivery.fromState) -> \(delivery.toState)",
            ])
        }
        for line in table(rows) { console.out(line) }

        let calls = deliveries.flatMap { _, delivery in delivery.calls.map { (delivery.sequence, $0) } }
        console.out("")
        console.out("Requests that would be sent (\(calls.count); none is sent in a dry run):")
        if calls.isEmpty { console.out("  none") }
        for (number, (sequence, call)) in calls.enumerated() {
            let request = call.request
            let line = TerminalText.singleLine
            console.out("  \(number + 1). step \(sequence), effect \(line(request.effect)): \(line(request.method)) \(line(request.url))")
            if let refusal = call.refusal { console.out("       REFUSED by the egress policy: \(line(refusal))") }
            for name in request.headers.keys.sorted() { console.out("       \(line(name)): \(line(request.headers[name]!))") }
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
            for problem in delivery.requestErrors { console.out("  step \(delivery.sequence): not built: \(problem)") }
        }
        console.out("")
        console.out(
            "Cost: \(cost.reads) reads (\(cost.verifications) attestation verifications, \(cost.sandboxExecutions) sandbox executions), "
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
