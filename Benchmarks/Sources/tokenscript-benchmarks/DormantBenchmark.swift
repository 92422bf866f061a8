import Crypto
import Foundation
import Logging
import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptDocument
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptNode
import TokenScriptSQLite
import TokenScriptSandbox

/// Issue 12's lifecycle benchmark: a node whose store holds N flight tickets at rest (dormant, created with
/// `InstanceHost.createResting`), measured in a fresh process per store: its memory after starting (VmRSS),
/// the time `recover` took, and the latency of cold reads (`InstanceHost.view(of:)` of tickets at rest, each
/// reinstated from the store) against warm reads of the same tickets once in memory. With `--wake-all`, the
/// reference: every ticket read into memory, and the memory that costs.
///
/// `dormant-load` fills a store; `dormant-measure` measures one and prints one JSON object.
enum DormantBenchmark {
    /// The node's key for the benchmark (a fixed seed: the store's records are signed with it).
    static let seed = [UInt8](repeating: 0x5d, count: 32)
    static let holder = "0x" + String(repeating: "ab", count: 32)

    struct Options {
        var store = ""
        var script = repositoryPath("TokenScripts/flight-ticket.xml")
        var count = 10_000
        var reads = 2_000
        var wakeAll = false
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var reader = ArgumentReader(arguments)
        while let argument = reader.next() {
            switch argument {
            case "--store": options.store = try reader.value(argument)
            case "--script": options.script = try reader.value(argument)
            case "--count": options.count = try reader.number(argument, minimum: 0)
            case "--reads": options.reads = try reader.number(argument, minimum: 1)
            case "--wake-all": options.wakeAll = true
            default: throw BenchmarkError("unknown argument '\(argument)'\n\n\(usage)")
            }
        }
        guard !options.store.isEmpty else { throw BenchmarkError("--store is required\n\n\(usage)") }
        return options
    }

    /// The flight ticket as a node loads it (`NodeScripts.load`, which the CLI keeps to itself).
    static func hostedScript(_ path: String, nodeKey: String) throws -> HostedScript {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let loaded = try TokenScriptReader.read(file: path)
        guard !loaded.hasErrors, let server = loaded.tokenScript.server else {
            throw BenchmarkError("\(path) cannot be hosted: \(loaded.errors.map(\.description))")
        }
        let prepared = ExecutorTrust.prepare(
            server, executors: [(name: ExecutorTrust.defaultExecutorName, key: nodeKey)], anchor: nodeKey)
        return HostedScript(
            name: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent,
            definition: try TokenDefinition(name: loaded.tokenScript.name ?? "", server: prepared),
            environment: loaded.tokenScript.environment(),
            scriptHash: Hex.encode(Array(SHA256.hash(data: bytes)), prefix: false))
    }

    static func host(_ options: Options, store: SQLiteStore, runtime: SandboxPool) throws -> InstanceHost {
        let signer = try Ed25519AttestationSigner(seed: seed)
        var logger = Logger(label: "dormant-benchmark")
        logger.logLevel = .error
        return try InstanceHost(
            scripts: [try hostedScript(options.script, nodeKey: signer.issuer.key)],
            store: SQLiteNodeStore(store),
            log: SQLiteAttestationLog(store: store, pollInterval: .seconds(30)),
            election: SQLiteLeaseAuthority(store: store), nodeName: "bench", signerSeed: seed, runtime: runtime,
            effectTransport: RefusingEffectTransport(), clock: SystemClock(),
            logger: logger)
    }

    static func id(_ index: Int) -> String { "t-" + String(format: "%07d", index) }

    /// Creates `count` tickets at rest, 10,000 per call, with progress on standard error.
    static func load(_ options: Options) async throws {
        let store = try SQLiteStore(path: options.store, clock: SystemClock())
        let pool = try SandboxPool(configuration: .init(size: 1))
        defer { pool.shutdown() }
        let host = try host(options, store: store, runtime: pool)
        let started = ContinuousClock.now
        for first in stride(from: 0, to: options.count, by: 10_000) {
            let batch = (first..<min(first + 10_000, options.count)).map { index in
                InstanceHost.RestingCreation(
                    id: id(index), attributes: ["flight": .string("F" + String(index % 5_000))])
            }
            try await host.createResting(script: "flight-ticket", holder: holder, instances: batch)
            let done = first + batch.count
            let seconds = (ContinuousClock.now - started).seconds
            FileHandle.standardError.write(
                Data("\r  loaded \(done) / \(options.count) (\(Int(Double(done) / max(seconds, 0.001)))/s)".utf8))
        }
        FileHandle.standardError.write(Data("\n".utf8))
        await host.stop()
    }

    struct Report: Codable {
        var count: Int
        var wokeAll: Bool
        var recoverSeconds: Double
        var rssBeforeHostKiB: Int
        var rssAfterStartKiB: Int
        var rssAfterReadsKiB: Int
        var rssAfterWakingAllKiB: Int?
        var reads: Int
        var coldP50Microseconds: Double
        var coldP99Microseconds: Double
        var warmP50Microseconds: Double
        var warmP99Microseconds: Double
    }

    static func measure(_ options: Options) async throws -> Report {
        let store = try SQLiteStore(path: options.store, clock: SystemClock())
        let pool = try SandboxPool(configuration: .init(size: 1))
        defer { pool.shutdown() }
        let before = residentKiB()
        let host = try host(options, store: store, runtime: pool)
        let started = ContinuousClock.now
        try await host.recover()
        let recoverSeconds = (ContinuousClock.now - started).seconds
        let afterStart = residentKiB()
        var generator = SystemRandomNumberGenerator()
        let picked = Array(
            Set((0..<options.reads * 2).map { _ in Int.random(in: 0..<options.count, using: &generator) })
        )
        .prefix(min(options.reads, options.count)).map(id)
        var cold: [Double] = []
        for instance in picked {
            let start = ContinuousClock.now
            guard await host.view(of: instance) != nil else { throw BenchmarkError("\(instance) was not found") }
            cold.append((ContinuousClock.now - start).seconds)
        }
        var warm: [Double] = []
        for instance in picked {
            let start = ContinuousClock.now
            _ = await host.view(of: instance)
            warm.append((ContinuousClock.now - start).seconds)
        }
        let afterReads = residentKiB()
        var afterWaking: Int?
        if options.wakeAll {
            for index in 0..<options.count { _ = await host.view(of: id(index)) }
            afterWaking = residentKiB()
        }
        await host.stop()
        cold.sort()
        warm.sort()
        return Report(
            count: options.count, wokeAll: options.wakeAll, recoverSeconds: recoverSeconds,
            rssBeforeHostKiB: before, rssAfterStartKiB: afterStart, rssAfterReadsKiB: afterReads,
            rssAfterWakingAllKiB: afterWaking, reads: picked.count,
            coldP50Microseconds: Summary.quantile(cold, 0.5) * 1e6,
            coldP99Microseconds: Summary.quantile(cold, 0.99) * 1e6,
            warmP50Microseconds: Summary.quantile(warm, 0.5) * 1e6,
            warmP99Microseconds: Summary.quantile(warm, 0.99) * 1e6)
    }

    /// VmRSS of this process, in KiB.
    static func residentKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}

/// The wall clock, for the store's lease expiry and the host's records.
struct SystemClock: EngineClock {
    func unixSeconds() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }
}
