import Foundation
import TokenScriptDocument
import TokenScriptEngine
import TokenScriptSandbox

/// `tokenscript replay`: verifies a journal's chain and signature, re-runs its deterministic transitions in
/// the sandbox and checks every step's outcome, snapshot and state hash.
package enum ReplayJournal {
    package struct Options: Sendable {
        package var journal: String
        /// The TokenScript whose server extension produced the journal.
        package var script: String
        package var json = false
        /// The node's Ed25519 public key (64 hex digits, or a file holding them). When given, the journal
        /// must be signed by it; when not, signatures are checked only against the key the journal names.
        package var journalKey: String?

        package init(journal: String, script: String) {
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
    }

    /// Exit status 0 when every step replays identically, 1 on a divergence, 2 when the inputs are unusable,
    /// 3 when the journal is not what its writer wrote (chain, snapshot or signature broken).
    package static func run(_ options: Options, console: Console) async -> Int32 {
        let report = await replay(options)
        if options.json {
            console.out(JSON.encode(report))
        } else if report.status == "ok" {
            console.out(
                "ok: \(report.stepsVerified ?? 0) steps of \(report.instance ?? "?") replayed, every snapshot and state hash reproduced; final \(report.finalStateHash ?? "?")")
            switch report.trust {
            case "verified": console.out("signed by \(report.signer ?? "?") (the given journal key) on every line")
            case "unverified":
                console.out(
                    "warning: signed by \(report.signer ?? "?"), which was not checked against a trusted key (give --journal-key); the chain only shows the file is consistent")
            default:
                console.out("warning: unsigned journal: the chain shows the file is consistent, not who wrote it")
            }
            console.out("chain head \(report.headHash ?? "?") (compare with the writer's to rule out lines cut from the end)")
            if report.definitionChanged == true {
                console.out("note: the TokenScript's extension changed since the journal was written, yet every step still reproduces")
            }
        } else if let tamper = report.tamper {
            var location = "\(options.journal):\(tamper.line):"
            if let step = tamper.step { location += " step \(step)" }
            if !tamper.field.isEmpty { location += " field \(printable(tamper.field))" }
            console.err("\(tamper.kind): \(location): \(printable(tamper.reason))")
            console.err("  the journal verifies up to step \(tamper.verifiedSteps); nothing after that point can be trusted")
        } else if let divergence = report.divergence {
            console.err(
                "non-determinism at step \(divergence.step) (attestation \(printable(divergence.attestation)), trigger \(printable(divergence.trigger ?? "none"))):")
            for path in divergence.fields.keys.sorted() {
                let field = divergence.fields[path]!
                console.err("  \(printable(path)): journaled \(printable(field["journaled"] ?? "?")), replayed \(printable(field["replayed"] ?? "?"))")
            }
            if report.trust != "verified" {
                console.err("note: the journal's signer was not verified (give --journal-key): the divergence may also be an edit re-sealed into the chain")
            }
        } else {
            console.err("error: \(report.message ?? "replay failed")")
        }
        switch report.status {
        case "ok": return 0
        case "nondeterministic": return 1
        case "tampered": return 3
        default: return 2
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
                guard let byte = UInt8(String(decoding: hex[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(byte)
            }
            return bytes
        }
        if let key = parse(argument) { return key }
        let data: [UInt8]
        do { data = try InputFile.bytes(argument) } catch {
            throw ReplayInputError("--journal-key: neither 64 hex digits nor a readable file: \(error.description)")
        }
        guard let key = parse(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ReplayInputError("--journal-key \(argument): expected an Ed25519 public key as 64 hex digits")
        }
        return key
    }

    static func replay(_ options: Options) async -> Report {
        func failure(_ message: String) -> Report { Report(status: "error", message: message) }
        func tampered(_ error: JournalReadError) -> Report {
            Report(
                status: "tampered",
                tamper: .init(kind: error.kind.rawValue, line: error.line, step: error.step, field: error.field, reason: error.reason, verifiedSteps: error.verifiedSteps))
        }
        var trustedKey: [UInt8]?
        do {
            trustedKey = try options.journalKey.map(journalKey)
        } catch {
            return failure("\(error)")
        }
        let bytes: [UInt8]
        do { bytes = try InputFile.bytes(options.journal) } catch { return failure(error.description) }
        let journal: Journal
        do {
            journal = try Journal(bytes: bytes)
            if let trustedKey { try journal.verifySigner(trustedKey) }
        } catch {
            // A torn last line is reported with the altered ones: the file is not what was written, and
            // the report says how many steps before it verified.
            if error.kind != .unreadable { return tampered(error) }
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
        let signer = journal.signerKeyHex
        let trust = journal.signerKey == nil ? "unsigned" : trustedKey == nil ? "unverified" : "verified"
        do {
            let result = try await Replay.run(journal, definition: definition, pool: pool)
            return Report(
                status: "ok", instance: result.instanceID, stepsVerified: result.stepsVerified,
                finalStateHash: result.finalStateHash,
                definitionChanged: result.journaledDefinitionID != result.replayedDefinitionID, trust: trust, signer: signer,
                headHash: journal.headHash)
        } catch let error as NonDeterminismError {
            var fields: [String: [String: String]] = [:]
            for (path, difference) in error.differingFields {
                fields[path] = ["journaled": difference.journaled, "replayed": difference.replayed]
            }
            return Report(
                status: "nondeterministic", instance: journal.instanceID, trust: trust, signer: signer, headHash: journal.headHash,
                divergence: .init(step: error.sequence, attestation: error.attestationID, trigger: error.trigger, fields: fields))
        } catch {
            return failure("\(error)")
        }
    }
}

/// A command-line input `replay` cannot use.
struct ReplayInputError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
