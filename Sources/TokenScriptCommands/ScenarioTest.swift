import ArgumentParser
import Foundation
import TokenScriptArithmetic
import TokenScriptDocument
import TokenScriptEgress
import TokenScriptEngine
import TokenScriptModel
import TokenScriptRuntime
import TokenScriptSandbox
import TokenScriptSimulation

/// `tokenscript test [DIR]`: runs every `*.scenario.json` under DIR and compares each run with its golden
/// snapshot `<name>.golden.json` (format: `TokenScripts/flight-ticket.tests/README.md`).
package enum ScenarioTest {
    package static let scenarioSuffix = ".scenario.json"
    package static let goldenSuffix = ".golden.json"

    /// The flags of `tokenscript test`, declared once: the command parses them, tests parse real command lines.
    package struct Options: ParsableArguments, Sendable {
        @Argument(help: "A directory of scenarios (searched recursively), or one .scenario.json file.")
        package var directory: String = "."

        /// Re-record the golden snapshots instead of comparing.
        @Flag(help: "Re-record the golden snapshots from the current runs.")
        package var update = false

        /// Run again on every change (`watch`) instead of once (`run`).
        @Flag(help: "Re-run whenever a file changes (polls every 0.5 s) until interrupted.")
        package var watch = false

        @Flag(help: "Print one JSON summary.")
        package var json = false

        /// Show what transitions wrote with `print` (always in `--json`).
        @Flag(name: .shortAndLong, help: "Also print what each transition wrote with print.")
        package var verbose = false

        /// Print only problems in text: failing scenarios with their failures and diffs.
        @Flag(name: .shortAndLong, help: "Print only failing scenarios: no PASS lines, no summary.")
        package var quiet = false

        /// Where simulated effects may send requests (`--allow-egress`, `--allow-http`).
        @OptionGroup package var egress: EgressOptions

        package init() {}
    }

    /// One scenario's verdict as `--json` prints it.
    struct Outcome: Encodable {
        var name: String
        var file: String
        /// `passed`, `failed`, `recorded` or `error`.
        var status: String
        var failures: [String] = []
        var diff: String?
        var message: String?
        /// Requests the egress policy refused: `step 2: effect rebookHotel: <reason>`.
        var refusals: [String] = []
        /// Transitions that failed, with the Lua error at its document line.
        var stepFailures: [StepFailureReport] = []
        /// What transitions wrote with `print`, in order.
        var log: [PrintedLine] = []
        /// The document's issuers whose keys the run replaced by test keys (so their signatures were not checked
        /// against the document's keys).
        var substitutedIssuers: [String] = []
    }

    struct Summary: Encodable {
        var passed: Int
        var failed: Int
        var recorded: Int
        var scenarios: [Outcome]
    }

    /// Exit status 0 when every scenario passes (or was recorded), 1 when one failed, 2 when there is nothing
    /// to run (no scenario found, a bad flag) or no sandbox worker can start.
    package static func run(_ options: Options, console: Console) async -> Int32 {
        let files = scenarioFiles(in: options.directory)
        guard !files.isEmpty else {
            return console.report(
                CommandFailure("no *\(scenarioSuffix) files", file: options.directory), json: options.json)
        }
        let egress: EgressPolicy
        do { egress = try options.egress.policy() } catch {
            return console.report(CommandFailure("\(error)"), json: options.json)
        }
        let pool: SandboxPool
        do {
            pool = try SandboxPool(configuration: .init(size: 1))
        } catch {
            return console.report(CommandFailure("cannot start a sandbox worker: \(error)"), json: options.json)
        }
        defer { pool.shutdown() }
        var outcomes: [Outcome] = []
        var scripts: [String: Result<TokenScript, ScenarioRunner.Failure>] = [:]
        for file in files {
            let outcome = await runOne(
                file, update: options.update, egress: egress, pool: pool, scripts: &scripts)
            outcomes.append(outcome)
            if !options.json && !(options.quiet && outcome.status != "failed" && outcome.status != "error") {
                report(outcome, verbose: options.verbose, console: console)
            }
        }
        let summary = Summary(
            passed: outcomes.filter { $0.status == "passed" }.count,
            failed: outcomes.filter { $0.status == "failed" || $0.status == "error" }.count,
            recorded: outcomes.filter { $0.status == "recorded" }.count, scenarios: outcomes)
        let status: CommandStatus = summary.failed == 0 ? .success : .failed
        if options.json {
            console.out(JSONOutput.result(summary, status: status))
        } else if !options.quiet {
            var line = "\(summary.passed) passed, \(summary.failed) failed"
            if summary.recorded > 0 { line += ", \(summary.recorded) recorded" }
            console.out(line)
        }
        return status.rawValue
    }

    static func report(_ outcome: Outcome, verbose: Bool = false, console: Console) {
        switch outcome.status {
        case "passed": console.out("PASS \(outcome.name)")
        case "recorded": console.out("RECORDED \(outcome.name) -> \(golden(for: outcome.file))")
        case "error": console.out("ERROR \(outcome.name): \(outcome.message ?? "")")
        default:
            console.out("FAIL \(outcome.name)")
            if let message = outcome.message { console.out("  \(message)") }
            for failure in outcome.stepFailures { console.out("  \(failure.text)") }
            for failure in outcome.failures { console.out("  \(failure)") }
            if let diff = outcome.diff {
                for line in diff.split(separator: "\n", omittingEmptySubsequences: false) { console.out("  \(line)") }
            }
        }
        for refusal in outcome.refusals { console.out("  REFUSED \(refusal)") }
        if !outcome.substitutedIssuers.isEmpty {
            console.out(
                "  test keys stood in for the document's keys of: \(outcome.substitutedIssuers.joined(separator: ", "))"
            )
        }
        if verbose { for line in outcome.log { console.out("  \(line.rendered)") } }
    }

    static func runOne(
        _ file: String, update: Bool, egress: EgressPolicy = .default, pool: SandboxPool,
        scripts: inout [String: Result<TokenScript, ScenarioRunner.Failure>]
    ) async -> Outcome {
        let name = String((file as NSString).lastPathComponent.dropLast(scenarioSuffix.count))
        var outcome = Outcome(name: name, file: file, status: "error")
        let scenario: Scenario
        let text: String
        do { text = try InputFile.text(file) } catch {
            outcome.message = error.description
            return outcome
        }
        do {
            scenario = try Scenario(json: text, name: name)
        } catch {
            outcome.message = "\(file): \(error)"
            return outcome
        }
        let scriptPath = URL(
            fileURLWithPath: scenario.script, relativeTo: URL(fileURLWithPath: file).deletingLastPathComponent()
        )
        .standardizedFileURL.path
        let loaded: Result<TokenScript, ScenarioRunner.Failure>
        if let cached = scripts[scriptPath] {
            loaded = cached
        } else {
            loaded = loadScript(scriptPath)
            scripts[scriptPath] = loaded
        }
        let result: ScenarioResult
        do {
            result = try await ScenarioRunner.run(
                scenario, tokenScript: try loaded.get(), runtime: pool, egress: egress)
        } catch {
            outcome.message = error.description
            return outcome
        }
        outcome.substitutedIssuers = result.substitutedIssuers
        let document = DocumentPath.display(scriptPath)
        for (index, deliveries) in result.steps.enumerated() {
            for delivery in deliveries {
                if let failure = StepFailureReport(delivery, step: index + 1, file: document) {
                    outcome.stepFailures.append(failure)
                }
                outcome.log += PrintedLine.lines(of: delivery, step: index + 1)
            }
            for call in deliveries.flatMap(\.calls) {
                if let refusal = call.refusal {
                    outcome.refusals.append("step \(index + 1): effect \(call.request.effect): \(refusal)")
                }
            }
        }
        let goldenPath = golden(for: file)
        let actual = result.snapshotText
        if update {
            // A failed step is recorded only when its scenario step says so (`"expect": {"outcome": "failed"}`).
            let unexpected = outcome.stepFailures.filter { failure in
                failure.step.map { scenario.steps[$0 - 1].expect?.outcome != "failed" } ?? true
            }
            if !unexpected.isEmpty {
                let steps = Set(unexpected.compactMap(\.step)).sorted().map(String.init).joined(separator: ", ")
                outcome.status = "failed"
                outcome.failures = result.expectationFailures
                let goldenName = (goldenPath as NSString).lastPathComponent
                outcome.message =
                    "not recorded: a transition failed in step \(steps) and the scenario does not expect it; fix it, "
                    + "or add \"expect\": {\"outcome\": \"failed\"} to that step (\(goldenName) is unchanged)"
                return outcome
            }
            do {
                try actual.write(toFile: goldenPath, atomically: true, encoding: .utf8)
            } catch {
                outcome.message = "cannot write \(goldenPath): \(error)"
                return outcome
            }
            outcome.failures = result.expectationFailures
            outcome.status = result.expectationFailures.isEmpty ? "recorded" : "failed"
            return outcome
        }
        outcome.failures = result.expectationFailures
        if let expected = try? InputFile.text(goldenPath) {
            if expected != actual {
                outcome.diff = LineDiff.render(expected: expected, actual: actual)
                outcome.failures.append(
                    "the run differs from \((goldenPath as NSString).lastPathComponent) (re-record with --update):")
            }
        } else {
            outcome.failures.append(
                "no golden snapshot \((goldenPath as NSString).lastPathComponent): record one with --update")
        }
        outcome.status = outcome.failures.isEmpty ? "passed" : "failed"
        return outcome
    }

    static func loadScript(_ path: String) -> Result<TokenScript, ScenarioRunner.Failure> {
        do {
            let loaded = try TokenScriptReader.read(file: path)
            if loaded.hasErrors {
                return .failure(.init(description: loaded.errors.map(\.description).joined(separator: "\n")))
            }
            return .success(loaded.tokenScript)
        } catch {
            return .failure(.init(description: error.description))
        }
    }

    /// `<dir>/<name>.golden.json` beside `<dir>/<name>.scenario.json`.
    static func golden(for file: String) -> String { String(file.dropLast(scenarioSuffix.count)) + goldenSuffix }

    /// Every `*.scenario.json` under `directory` (or the file itself), sorted; hidden entries skipped.
    static func scenarioFiles(in directory: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return directory.hasSuffix(scenarioSuffix) ? [directory] : [] }
        var found: [String] = []
        let root = URL(fileURLWithPath: directory)
        let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
        while let url = enumerator?.nextObject() as? URL {
            guard url.lastPathComponent.hasSuffix(scenarioSuffix) else { continue }
            let relative = url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count).drop {
                $0 == "/"
            }
            found.append((directory as NSString).appendingPathComponent(String(relative)))
        }
        return found.sorted()
    }

    /// `--watch`: runs, then re-runs whenever a file under the directory (or a TokenScript a scenario uses)
    /// changes, polling modification times every `interval` seconds; `iterations` bounds the polls (nil: until
    /// interrupted).
    package static func watch(
        _ options: Options, console: Console, interval: Double = 0.5, iterations: Int? = nil
    ) async -> Int32 {
        var watcher = ScenarioWatcher(directory: options.directory)
        var status = await run(options, console: console)
        var count = 0
        while iterations.map({ count < $0 }) ?? true {
            count += 1
            try? await Task.sleep(nanoseconds: SaturatingTime.nanoseconds(seconds: interval))
            if Task.isCancelled { break }
            if watcher.poll() {
                console.out("--- change detected, re-running")
                status = await run(options, console: console)
            }
        }
        return status
    }
}

