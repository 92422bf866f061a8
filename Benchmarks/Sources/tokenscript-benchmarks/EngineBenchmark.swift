import Crypto
import Dispatch
import Foundation
import TokenScriptAttestation
import TokenScriptDocument
import TokenScriptEngine
import TokenScriptModel
import TokenScriptSandbox

/// `tokenscript-benchmarks engine`: attestations applied per second by the issue-5 engine, for one token instance
/// and across many (10,000 by default), with and without the journal, side by side with what bounds it: the bare
/// sandbox round trip of the same Lua and the signature check alone.
///
/// The token is `Fixtures/engine/counter.xml` (the engine tests' fixture): every `tick` attestation runs its Lua
/// transition in the sandbox's deterministic mode (fresh `lua_State`, seeded `math.random`, `os.time` = the signed
/// time, canonical `pairs`), plus the computed attribute `average`. The meter's key is replaced by the benchmark's
/// Ed25519 signer, exactly as the tests do. Every attestation is signed before any clock starts.
///
/// Each round runs every side once, in an order that rotates from round to round. Every outcome is checked after the
/// clock stops (applied by `tick`, the counter equal to the steps), and every single-instance side must end in the
/// same state hash, so a side that skipped work or diverged cannot produce a figure.
struct EngineBenchmark {
    struct Options: Sendable {
        var tokenScript: String
        var rounds = 5
        /// Attestations applied in order to one instance, per single-instance side and round.
        var steps = 300
        /// Instances of the many-instances sides.
        var instances = 10_000
        /// Attestations per instance in the many-instances sides (one side each).
        var perInstance = [1, 3]
        /// Instances in flight at once in the many-instances sides (bounded task group).
        var width = 8
        var poolSize = 2
        /// Signature checks per round (cycling over the pre-signed ticks).
        var verifications = 2_000
        /// Where the journal files go (default: a new directory under the system's temporary directory).
        var journalDirectory: String?
        var fsync = true
        var rewrite = true
        var json = false
        var markdownFile: String?
        var jsonFile: String?
    }

    let options: Options
    let definition: TokenDefinition
    let pool: SandboxPool
    let machine: TokenStateMachine
    let meter: Ed25519AttestationSigner
    let workerPath: String
    let clock = ContinuousClock()
    /// Far enough after every `issuedAt` that nothing is "not yet valid"; the ticks carry no expiry.
    let now: UInt64 = 1_800_000_000
    let journalDirectory: URL
    let removeJournalDirectory: Bool

    init(options: Options) throws {
        self.options = options
        let loaded: LoadedTokenScript
        do {
            loaded = try TokenScriptReader.read(file: options.tokenScript)
        } catch {
            throw BenchmarkError("cannot read \(options.tokenScript):\n\(error)")
        }
        guard !loaded.hasErrors else {
            throw BenchmarkError("\(options.tokenScript) has errors:\n" + loaded.errors.map(\.description).joined(separator: "\n"))
        }
        var script = loaded.tokenScript
        guard script.server?.issuers.isEmpty == false else { throw BenchmarkError("\(options.tokenScript) has no sl:issuer") }
        // The tests' meter seed; its public key replaces the invented one in the fixture.
        meter = try Ed25519AttestationSigner(seed: Array(repeating: 0x33, count: 32))
        script.server!.issuers[0].key = meter.issuer.key
        do {
            definition = try TokenDefinition(tokenScript: script)
        } catch {
            throw BenchmarkError("\(options.tokenScript) cannot be run by the engine: \(error)")
        }
        guard let path = SandboxWorkerLocator.locate() else {
            throw BenchmarkError(
                "cannot find \(SandboxWorkerLocator.workerName): set TOKENSCRIPT_LUA_WORKER to the root package's worker "
                    + "(Benchmarks/run-engine-benchmark.sh builds it)")
        }
        workerPath = path
        pool = try SandboxPool(configuration: .init(size: options.poolSize, workerPath: path))
        machine = TokenStateMachine(definition: definition, pool: pool)
        if let directory = options.journalDirectory {
            journalDirectory = URL(fileURLWithPath: directory)
            removeJournalDirectory = false
        } else {
            journalDirectory = FileManager.default.temporaryDirectory
                .appendingPathComponent("tokenscript-engine-bench-\(ProcessInfo.processInfo.processIdentifier)")
            removeJournalDirectory = true
        }
        try FileManager.default.createDirectory(at: journalDirectory, withIntermediateDirectories: true)
    }

