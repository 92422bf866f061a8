import Crypto
import Foundation
import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptRuntime
import TokenScriptSandbox

extension EngineBenchmark {
    // MARK: - Running

    func run() async throws -> EngineReport {
        defer {
            pool.shutdown()
            if removeJournalDirectory { try? FileManager.default.removeItem(at: journalDirectory) }
        }
        engineProgress("definition \(definition.id), worker \(workerPath), pool of \(options.poolSize), journals in \(journalDirectory.path)")

        // Everything signed up front.
        let signStart = clock.now
        let ticks = try (1...options.steps).map { try tick($0, instance: Self.singleInstanceID) }
        let maxPerInstance = options.perInstance.max() ?? 0
        let manyTicks = try (0..<options.instances).map { index in
            try (1...max(maxPerInstance, 1)).map { try tick($0, instance: "instance-\(index)") }
        }
        let signed = ticks.count + options.instances * max(maxPerInstance, 1)
        let signSeconds = (clock.now - signStart).seconds
        engineProgress("signed \(signed) attestations in \(ms(signSeconds)) (\(format(signSeconds / Double(signed) * 1e6, 1)) µs each)")
        let bare = try bareExecutions(ticks)
        let manyBare = try bareExecutions(manyTicks.map { $0[0] })
        let prepared = ticks.map { (signature: $0.signature, bytes: $0.signingBytes) }

        // Single-instance sides: seconds per step, pooled over rounds, and the time of each run.
        typealias StepSide = (id: String, measure: () async throws -> StepRun)
        var stepSides: [StepSide] = [
            ("apply", { try await applyRun(ticks) }),
            ("journal-memory", { try await journaledRun(ticks, sink: .memory, file: "memory.jsonl") }),
        ]
        if options.signedJournal {
            stepSides.append(
                ("journal-memory-signed", { try await journaledRun(ticks, sink: .memorySigned, file: "signed.jsonl") }))
        }
        if options.fileStore {
            stepSides.append(("journal-file", { try await journaledRun(ticks, sink: .file, file: "file.jsonl") }))
        }
        stepSides.append(("sandbox-bare", { try await bareRun(bare) }))

        typealias ManySide = (id: String, perInstance: Int, measure: () async throws -> Double)
        var manySides: [ManySide] = options.perInstance.map { k in
            ("many-\(k)", k, { try await manyRun(manyTicks.map { Array($0.prefix(k)) }, width: options.width) })
        }
        if options.instances > 0 {
            manySides.append(("many-sandbox-bare", 1, { try await manyBareRun(manyBare, width: options.width) }))
        }

        engineProgress("warming up (every side once; the many-instances sides with \(min(options.instances, 500)) instances) ...")
        var expectedHash: String?
        // The unsigned journals of every store must be the same bytes (the file store writes what memory holds).
        var expectedJournal: String?
        func checkJournal(_ run: StepRun, side: String) throws {
            guard let digest = run.journalDigest else { return }
            if expectedJournal == nil { expectedJournal = digest }
            guard digest == expectedJournal else {
                throw BenchmarkError("\(side) wrote journal \(digest), another store \(expectedJournal!)")
            }
        }
        for side in stepSides {
            let run = try await side.measure()
            if side.id != "sandbox-bare" {
                if expectedHash == nil { expectedHash = run.finalStateHash }
                guard run.finalStateHash == expectedHash, run.finalCount == Int64(options.steps) else {
                    throw BenchmarkError("\(side.id) ended in state \(run.finalStateHash) (count \(run.finalCount)), apply in \(expectedHash!)")
                }
                try checkJournal(run, side: side.id)
            }
        }
        for k in options.perInstance {
            _ = try await manyRun(manyTicks.prefix(min(options.instances, 500)).map { Array($0.prefix(k)) }, width: options.width)
        }
        _ = try verifyRun(ticks, count: min(options.verifications, 500))
        _ = try ed25519Run(prepared, count: min(options.verifications, 500))

        var stepSamples: [String: [Double]] = [:]
        var stepTotals: [String: [Double]] = [:]
        var manyTotals: [String: [Double]] = [:]
        var verifySamples: [Double] = []
        var ed25519Samples: [Double] = []
        let sideCount = stepSides.count + manySides.count + 2
        for round in 0..<options.rounds {
            let roundStart = clock.now
            for slot in 0..<sideCount {
                let index = (slot + round) % sideCount
                if index < stepSides.count {
                    let side = stepSides[index]
                    let run = try await side.measure()
                    if side.id != "sandbox-bare" {
                        guard run.finalStateHash == expectedHash, run.finalCount == Int64(options.steps) else {
                            throw BenchmarkError("\(side.id) ended in state \(run.finalStateHash) in round \(round + 1), not \(expectedHash!)")
                        }
                        try checkJournal(run, side: side.id)
                    }
                    stepSamples[side.id, default: []] += run.samples
                    stepTotals[side.id, default: []].append(run.total)
                } else if index < stepSides.count + manySides.count {
                    let side = manySides[index - stepSides.count]
                    manyTotals[side.id, default: []].append(try await side.measure())
                } else if index == stepSides.count + manySides.count {
                    verifySamples += try verifyRun(ticks, count: options.verifications)
                } else {
                    ed25519Samples += try ed25519Run(prepared, count: options.verifications)
                }
            }
            engineProgress("round \(round + 1)/\(options.rounds): \(ms((clock.now - roundStart).seconds))")
        }

        let labels: [String: String] = [
            "apply": "(a) `TokenStateMachine.apply`, no journal",
            "journal-memory": "(b) `JournaledInstance.deliver`, `InMemoryJournalStore`",
            "journal-memory-signed": "(b) + every journal line signed (`JournalSigner`)",
            "journal-file": "(c) `JournaledInstance.deliver`, `FileJournalStore`",
            "sandbox-bare": "(e) `SandboxPool.run` of the same Lua, no engine",
        ]
        let steps = stepSides.map { side in
            StepSideResult(
                id: side.id, label: labels[side.id] ?? side.id, stepsPerRound: options.steps,
                perStep: StepStatistics(seconds: stepSamples[side.id]!),
                attestationsPerSecond: stepTotals[side.id]!.map { Double(options.steps) / $0 })
        }
        let many = manySides.map { side in
            let total = side.id == "many-sandbox-bare" ? options.instances : options.instances * side.perInstance
            return ManySideResult(
                id: side.id,
                label: side.id == "many-sandbox-bare"
                    ? "(e) `SandboxPool.run` of one tick per instance, no engine"
                    : "(d) `JournaledInstance.deliver`, \(side.perInstance) per instance",
                instances: options.instances, perInstance: side.perInstance, width: options.width,
                attestationsPerSecond: manyTotals[side.id]!.map { Double(total) / $0 }, seconds: manyTotals[side.id]!)
        }
        return EngineReport(
            machine: EvalMachine.current(), definitionID: definition.id, tokenScript: options.tokenScript,
            rounds: options.rounds, poolSize: options.poolSize, width: options.width, finalStateHash: expectedHash ?? "",
            signedAttestations: signed, signingMicroseconds: signSeconds / Double(signed) * 1e6,
            steps: steps, many: many,
            verify: StepStatistics(seconds: verifySamples), ed25519: StepStatistics(seconds: ed25519Samples))
    }
}