/// Polls modification times of the files `tokenscript test --watch` depends on: everything under the
/// directory and the TokenScripts its scenarios name.
package struct ScenarioWatcher: Sendable {
    package let directory: String
    private var stamps: [String: Date]

    package init(directory: String) {
        self.directory = directory
        self.stamps = [:]
        self.stamps = snapshot()
    }

    /// One polling iteration: true when a file was added, removed or modified since the last poll.
    package mutating func poll() -> Bool {
        let now = snapshot()
        defer { stamps = now }
        return now != stamps
    }

    func snapshot() -> [String: Date] {
        var paths: [String] = []
        let root = URL(fileURLWithPath: directory)
        let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
        // Golden snapshots are left out: `--watch --update` rewrites them on every run.
        while let url = enumerator?.nextObject() as? URL {
            if !url.lastPathComponent.hasSuffix(ScenarioTest.goldenSuffix) { paths.append(url.path) }
        }
        for file in ScenarioTest.scenarioFiles(in: directory) {
            guard let text = try? InputFile.text(file),
                let scenario = try? Scenario(json: text, name: "")
            else { continue }
            paths.append(
                URL(
                    fileURLWithPath: scenario.script, relativeTo: URL(fileURLWithPath: file).deletingLastPathComponent()
                )
                .standardizedFileURL.path)
        }
        var stamps: [String: Date] = [:]
        for path in paths {
            if let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date {
                stamps[path] = date
            }
        }
        return stamps
    }
}