    // MARK: - Attestations, signed before any clock starts

    /// Tick `n` of instance `instance`: the tests' tick (amount, an 8-key bag), on its own topic.
    func tick(_ n: Int, instance: String) throws -> Attestation {
        let bag: AttestationValue = .object(
            Dictionary(uniqueKeysWithValues: (0..<8).map { ("k\(($0 * 7 + n) % 13)", .integer(Int64($0))) }))
        return try meter.sign(
            Attestation(
                id: "\(instance)/tick-\(n)", topic: "meter/\(instance)", type: "tick", issuer: meter.issuer,
                issuedAt: 1_790_000_000 + UInt64(n), payload: ["amount": .integer(Int64(n % 17)), "bag": bag]))
    }

    // MARK: - One instance

    struct StepRun: Sendable {
        /// Seconds per attestation, in order.
        var samples: [Double]
        /// Wall time of the whole run (steps plus the loop around them).
        var total: Double
        var finalStateHash: String
        var finalCount: Int64
    }

    static let singleInstanceID = "bench-single"

    /// (a) `TokenStateMachine.apply`, the caller keeping the instance and a `SeenAttestations` history, no journal.
    func applyRun(_ ticks: [Attestation]) async throws -> StepRun {
        var instance = definition.newInstance(id: Self.singleInstanceID)
        var seen = SeenAttestations()
        var samples: [Double] = []
        samples.reserveCapacity(ticks.count)
        var outcomes: [StepOutcome.Disposition] = []
        outcomes.reserveCapacity(ticks.count)
        let start = clock.now
        for attestation in ticks {
            let stepStart = clock.now
            let outcome = try await machine.apply(attestation, to: instance, now: now, history: seen)
            if let verified = outcome.verified { seen.record(verified) }
            instance = outcome.instance
            samples.append((clock.now - stepStart).seconds)
            outcomes.append(outcome.disposition)
        }
        let total = (clock.now - start).seconds
        try checkApplied(outcomes, side: "apply")
        return StepRun(samples: samples, total: total, finalStateHash: instance.stateHash, finalCount: count(of: instance))
    }

    enum JournalSink: Sendable {
        case memory
        case append(fsync: Bool)
        case rewrite
    }

    /// (b), (c) `JournaledInstance.deliver`, the journal in memory, and optionally on disk after every step.
    func journaledRun(_ ticks: [Attestation], sink: JournalSink, file: String) async throws -> StepRun {
        let live = JournaledInstance(machine: machine, instanceID: Self.singleInstanceID)
        let url = journalDirectory.appendingPathComponent(file)
        var handle: FileHandle?
        switch sink {
        case .memory:
            break
        case .append:
            // The header line goes out before the clock starts: it is written once, when the instance is made.
            try Data(((await live.journal.headerLine) + "\n").utf8).write(to: url)
            handle = try FileHandle(forWritingTo: url)
            try handle!.seekToEnd()
        case .rewrite:
            try? FileManager.default.removeItem(at: url)
        }
        var samples: [Double] = []
        samples.reserveCapacity(ticks.count)
        var outcomes: [StepOutcome.Disposition] = []
        outcomes.reserveCapacity(ticks.count)
        let start = clock.now
        for attestation in ticks {
            let stepStart = clock.now
            let outcome = try await live.deliver(attestation, now: now)
            switch sink {
            case .memory:
                break
            case .append(let fsync):
                let entry = await live.journal.entries.last!
                try handle!.write(contentsOf: Data((journalLine(entry) + "\n").utf8))
                if fsync { try handle!.synchronize() }
            case .rewrite:
                try await live.journal.write(to: url)
            }
            samples.append((clock.now - stepStart).seconds)
            outcomes.append(outcome.disposition)
        }
        let total = (clock.now - start).seconds
        try handle?.close()
        let journal = await live.journal
        let instance = await live.instance
        try checkApplied(outcomes, side: "journaled")
        guard journal.entries.count == ticks.count else {
            throw BenchmarkError("the journal has \(journal.entries.count) entries after \(ticks.count) deliveries")
        }
        if case .memory = sink {} else {
            // What is on disk must be the journal, byte for byte.
            let onDisk = try Data(contentsOf: url)
            guard onDisk == Data(journal.jsonLines.utf8) else {
                throw BenchmarkError("\(url.path) differs from Journal.jsonLines after \(ticks.count) steps")
            }
        }
        return StepRun(samples: samples, total: total, finalStateHash: instance.stateHash, finalCount: count(of: instance))
    }

