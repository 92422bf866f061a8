import Crypto
import Dispatch
import Foundation
import TokenScriptAttestation
import TokenScriptDocument
import TokenScriptEngine
import TokenScriptJournalFile
import TokenScriptModel
import TokenScriptRuntime
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
        /// Whether to run the `FileJournalStore` side (fsync per step) and the signed in-memory side.
        var fileStore = true
        var signedJournal = true
        var json = false
        var markdownFile: String?
        var jsonFile: String?
    }

    let options: Options
    let definition: TokenDefinition
    let pool: SandboxPool
    let machine: TokenStateMachine
    let meter: Ed25519AttestationSigner
    /// The node's journal key of the signed in-memory side.
    let journalSigner: JournalSigner
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
        machine = TokenStateMachine(definition: definition, runtime: pool)
        journalSigner = try JournalSigner(seed: Array(repeating: 0x44, count: 32))
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
        /// SHA-256 of the unsigned journal's bytes (nil for sides without one): equal across stores.
        var journalDigest: String? = nil
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

    /// Where a journaled side writes its journal.
    enum JournalSink: Sendable {
        /// `InMemoryJournalStore`, unsigned (as `JournaledInstance(machine:instanceID:)` makes it).
        case memory
        /// `InMemoryJournalStore`, every line signed with the node's journal key (`JournalSigner`).
        case memorySigned
        /// `FileJournalStore`: one `write` and one `fsync` per line (durable per step), unsigned.
        case file
    }

    /// (b), (c) `JournaledInstance.deliver` through a journal store. The store is made, and for a file its header
    /// line written and synced, before the clock starts; what the store holds is checked after it stops.
    func journaledRun(_ ticks: [Attestation], sink: JournalSink, file: String) async throws -> StepRun {
        let initial = definition.newInstance(id: Self.singleInstanceID)
        let path = journalDirectory.appendingPathComponent(file).path
        let signer = sink == .memorySigned ? journalSigner : nil
        let header = JournalHeader(for: initial, signer: signer)
        let store: any JournalStore
        switch sink {
        case .memory, .memorySigned:
            store = InMemoryJournalStore(header: header)
        case .file:
            try? FileManager.default.removeItem(atPath: path)
            store = try FileJournalStore(creating: path, header: header)
        }
        let live = try await JournaledInstance(machine: machine, store: store, signer: signer)
        var samples: [Double] = []
        samples.reserveCapacity(ticks.count)
        var outcomes: [StepOutcome.Disposition] = []
        outcomes.reserveCapacity(ticks.count)
        let start = clock.now
        for attestation in ticks {
            let stepStart = clock.now
            let outcome = try await live.deliver(attestation, now: now)
            samples.append((clock.now - stepStart).seconds)
            outcomes.append(outcome.disposition)
        }
        let total = (clock.now - start).seconds
        let journal = try await live.journal()
        let instance = await live.instance
        try checkApplied(outcomes, side: "journaled")
        guard journal.entries.count == ticks.count, journal.entries.last?.stateHash == instance.stateHash else {
            throw BenchmarkError("the journal has \(journal.entries.count) entries after \(ticks.count) deliveries")
        }
        if sink == .file {
            // What is on disk must read back as a verified journal, byte for byte the one the store returned.
            let onDisk = try Data(contentsOf: URL(fileURLWithPath: path))
            let reread = try Journal(bytes: Array(onDisk))
            guard reread.bytes == Array(onDisk), reread == journal else {
                throw BenchmarkError("\(path) does not read back as the journal of \(ticks.count) steps")
            }
        }
        let digest = SHA256.hash(data: journal.bytes).map { String(format: "%02x", $0) }.joined()
        return StepRun(
            samples: samples, total: total, finalStateHash: instance.stateHash, finalCount: count(of: instance),
            journalDigest: signer == nil ? digest : nil)
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
}
