import TokenScriptDocument
import TokenScriptEngine
import TokenScriptExecutor
import TokenScriptSandbox

extension ReplayJournal {
    /// The result of the first journal (the only one of a single-journal run).
    static func replay(_ options: Options) async -> Report {
        await reports(options).first ?? Report(status: "error", message: "no journal given")
    }

    /// One report per journal, in the order given: each is read and verified on its own, then every usable
    /// one is replayed in one run of the production engine (`Replayer`) on one sandbox pool.
    static func reports(_ options: Options) async -> [Report] {
        func failure(_ message: String) -> Report { Report(status: "error", message: message) }
        func named(_ report: Report, _ path: String) -> Report {
            var report = report
            report.journal = path
            return report
        }
        guard !options.journals.isEmpty else { return [failure("no journal given")] }
        var trustedKey: [UInt8]?
        do {
            trustedKey = try options.journalKey.map(journalKey)
        } catch {
            return options.journals.map { named(failure("\(error)"), $0) }
        }
        var reports: [Report?] = []
        var journals: [(index: Int, journal: Journal)] = []
        for path in options.journals {
            switch read(path, trustedKey: trustedKey) {
            case .success(let journal):
                journals.append((reports.count, journal))
                reports.append(nil)
            case .failure(let failure):
                reports.append(named(failure.report, path))
            }
        }
        if !journals.isEmpty {
            let results = await replay(
                journals.map(\.journal), script: options.script, trustedKey: trustedKey, nodeKey: options.nodeKey,
                simulatedAnchor: options.simulatedAnchor, initial: options.initial)
            for ((index, _), report) in zip(journals, results) {
                reports[index] = named(report, options.journals[index])
            }
        }
        return reports.map { $0 ?? failure("not replayed") }
    }

    /// The journal at `path`, verified (and tied to `trustedKey` when given), or the report of why not.
    static func read(_ path: String, trustedKey: [UInt8]?) -> Result<Journal, ReportFailure> {
        let bytes: [UInt8]
        do { bytes = try InputFile.bytes(path) } catch {
            return .failure(ReportFailure(Report(status: "error", message: error.description)))
        }
        do {
            let journal = try Journal(bytes: bytes)
            if let trustedKey { try journal.verifySigner(trustedKey) }
            return .success(journal)
        } catch {
            // A torn last line is reported with the altered ones: the file is not what was written, and
            // the report says how many steps before it verified.
            if error.kind != .unreadable {
                return .failure(
                    ReportFailure(
                        Report(
                            status: "tampered",
                            tamper: .init(
                                kind: error.kind.rawValue, line: error.line, step: error.step, field: error.field,
                                reason: error.reason, verifiedSteps: error.verifiedSteps))))
            }
            return .failure(ReportFailure(Report(status: "error", message: "\(path): \(error)")))
        }
    }

    /// Replays `journals` against `script`: one report each.
    static func replay(
        _ journals: [Journal], script: String, trustedKey: [UInt8]?, nodeKey: String? = nil,
        simulatedAnchor: Bool = false, initial: String? = nil
    ) async -> [Report] {
        func failure(_ message: String) -> [Report] { journals.map { _ in Report(status: "error", message: message) } }
        let definition: TokenDefinition
        let environment: [String: String]
        do {
            let loaded = try TokenScriptReader.read(file: script)
            if loaded.hasErrors {
                return failure(loaded.errors.map(\.description).joined(separator: "\n"))
            }
            definition = try nodeTrustingDefinition(
                loaded.tokenScript, nodeKey: nodeKey, simulatedAnchor: simulatedAnchor)
            environment = loaded.tokenScript.environment()
        } catch let error as TokenScriptReadError {
            return failure(error.description)
        } catch let error as ReplayInputError {
            return failure(error.description)
        } catch {
            return failure("\(script): \(error)")
        }
        let pool: SandboxPool
        do {
            pool = try SandboxPool(configuration: .init(size: 1))
        } catch {
            return failure("cannot start a sandbox worker: \(error)")
        }
        defer { pool.shutdown() }
        // The node's own delivery path (EffectCoordinator.receive), with an executor that refuses to execute.
        var replayer = ReplayThroughCoordinator.replayer(
            definition: definition, runtime: pool, environment: environment)
        if let initial {
            do { replayer.initialInstance = try startingInstance(initial, definition: definition) } catch {
                return failure("\(error)")
            }
        }
        let results = await replayer.replay(journals)
        return zip(journals, results).map { journal, result in report(result, of: journal, trustedKey: trustedKey) }
    }

    /// The report of one replay result.
    static func report(_ result: ReplayResult, of journal: Journal, trustedKey: [UInt8]?) -> Report {
        let signer = journal.signerKeyHex
        let trust = journal.signerKey == nil ? "unsigned" : trustedKey == nil ? "unverified" : "verified"
        switch result {
        case .replayed(let result):
            return Report(
                status: "ok", instance: result.instanceID, stepsVerified: result.stepsVerified,
                finalStateHash: result.finalStateHash,
                definitionChanged: result.journaledDefinitionID != result.replayedDefinitionID, trust: trust,
                signer: signer,
                headHash: journal.headHash)
        case .diverged(let error):
            var fields: [String: [String: String]] = [:]
            for (path, difference) in error.differingFields {
                fields[path] = ["journaled": difference.journaled, "replayed": difference.replayed]
            }
            return Report(
                status: "nondeterministic", instance: journal.instanceID, trust: trust, signer: signer,
                headHash: journal.headHash,
                divergence: .init(
                    step: error.sequence, attestation: error.attestationID, trigger: error.trigger, fields: fields))
        case .unusable(let error):
            return Report(status: "error", message: error.description)
        }
    }

    /// A report that ends a journal's check before replay, as an `Error` so it fits a `Result`.
    struct ReportFailure: Error {
        var report: Report
        init(_ report: Report) { self.report = report }
    }
}