    /// The journal line of one entry, as `Journal.jsonLines` writes it (the engine keeps its line writer internal).
    /// Checked byte for byte against `Journal.jsonLines` after every appending run.
    func journalLine(_ entry: JournalEntry) -> String {
        var members: [String: SandboxValue] = [
            "sequence": .int(Int64(entry.sequence)),
            "receivedAt": .int(Int64(entry.receivedAt)),
            "attestation": .string(entry.attestation.json),
            "outcome": .string(entry.outcome.kind),
            "events": .array(entry.events.map { .object(["type": .string($0.type), "data": $0.data]) }),
            "effects": .array(entry.effects.map { .object(["name": .string($0.name), "input": $0.input]) }),
            "stateHash": .string(entry.stateHash),
            "instance": entry.instance,
        ]
        switch entry.outcome {
        case .applied(let trigger): members["trigger"] = .string(trigger)
        case .unmatched: break
        case .failed(let trigger, let message):
            members["trigger"] = .string(trigger)
            members["message"] = .string(message)
        case .ignored(let code, let message), .rejected(let code, let message):
            members["reason"] = .string(code)
            members["message"] = .string(message)
        }
        return SandboxValue.object(members).jsonText
    }

    // MARK: - What bounds it

    /// The engine's own transition prelude: the bare sandbox side runs exactly the Lua the engine runs for a tick.
    static let prelude = TransitionProgram.prelude

    /// (e) The sandbox executions the engine would ask for, built beforehand (the initial attributes, tick `n`'s
    /// event, the same seed derivation's shape and the signed time), so only `SandboxPool.run` is timed.
    func bareExecutions(_ ticks: [Attestation]) throws -> [SandboxExecution] {
        guard let trigger = definition.server.triggers.first(where: { $0.name == "tick" }), case .lua(let source) = trigger.transition
        else { throw BenchmarkError("\(options.tokenScript) has no Lua trigger named tick") }
        let computed: SandboxValue = .array(
            definition.server.computed.map { .array([.string($0.name), .string($0.lua.chunk(binding: ComputedAttribute.parameters))]) })
        let instance = definition.newInstance(id: Self.singleInstanceID)
        return ticks.enumerated().map { index, attestation in
            let event: SandboxValue = .object([
                "topic": .string(attestation.topic), "type": .string(attestation.type), "issuer": .string("meter"),
                "time": .int(Int64(attestation.issuedAt)), "data": sandboxValue(attestation.payload),
            ])
            let input: SandboxValue = .object([
                "trigger": .string(trigger.name), "transition": .string(source.chunk(binding: Transition.parameters)),
                "computed": computed, "state": .string(instance.state), "event": event,
                "attributes": .object(instance.attributes),
            ])
            return SandboxExecution(
                source: Self.prelude, input: input, limits: SandboxLimits(),
                mode: .deterministic(seed: UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15, logicalTime: Int64(attestation.issuedAt)),
                hostFunctions: [.input])
        }
    }

    func bareRun(_ executions: [SandboxExecution]) async throws -> StepRun {
        var samples: [Double] = []
        samples.reserveCapacity(executions.count)
        var results: [SandboxResult] = []
        results.reserveCapacity(executions.count)
        let start = clock.now
        for execution in executions {
            let stepStart = clock.now
            let result = await pool.run(execution)
            samples.append((clock.now - stepStart).seconds)
            results.append(result)
        }
        let total = (clock.now - start).seconds
        try checkBare(results)
        return StepRun(samples: samples, total: total, finalStateHash: "", finalCount: 0)
    }

    func checkBare(_ results: [SandboxResult]) throws {
        for result in results {
            guard result.status == .ok, case .object(let members)? = result.value, members["attributes"] != nil else {
                throw BenchmarkError("a bare sandbox run ended \(result.status.rawValue): \(result.message ?? result.value?.jsonText ?? "")")
            }
        }
    }

