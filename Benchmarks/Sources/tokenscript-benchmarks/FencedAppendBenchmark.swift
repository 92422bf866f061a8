import Foundation
import Synchronization
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptPostgres
import TokenScriptSQLite

/// Issue 13's store benchmark: fenced appends per second through the `AttestationLog` protocol, on the embedded
/// SQLite store (one file, group commit, `synchronous = FULL`) or on PostgreSQL (the pool, one `ts_append` round
/// trip each, fsync at commit), measured alike: `--writers` tasks, each the executor of its own instance (a lease
/// elected in the store), append to that instance's topic fenced by its lease as fast as they can for `--seconds`.
/// Every append is a whole transaction that checks the epoch, takes the topic's next position and inserts. Prints
/// one JSON object: appends, seconds, the rate, and per-append latency p50/p99 (ms).
///
/// `tokenscript-benchmarks fenced-appends --store sqlite:FILE|postgres://… [--seconds S] [--writers N]`
enum FencedAppendBenchmark {
    struct Options {
        var store = ""
        var seconds = 10.0
        var writers = 64
    }

    struct Report: Codable {
        var store: String
        var writers: Int
        var appends: Int
        var seconds: Double
        var perSecond: Double
        var p50Ms: Double
        var p99Ms: Double
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var reader = ArgumentReader(arguments)
        while let argument = reader.next() {
            switch argument {
            case "--store": options.store = try reader.value(argument)
            case "--seconds": options.seconds = Double(try reader.number(argument, minimum: 1))
            case "--writers": options.writers = try reader.number(argument, minimum: 1)
            default: throw BenchmarkError("unknown argument '\(argument)'")
            }
        }
        guard !options.store.isEmpty else { throw BenchmarkError("--store sqlite:FILE or postgres://… is required") }
        return options
    }

    /// The log and the election of `store`, and what closes them.
    static func open(_ store: String) async throws -> (any AttestationLog, any ExecutorElection, () -> Void) {
        let clock = SystemBenchmarkClock()
        if store.hasPrefix("sqlite:") {
            let sqlite = try SQLiteStore(path: String(store.dropFirst("sqlite:".count)), clock: clock)
            return (
                SQLiteAttestationLog(store: sqlite), SQLiteLeaseAuthority(store: sqlite, leaseSeconds: 3_600), {}
            )
        }
        let postgres = try await PostgresStore(url: store, clock: clock)
        return (
            PostgresAttestationLog(store: postgres), PostgresLeaseAuthority(store: postgres, leaseSeconds: 3_600),
            { postgres.close() }
        )
    }

    static func run(_ options: Options) async throws -> Report {
        let (log, election, close) = try await open(options.store)
        defer { close() }
        let run = UUID().uuidString.prefix(8).lowercased()
        let signer = try Ed25519AttestationSigner(seed: [UInt8](repeating: 0x42, count: 32))
        var leases: [ExecutorLease] = []
        for writer in 0..<options.writers {
            let instance = "bench-\(run)-\(writer)"
            leases.append(try await election.acquire(instance, for: "bench", seenEpoch: 0).lease)
        }
        // Signed before the clock starts: the benchmark measures the store, not Ed25519.
        let perWriter = 4_000
        var prepared: [[Attestation]] = []
        for (writer, lease) in leases.enumerated() {
            prepared.append(
                try (0..<perWriter).map { index in
                    try signer.sign(
                        Attestation(
                            id: "\(lease.instance)/\(index)", topic: "order/\(lease.instance)", type: "order",
                            issuer: signer.issuer, issuedAt: 1_790_000_000, payload: .integer(Int64(writer))))
                })
        }
        let deadline = ContinuousClock.now + .milliseconds(Int(options.seconds * 1000))
        let started = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for (writer, lease) in leases.enumerated() {
                let batch = prepared[writer]
                group.addTask {
                    var samples: [Double] = []
                    for attestation in batch {
                        guard ContinuousClock.now < deadline else { break }
                        let begin = ContinuousClock.now
                        _ = try await log.append(attestation, fencedBy: lease)
                        samples.append((ContinuousClock.now - begin).seconds)
                    }
                    return samples
                }
            }
            return try await group.reduce(into: [Double]()) { $0 += $1 }
        }
        let elapsed = (ContinuousClock.now - started).seconds
        let sorted = latencies.sorted()
        return Report(
            store: options.store.hasPrefix("sqlite:") ? "sqlite" : "postgres", writers: options.writers,
            appends: latencies.count, seconds: elapsed, perSecond: Double(latencies.count) / elapsed,
            p50Ms: Summary.quantile(sorted, 0.5) * 1000, p99Ms: Summary.quantile(sorted, 0.99) * 1000)
    }
}

/// The wall clock, for lease expiry in the benchmark's stores.
struct SystemBenchmarkClock: EngineClock {
    func unixSeconds() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }
}
