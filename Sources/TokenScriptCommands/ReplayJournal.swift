import Foundation
import TokenScriptDocument
import TokenScriptEngine
import TokenScriptSandbox

/// `tokenscript replay`: re-runs a journal's deterministic transitions in the sandbox and checks every state hash.
public enum ReplayJournal {
    public struct Options: Sendable {
        public var journal: String
        /// The TokenScript whose server extension produced the journal.
        public var script: String
        public var json = false

        public init(journal: String, script: String) {
            self.journal = journal
            self.script = script
        }
    }

    /// The outcome as `--json` prints it.
    struct Report: Encodable {
        struct Divergence: Encodable {
            var step: UInt64
            var attestation: String
            var trigger: String?
            var fields: [String: [String: String]]
        }

        /// `ok`, `nondeterministic` or `error`.
        var status: String
        var instance: String?
        var stepsVerified: Int?
        var finalStateHash: String?
        var definitionChanged: Bool?
        var divergence: Divergence?
        var message: String?
    }

    /// Exit status 0 when every step replays identically, 1 on a divergence, 2 when the inputs are unusable.
    public static func run(_ options: Options, console: Console) async -> Int32 {
        let report = await replay(options)
        if options.json {
            console.out(JSON.encode(report))
        } else if report.status == "ok" {
            console.out(
                "ok: \(report.stepsVerified ?? 0) steps of \(report.instance ?? "?") replayed, every state hash reproduced; final \(report.finalStateHash ?? "?")")
            if report.definitionChanged == true {
                console.out("note: the TokenScript's extension changed since the journal was written, yet every step still reproduces")
            }
        } else if let divergence = report.divergence {
            console.err("non-determinism at step \(divergence.step) (attestation \(divergence.attestation), trigger \(divergence.trigger ?? "none")):")
            for path in divergence.fields.keys.sorted() {
                let field = divergence.fields[path]!
                console.err("  \(path): journaled \(field["journaled"] ?? "?"), replayed \(field["replayed"] ?? "?")")
            }
        } else {
            console.err("error: \(report.message ?? "replay failed")")
        }
        switch report.status {
        case "ok": return 0
        case "nondeterministic": return 1
        default: return 2
        }
    }

    static func replay(_ options: Options) async -> Report {
        func failure(_ message: String) -> Report { Report(status: "error", message: message) }
        let journal: Journal
        let journalText: String
        do { journalText = try InputFile.text(options.journal) } catch { return failure(error.description) }
        do {
            journal = try Journal(jsonLines: journalText)
        } catch {
            return failure("\(options.journal): \(error)")
        }
        let definition: TokenDefinition
        do {
            let loaded = try TokenScriptReader.read(file: options.script)
            if loaded.hasErrors {
                return failure(loaded.errors.map(\.description).joined(separator: "\n"))
            }
            definition = try TokenDefinition(tokenScript: loaded.tokenScript)
        } catch let error as TokenScriptReadError {
            return failure(error.description)
        } catch {
            return failure("\(options.script): \(error)")
        }
        let pool: SandboxPool
        do {
            pool = try SandboxPool(configuration: .init(size: 1))
        } catch {
            return failure("cannot start a sandbox worker: \(error)")
        }
        defer { pool.shutdown() }
        do {
            let result = try await Replay.run(journal, definition: definition, pool: pool)
            return Report(
                status: "ok", instance: result.instanceID, stepsVerified: result.stepsVerified,
                finalStateHash: result.finalStateHash,
                definitionChanged: result.journaledDefinitionID != result.replayedDefinitionID)
        } catch let error as NonDeterminismError {
            var fields: [String: [String: String]] = [:]
            for (path, difference) in error.differingFields {
                fields[path] = ["journaled": difference.journaled, "replayed": difference.replayed]
            }
            return Report(
                status: "nondeterministic", instance: journal.instanceID,
                divergence: .init(step: error.sequence, attestation: error.attestationID, trigger: error.trigger, fields: fields))
        } catch {
            return failure("\(error)")
        }
    }
}