    /// (e) `AttestationVerifier.verify` (shape, canonical signing bytes, Ed25519, trust, history, time), one at a time.
    func verifyRun(_ attestations: [Attestation], count: Int) throws -> [Double] {
        let empty = SeenAttestations()
        var samples: [Double] = []
        samples.reserveCapacity(count)
        var failures = 0
        for index in 0..<count {
            let attestation = attestations[index % attestations.count]
            let start = clock.now
            let result = AttestationVerifier.verify(attestation, trust: definition.trust, now: now, seen: empty)
            samples.append((clock.now - start).seconds)
            if case .failure = result { failures += 1 }
        }
        guard failures == 0 else { throw BenchmarkError("\(failures) of \(count) attestations failed verification") }
        return samples
    }

    /// (e) The Ed25519 check alone: swift-crypto's `isValidSignature` over signing bytes computed beforehand.
    func ed25519Run(_ prepared: [(signature: [UInt8], bytes: [UInt8])], count: Int) throws -> [Double] {
        guard case .ed25519(let raw) = meter.issuer else { throw BenchmarkError("the meter is not an Ed25519 issuer") }
        let key = try Curve25519.Signing.PublicKey(rawRepresentation: raw)
        var samples: [Double] = []
        samples.reserveCapacity(count)
        var failures = 0
        for index in 0..<count {
            let item = prepared[index % prepared.count]
            let start = clock.now
            let valid = key.isValidSignature(item.signature, for: item.bytes)
            samples.append((clock.now - start).seconds)
            if !valid { failures += 1 }
        }
        guard failures == 0 else { throw BenchmarkError("\(failures) of \(count) Ed25519 signatures did not verify") }
        return samples
    }

    // MARK: - Many instances

    /// (d) `instances` instances, `attestations[i]` delivered in order to instance i through
    /// `JournaledInstance.deliver` (journal in memory); at most `width` instances in flight. Instances are made
    /// before the clock starts. Seconds for the whole batch.
    func manyRun(_ attestations: [[Attestation]], width: Int) async throws -> Double {
        let machine = self.machine
        let now = self.now
        let live = attestations.indices.map { JournaledInstance(machine: machine, instanceID: "instance-\($0)") }
        let start = clock.now
        let dispositions = try await withThrowingTaskGroup(of: (Int, [StepOutcome.Disposition]).self) { group in
            var next = 0
            func add() {
                let index = next
                next += 1
                let instance = live[index], ticks = attestations[index]
                group.addTask {
                    var done: [StepOutcome.Disposition] = []
                    for attestation in ticks { done.append(try await instance.deliver(attestation, now: now).disposition) }
                    return (index, done)
                }
            }
            while next < min(width, live.count) { add() }
            var all = [[StepOutcome.Disposition]](repeating: [], count: live.count)
            while let (index, done) = try await group.next() {
                all[index] = done
                if next < live.count { add() }
            }
            return all
        }
        let elapsed = (clock.now - start).seconds
        for (index, done) in dispositions.enumerated() {
            try checkApplied(done, side: "instance-\(index)")
            let instance = await live[index].instance
            guard count(of: instance) == Int64(attestations[index].count) else {
                throw BenchmarkError("instance-\(index) counted \(count(of: instance)), not \(attestations[index].count)")
            }
        }
        return elapsed
    }

    /// The sandbox alone at the same width: the ceiling the many-instances sides can approach.
    func manyBareRun(_ executions: [SandboxExecution], width: Int) async throws -> Double {
        let pool = self.pool
        let start = clock.now
        let results = await withTaskGroup(of: SandboxResult.self) { group in
            var next = 0
            var results: [SandboxResult] = []
            results.reserveCapacity(executions.count)
            while next < min(width, executions.count) {
                let execution = executions[next]
                next += 1
                group.addTask { await pool.run(execution) }
            }
            while let result = await group.next() {
                results.append(result)
                if next < executions.count {
                    let execution = executions[next]
                    next += 1
                    group.addTask { await pool.run(execution) }
                }
            }
            return results
        }
        let elapsed = (clock.now - start).seconds
        try checkBare(results)
        return elapsed
    }

    // MARK: - Checks

    func checkApplied(_ dispositions: [StepOutcome.Disposition], side: String) throws {
        for (index, disposition) in dispositions.enumerated() where disposition != .applied(trigger: "tick") {
            throw BenchmarkError("\(side): step \(index + 1) was \(disposition), not applied by tick")
        }
    }

