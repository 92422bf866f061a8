import ArgumentParser
import Foundation
import TokenScriptDocument
import TokenScriptEngine

/// `tokenscript replay`: verifies journals' chains and signatures, re-runs their deterministic transitions
/// through the production engine (`Replayer`) and checks every step's outcome, snapshot and state hash.
package enum ReplayJournal {
    /// The flags of `tokenscript replay`, declared once: the command parses them, tests parse real command lines.
    package struct Options: ParsableArguments, Sendable {
        /// The journals to check, all written by `script`'s extension; one result each.
        @Argument(help: "The journals (JSON Lines, as the engine writes them).")
        package var journals: [String]

        /// The TokenScript whose server extension produced the journals.
        @Option(help: "The TokenScript (with its sl:server extension) that produced the journal.")
        package var script: String

        /// The node's Ed25519 public key (64 hex digits, or a file holding them). When given, every journal
        /// must be signed by it; when not, signatures are checked only against the key each journal names.
        @Option(
            help: """
                The writing node's Ed25519 public key (64 hex digits, or a file holding them); the journal must be \
                signed by it.
                """
        )
        package var journalKey: String?

        /// The hosting node's Ed25519 public key (or its key file): trusted for effect outcomes, schedule ticks
        /// and attribute changes, as the node (or `dry-run --node-key`) trusted it.
        @Option(
            help: """
                The hosting node's ed25519 public key (64 hex digits, or its key file from keys new), trusted for \
                the effect outcomes, schedule ticks and attribute changes it signed (as dry-run trusts it).
                """)
        package var nodeKey: String?

        /// The journal came from `dry-run`, whose anchoring node is simulated with a published key.
        @Flag(
            help: """
                The journals were written by dry-run: trust its simulated anchoring node's published key for the \
                anchor's outcomes, as the dry run did.
                """)
        package var simulatedAnchor = false

        /// The instance the journals start from, as `dry-run --initial` took it.
        @Option(help: "The state file the journals' run started from (dry-run --initial).")
        package var initial: String?

        @Flag(help: "Print one JSON object (for several journals, their reports under \"journals\").")
        package var json = false

        package init() {}

        package func validate() throws {
            guard !journals.isEmpty else { throw ValidationError("give at least one journal") }
        }

        /// The first journal (the only one, for a single-journal run); setting it checks that one alone.
        package var journal: String {
            get { journals.first ?? "" }
            set { journals = [newValue] }
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

        struct Tamper: Encodable {
            /// `tampered`, or `incomplete` when only the last line is torn (a crash mid-write, or a cut file).
            var kind: String
            var line: Int
            var step: UInt64?
            var field: String
            var reason: String
            /// Entries before the altered line whose chain (and signature) verified.
            var verifiedSteps: Int
        }

        /// The journal file this result is about.
        var journal: String?
        /// `ok`, `nondeterministic`, `tampered` or `error`.
        var status: String
        var instance: String?
        var stepsVerified: Int?
        var finalStateHash: String?
        var definitionChanged: Bool?
        /// `verified` (signed by the given --journal-key), `unverified` (signed, but no key given) or `unsigned`.
        var trust: String?
        var signer: String?
        /// The last line's chain hash: it commits to the whole journal, so comparing it with the writer's
        /// also catches lines removed from the end, which no chain can show by itself.
        var headHash: String?
        var divergence: Divergence?
        var tamper: Tamper?
        var message: String?

        /// `status` is printed as `outcome`: the top-level `"status"` of every JSON output is the exit status's.
        enum CodingKeys: String, CodingKey {
            case journal, instance, stepsVerified, finalStateHash, definitionChanged, trust, signer, headHash
            case divergence, tamper, message
            case status = "outcome"
        }
    }

    /// Several journals' reports, in the order given, and when some could not be used, the one error
    /// member every `"status": "error"` object has (naming the first such journal).
    struct Reports: Encodable {
        var journals: [Report]
        var error: CommandFailure?
    }

    /// Exit status 0 when every step replays identically, 1 on a divergence or when the journal is not what its
    /// writer wrote (chain, snapshot or signature broken; `outcome` tells them apart), 2 when the inputs are
    /// unusable. With several journals: one result line each (`--json`: `journals`), and the highest status.
    package static func run(_ options: Options, console: Console) async -> Int32 {
        let reports = await reports(options)
        if reports.count == 1, let report = reports.first {
            let status = status(of: report)
            if status == .usage {
                return console.report(CommandFailure(report.message ?? "replay failed"), json: options.json)
            }
            if options.json {
                console.out(JSONOutput.result(report, status: status))
            } else {
                printDetails(report, options: options, console: console)
            }
            return status.rawValue
        }
        let status = reports.map(status).max { $0.rawValue < $1.rawValue } ?? .usage
        let unusable = reports.filter { self.status(of: $0) == .usage }
        if unusable.count == reports.count, Set(unusable.map(\.message)).count == 1 {
            // An input every journal shares (the script, a key, the initial state) is unusable: one error.
            return console.report(CommandFailure(unusable[0].message ?? "replay failed"), json: options.json)
        }
        if options.json {
            let error = unusable.first.map { report in
                CommandFailure(
                    "\(unusable.count) of \(reports.count) journals could not be used: \(report.message ?? "")",
                    file: report.journal)
            }
            console.out(JSONOutput.result(Reports(journals: reports, error: error), status: status))
        } else {
            for report in reports { printLine(report, console: console) }
        }
        return status.rawValue
    }

    static func status(of report: Report) -> CommandStatus {
        switch report.status {
        case "ok": .success
        case "nondeterministic", "tampered": .failed
        default: .usage
        }
    }

    /// One line for one journal of several: `<file>: ok, 20 steps, final <hash>`.
    static func printLine(_ report: Report, console: Console) {
        let file = printable(report.journal ?? "?")
        switch report.status {
        case "ok":
            let steps = report.stepsVerified ?? 0, final = report.finalStateHash ?? "?"
            console.out("\(file): ok: \(steps) steps replayed, final \(final) (\(report.trust ?? "?"))")
        case "nondeterministic":
            let divergence = report.divergence
            let fields = divergence?.fields.keys.sorted().map(printable).joined(separator: ", ") ?? ""
            let trigger = printable(divergence?.trigger ?? "none")
            console.out("\(file): non-determinism at step \(divergence?.step ?? 0) (trigger \(trigger)): \(fields)")
        case "tampered":
            let tamper = report.tamper
            var location = "line \(tamper?.line ?? 0)"
            if let step = tamper?.step { location += " step \(step)" }
            if let field = tamper?.field, !field.isEmpty { location += " field \(printable(field))" }
            console.out("\(file): \(tamper?.kind ?? "tampered"): \(location): \(printable(tamper?.reason ?? ""))")
        default:
            console.err("error: \(file): \(printable(report.message ?? "replay failed"))")
        }
    }

    /// The report of a single journal, as `replay` has always printed it.
    static func printDetails(_ report: Report, options: Options, console: Console) {
        if report.status == "ok" {
            console.out(
                "ok: \(report.stepsVerified ?? 0) steps of \(report.instance ?? "?") replayed, "
                    + "every snapshot and state hash reproduced; final \(report.finalStateHash ?? "?")"
            )
            switch report.trust {
            case "verified": console.out("signed by \(report.signer ?? "?") (the given journal key) on every line")
            case "unverified":
                console.out(
                    "warning: signed by \(report.signer ?? "?"), which was not checked against a "
                        + "trusted key (give --journal-key); the chain only shows the file is consistent"
                )
            default:
                console.out("warning: unsigned journal: the chain shows the file is consistent, not who wrote it")
            }
            console.out(
                "chain head \(report.headHash ?? "?") (compare with the writer's to rule out lines cut from the end)")
            if report.definitionChanged == true {
                console.out(
                    "note: the TokenScript's extension changed since the "
                        + "journal was written, yet every step still reproduces"
                )
            }
        } else if let tamper = report.tamper {
            var location = "\(options.journal):\(tamper.line):"
            if let step = tamper.step { location += " step \(step)" }
            if !tamper.field.isEmpty { location += " field \(printable(tamper.field))" }
            console.err("\(tamper.kind): \(location): \(printable(tamper.reason))")
            console.err(
                "  the journal verifies up to step \(tamper.verifiedSteps); nothing after that point can be trusted")
        } else if let divergence = report.divergence {
            console.err(
                "non-determinism at step \(divergence.step) (attestation "
                    + "\(printable(divergence.attestation)), trigger \(printable(divergence.trigger ?? "none"))):"
            )
            for path in divergence.fields.keys.sorted() {
                let field = divergence.fields[path]!
                console.err(
                    "  \(printable(path)): journaled \(printable(field["journaled"] ?? "?")), "
                        + "replayed \(printable(field["replayed"] ?? "?"))"
                )
            }
            if report.trust != "verified" {
                console.err(
                    "note: the journal's signer was not verified (give --journal-key): "
                        + "the divergence may also be an edit re-sealed into the chain"
                )
            }
        } else {
            console.err("error: \(report.message ?? "replay failed")")
        }
    }

    /// Text from the journal made safe for a terminal: control characters (C0, DEL, C1) shown as `\u{…}`,
    /// so an edited journal cannot move the cursor or retitle the window through the report about it.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value) {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The public key of `--journal-key`: 64 hex digits, or the path of a file holding them.
    static func journalKey(_ argument: String) throws -> [UInt8] {
        func parse(_ text: String) -> [UInt8]? {
            let hex = Array(text.utf8)
            guard hex.count == 64 else { return nil }
            var bytes: [UInt8] = []
            for index in stride(from: 0, to: 64, by: 2) {
                guard let byte = UInt8(String(decoding: hex[index..<index + 2], as: UTF8.self), radix: 16) else {
                    return nil
                }
                bytes.append(byte)
            }
            return bytes
        }
        if let key = parse(argument) { return key }
        let data: [UInt8]
        do { data = try InputFile.bytes(argument) } catch {
            throw ReplayInputError("--journal-key: neither 64 hex digits nor a readable file: \(error.description)")
        }
        guard let key = parse(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            throw ReplayInputError("--journal-key \(argument): expected an Ed25519 public key as 64 hex digits")
        }
        return key
    }
}

/// A command-line input `replay` cannot use.
struct ReplayInputError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