    func count(of instance: TokenInstance) -> Int64 {
        if case .int(let value)? = instance.attributes["count"] { return value }
        return -1
    }

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
            ("journal-append", { try await journaledRun(ticks, sink: .append(fsync: false), file: "append.jsonl") }),
        ]
        if options.fsync {
            stepSides.append(("journal-append-fsync", { try await journaledRun(ticks, sink: .append(fsync: true), file: "fsync.jsonl") }))
        }
        if options.rewrite {
            stepSides.append(("journal-rewrite", { try await journaledRun(ticks, sink: .rewrite, file: "rewrite.jsonl") }))
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
        for side in stepSides {
            let run = try await side.measure()
            if side.id != "sandbox-bare" {
                if expectedHash == nil { expectedHash = run.finalStateHash }
                guard run.finalStateHash == expectedHash, run.finalCount == Int64(options.steps) else {
                    throw BenchmarkError("\(side.id) ended in state \(run.finalStateHash) (count \(run.finalCount)), apply in \(expectedHash!)")
                }
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
            "journal-memory": "(b) `JournaledInstance.deliver`, journal in memory",
            "journal-append": "(c) + append the entry's line to a file",
            "journal-append-fsync": "(c) + append and `fsync` every step",
            "journal-rewrite": "+ `Journal.write(to:)` (whole file) every step",
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

/// The payload as the engine hands it to Lua (`SandboxValue(_: AttestationValue)` is internal to the engine).
func sandboxValue(_ value: AttestationValue) -> SandboxValue {
    switch value {
    case .null: .null
    case .bool(let flag): .bool(flag)
    case .integer(let number): .int(number)
    case .string(let text): .string(text)
    case .array(let items): .array(items.map(sandboxValue))
    case .object(let members): .object(members.mapValues(sandboxValue))
    }
}

func engineProgress(_ message: String) {
    FileHandle.standardError.write(Data(("[engine] " + message + "\n").utf8))
}

/// `<repo>/Fixtures/engine/counter.xml`.
func defaultEngineTokenScript() -> String {
    // #filePath is <repo>/Benchmarks/Sources/tokenscript-benchmarks/EngineBenchmark.swift
    var repository = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { repository.deleteLastPathComponent() }
    let candidates = [
        repository.appendingPathComponent("Fixtures/engine/counter.xml").path,
        FileManager.default.currentDirectoryPath + "/Fixtures/engine/counter.xml",
    ]
    return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates[0]
}

func parseEngineArguments(_ arguments: [String]) throws -> EngineBenchmark.Options {
    var options = EngineBenchmark.Options(tokenScript: defaultEngineTokenScript())
    var iterator = arguments.makeIterator()
    func value(_ flag: String) throws -> String {
        guard let value = iterator.next() else { throw BenchmarkError("\(flag) needs a value\n\n\(usage)") }
        return value
    }
    func number(_ flag: String, minimum: Int) throws -> Int {
        let text = try value(flag)
        guard let number = Int(text), number >= minimum else {
            throw BenchmarkError("\(flag) needs a whole number >= \(minimum), not '\(text)'")
        }
        return number
    }
    while let argument = iterator.next() {
        switch argument {
        case "--tokenscript": options.tokenScript = try value(argument)
        case "--rounds": options.rounds = try number(argument, minimum: 1)
        case "--steps": options.steps = try number(argument, minimum: 1)
        case "--instances": options.instances = try number(argument, minimum: 0)
        case "--per-instance":
            let text = try value(argument)
            let counts = text.split(separator: ",").compactMap { Int($0) }
            guard !counts.isEmpty, counts.count == text.split(separator: ",").count, counts.allSatisfy({ $0 >= 1 }) else {
                throw BenchmarkError("--per-instance needs whole numbers >= 1, separated by commas, not '\(text)'")
            }
            options.perInstance = counts
        case "--width": options.width = try number(argument, minimum: 1)
        case "--pool-size": options.poolSize = try number(argument, minimum: 1)
        case "--verifications": options.verifications = try number(argument, minimum: 1)
        case "--journal-dir": options.journalDirectory = try value(argument)
        case "--no-fsync": options.fsync = false
        case "--no-rewrite": options.rewrite = false
        case "--json": options.json = true
        case "--markdown": options.markdownFile = try value(argument)
        case "--json-file": options.jsonFile = try value(argument)
        case "-h", "--help":
            print(usage)
            exit(0)
        default: throw BenchmarkError("unknown argument '\(argument)'\n\n\(usage)")
        }
    }
    if options.instances == 0 { options.perInstance = [] }
    options.tokenScript = URL(fileURLWithPath: options.tokenScript).standardizedFileURL.path
    return options
}
