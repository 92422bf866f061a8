import Crypto
import Foundation
import GRDB
import TokenScriptAttestation
import TokenScriptSandbox

/// `tokenscript-benchmarks floor`: the least CPU one attestation of the network benchmark's part (d) can cost on
/// this machine under the node's design, measured part by part with nothing of the node around it, and the
/// ceiling that puts on attestations applied per second.
///
/// What the design asks for each attestation posted to a single node: one Ed25519 check of the input, two Ed25519
/// signatures (the order record and the journal line), one fresh-`lua_State` sandbox step of the transition, and
/// three durable writes (the input and the order record in the log, the journal line with the instance's row).
/// Each is run alone, many times, and charged by CPU time (`getrusage`, every thread of this process, user and
/// system; the sandbox's worker processes from `/proc`), not by wall time, so waiting is not counted and the sum
/// is a floor: the node's own work (HTTP, JSON, scheduling, the engine) only adds to it.
struct FloorBenchmark {
    struct Options: Sendable {
        var engine: EngineBenchmark.Options
        /// Attestations charged per part.
        var attestations = 4_000
        /// Log and journal writes per SQLite transaction, as the node's group commit joins them.
        var writesPerCommit = 24
        /// Instances the SQLite part spreads its writes over (rows chosen in random order, like the node's).
        var instances = 10_000
        var cores = ProcessInfo.processInfo.activeProcessorCount
    }

    /// One part's CPU per attestation, in microseconds, and how many operations of it one attestation needs.
    struct Part: Codable, Sendable {
        var id: String
        var what: String
        var perAttestation: Int
        var cpuMicroseconds: Double
    }

    struct Report: Codable, Sendable {
        var parts: [Part]
        /// Not part of the floor: what the store part would cost in a layout stripped of everything but the rows.
        var leanStore: Part
        var cores: Int
        var attestations: Int
        var writesPerCommit: Int
        var totalMicroseconds: Double { parts.reduce(0) { $0 + $1.cpuMicroseconds } }
        var ceiling: Double { Double(cores) * 1e6 / totalMicroseconds }
        /// The floor with the leanest store in place of the node's.
        var leanTotalMicroseconds: Double {
            totalMicroseconds - (parts.first { $0.id == "sqlite" }?.cpuMicroseconds ?? 0) + leanStore.cpuMicroseconds
        }
    }

    let options: Options
    let engine: EngineBenchmark

    init(options: Options) throws {
        self.options = options
        var engineOptions = options.engine
        // The network benchmark's token names its meter's key as a placeholder: any valid key will do, the
        // engine benchmark puts its own meter's key in its place.
        let text = try String(contentsOfFile: engineOptions.tokenScript, encoding: .utf8)
        if text.contains("METER_KEY") {
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent(
                "tokenscript-floor-\(getpid()).xml")
            try text.replacingOccurrences(of: "METER_KEY", with: String(repeating: "ab", count: 32))
                .write(to: copy, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: copy) }
            engineOptions.tokenScript = copy.path
            engine = try EngineBenchmark(options: engineOptions)
        } else {
            engine = try EngineBenchmark(options: engineOptions)
        }
    }

    func run() async throws -> Report {
        let count = options.attestations
        floorProgress("signing \(count) ticks")
        let ticks = try (0..<count).map { try engine.tick($0, instance: "floor-\($0 % options.instances)") }
        var parts: [Part] = []
        floorProgress("Ed25519 checks")
        parts.append(
            Part(
                id: "verify", what: "Ed25519 check of the input", perAttestation: 1, cpuMicroseconds: try verify(ticks))
        )
        floorProgress("Ed25519 signatures")
        parts.append(
            Part(
                id: "sign", what: "Ed25519 signatures: the order record and the journal line", perAttestation: 2,
                cpuMicroseconds: 2 * sign(ticks)))
        floorProgress("sandbox steps")
        parts.append(
            Part(
                id: "lua", what: "sandbox step of the tick transition (this process and its workers)",
                perAttestation: 1,
                cpuMicroseconds: try await sandbox(ticks)))
        floorProgress("SQLite writes")
        parts.append(
            Part(
                id: "sqlite", what: "durable writes: input, order record, journal line and instance row",
                perAttestation: 3,
                cpuMicroseconds: try store(count)))
        floorProgress("SQLite writes, leanest layout")
        let lean = Part(
            id: "sqlite-lean",
            what: "the same three rows in the leanest layout: no secondary index, no instance row, 500-byte lines",
            perAttestation: 3, cpuMicroseconds: try store(count, lean: true))
        if engine.removeJournalDirectory { try? FileManager.default.removeItem(at: engine.journalDirectory) }
        return Report(
            parts: parts, leanStore: lean, cores: options.cores, attestations: count,
            writesPerCommit: options.writesPerCommit)
    }

    // MARK: - Parts

    func verify(_ ticks: [Attestation]) throws -> Double {
        guard case .ed25519(let raw) = engine.meter.issuer else {
            throw BenchmarkError("the meter is not an Ed25519 issuer")
        }
        let key = try Curve25519.Signing.PublicKey(rawRepresentation: raw)
        let prepared = ticks.map { (signature: $0.signature, bytes: $0.signingBytes) }
        var failures = 0
        let cpu = processCPU {
            for item in prepared where !key.isValidSignature(item.signature, for: item.bytes) { failures += 1 }
        }
        guard failures == 0 else { throw BenchmarkError("\(failures) signatures did not verify") }
        return cpu * 1e6 / Double(ticks.count)
    }

    /// One signature's CPU, over each tick's signing bytes (an order record's are of the same size).
    func sign(_ ticks: [Attestation]) -> Double {
        let key = Curve25519.Signing.PrivateKey()
        let messages = ticks.map(\.signingBytes)
        var length = 0
        let cpu = processCPU {
            for message in messages { length &+= ((try? key.signature(for: message))?.count ?? 0) }
        }
        precondition(length == 64 * messages.count, "a signature failed")
        return cpu * 1e6 / Double(messages.count)
    }

    /// The engine benchmark's bare sandbox side at its width, charged with the workers' CPU too.
    func sandbox(_ ticks: [Attestation]) async throws -> Double {
        let executions = try engine.bareExecutions(ticks)
        _ = try await engine.manyBareRun(Array(executions.prefix(200)), width: options.engine.width)
        let before = processCPUSeconds() + childrenCPUSeconds()
        _ = try await engine.manyBareRun(executions, width: options.engine.width)
        let after = processCPUSeconds() + childrenCPUSeconds()
        return (after - before) * 1e6 / Double(ticks.count)
    }

    /// The node's three writes per attestation, with its schema and statements, in WAL mode with
    /// `synchronous = FULL`, `writesPerCommit` writes per transaction, rows of the sizes a node stores.
    ///
    /// `lean`: the same three rows per attestation with nothing the node adds for its queries: no topic index, no
    /// unique attestation id, no instance row, journal lines of 500 bytes. Not a layout the node could run on;
    /// what any durable SQLite append of these rows costs here.
    func store(_ count: Int, lean: Bool = false) throws -> Double {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenscript-floor-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let queue = try DatabaseQueue(
            path: directory.appendingPathComponent("floor.sqlite").path, configuration: configuration)
        let instances = options.instances
        let name = { (index: Int) in String(format: "floor-%05d", index) }
        try queue.write { db in
            try db.execute(sql: lean ? Self.leanSchema : Self.schema)
            for index in 0..<instances {
                try db.execute(
                    sql: "INSERT INTO token_instance (id, definition_id, step, canonical) VALUES (?, 'counter', 0, ?)",
                    arguments: [name(index), String(repeating: "c", count: 148)])
                try db.execute(
                    sql: "INSERT INTO lease (instance, epoch, holder, expires_at) VALUES (?, 1, 'node', 9999999999)",
                    arguments: [name(index)])
            }
        }
        // Sizes measured in a node's store after part (d): a logged tick, an order record, a journal line.
        let input = String(repeating: "a", count: 497), order = String(repeating: "o", count: 497)
        let line = Data(repeating: 0x6c, count: lean ? 500 : 1917), hash = String(repeating: "f", count: 64)
        var shuffled = Array(0..<count)
        var generator = SystemRandomNumberGenerator()
        shuffled.shuffle(using: &generator)
        let perCommit = max(1, options.writesPerCommit / 3)
        var written = 0
        let cpu = try processCPU {
            for start in stride(from: 0, to: count, by: perCommit) {
                try queue.write { db in
                    for index in shuffled[start..<min(count, start + perCommit)] {
                        let instance = name(index % instances)
                        if lean {
                            try leanAppend(db, topic: "tick/" + instance, body: input)
                            try leanAppend(db, topic: "order/" + instance, body: order)
                            try db.cachedStatement(
                                sql: "INSERT INTO journal_entry (instance, sequence, line) VALUES (?, ?, ?)"
                            )
                            .execute(arguments: [instance, index / instances + 1, line])
                            written += 3
                            continue
                        }
                        try append(db, topic: "tick/" + instance, id: "t-\(index)", body: input, fence: nil)
                        _ = try Row.fetchOne(
                            db.cachedStatement(sql: "SELECT epoch, holder, expires_at FROM lease WHERE instance = ?"),
                            arguments: [instance])
                        try append(
                            db, topic: "order/" + instance, id: "order-\(index)-" + hash, body: order, fence: instance)
                        try db.cachedStatement(
                            sql: "INSERT INTO journal_entry (instance, sequence, line, hash) VALUES (?, ?, ?, ?)"
                        ).execute(arguments: [instance, index / instances + 1, line, hash])
                        try db.cachedStatement(
                            sql: "UPDATE token_instance SET step = step + 1, canonical = ? WHERE id = ?"
                        )
                        .execute(arguments: [String(repeating: "d", count: 148), instance])
                        written += 3
                    }
                }
            }
        }
        guard written == 3 * count else { throw BenchmarkError("wrote \(written) of \(3 * count) rows") }
        return cpu * 1e6 / Double(count)
    }

    /// One log append as the node's log does it: the topic's counter, the topic index for a new topic, the entry.
    private func append(_ db: Database, topic: String, id: String, body: String, fence: String?) throws {
        let position = try nextPosition(db, topic: topic)
        if position == 1 {
            try db.cachedStatement(sql: "INSERT INTO topic_index (topic) VALUES (?)").execute(arguments: [topic])
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO log_entry (topic, position, attestation_id, attestation, fence_instance, fence_epoch)
                VALUES (?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [topic, position, id, body, fence, fence == nil ? nil : 1])
    }

    /// The topic's next position, taken from its counter row as the node's log takes it.
    private func nextPosition(_ db: Database, topic: String) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(
                sql: """
                    INSERT INTO topic_head (topic, last_position) VALUES (?, 1)
                    ON CONFLICT (topic) DO UPDATE SET last_position = last_position + 1 RETURNING last_position
                    """), arguments: [topic]) ?? 0
    }

    /// A log append with only the topic's counter and the entry.
    private func leanAppend(_ db: Database, topic: String, body: String) throws {
        try db.cachedStatement(sql: "INSERT INTO log_entry (topic, position, attestation) VALUES (?, ?, ?)")
            .execute(arguments: [topic, try nextPosition(db, topic: topic), body])
    }

    static let leanSchema = """
        CREATE TABLE lease (instance TEXT PRIMARY KEY NOT NULL, epoch INTEGER NOT NULL, holder TEXT,
            expires_at INTEGER NOT NULL) STRICT;
        CREATE TABLE token_instance (id TEXT PRIMARY KEY NOT NULL, definition_id TEXT NOT NULL, step INTEGER NOT NULL,
            canonical TEXT NOT NULL) STRICT;
        CREATE TABLE topic_head (topic TEXT PRIMARY KEY NOT NULL, last_position INTEGER NOT NULL) STRICT;
        CREATE TABLE log_entry (topic TEXT NOT NULL, position INTEGER NOT NULL, attestation TEXT NOT NULL,
            PRIMARY KEY (topic, position)) STRICT, WITHOUT ROWID;
        CREATE TABLE journal_entry (instance TEXT NOT NULL, sequence INTEGER NOT NULL, line BLOB NOT NULL,
            PRIMARY KEY (instance, sequence)) STRICT, WITHOUT ROWID;
        """

    /// The tables of `TokenScriptSQLite`'s schema the three writes touch.
    static let schema = """
        CREATE TABLE lease (instance TEXT PRIMARY KEY NOT NULL, epoch INTEGER NOT NULL, holder TEXT,
            expires_at INTEGER NOT NULL) STRICT;
        CREATE TABLE topic_head (topic TEXT PRIMARY KEY NOT NULL, last_position INTEGER NOT NULL) STRICT;
        CREATE TABLE log_entry (topic TEXT NOT NULL, position INTEGER NOT NULL, attestation_id TEXT NOT NULL UNIQUE,
            attestation TEXT NOT NULL, fence_instance TEXT, fence_epoch INTEGER, PRIMARY KEY (topic, position))
            STRICT, WITHOUT ROWID;
        CREATE TABLE token_instance (id TEXT PRIMARY KEY NOT NULL, definition_id TEXT NOT NULL, step INTEGER NOT NULL,
            canonical TEXT NOT NULL) STRICT;
        CREATE INDEX token_instance_by_definition ON token_instance (definition_id, id);
        CREATE TABLE journal_entry (instance TEXT NOT NULL, sequence INTEGER NOT NULL, line BLOB NOT NULL,
            hash TEXT NOT NULL, PRIMARY KEY (instance, sequence)) STRICT, WITHOUT ROWID;
        CREATE TABLE topic_index (position INTEGER PRIMARY KEY, topic TEXT NOT NULL UNIQUE) STRICT;
        """
}

extension FloorBenchmark.Report {
    /// The figures as Markdown, for `Benchmarks/run-floor-benchmark.sh`.
    func markdown() -> String {
        var lines = [
            "| part | per attestation | CPU µs per attestation | share |",
            "|---|---:|---:|---:|",
        ]
        for part in parts {
            lines.append(
                "| \(part.what) | \(part.perAttestation) | \(format(part.cpuMicroseconds, 1)) | "
                    + "\(format(part.cpuMicroseconds / totalMicroseconds * 100, 0)) % |")
        }
        lines.append("| **floor: the sum** | | **\(format(totalMicroseconds, 1))** | 100 % |")
        lines.append(
            "| *not summed:* \(leanStore.what) | \(leanStore.perAttestation) | \(format(leanStore.cpuMicroseconds, 1)) | |"
        )
        lines.append("")
        lines.append(
            "**Ceiling on \(cores) cores: \(formatRate(ceiling)) attestations/s** (\(cores) × 10⁶ µs / the floor), "
                + "if every core did nothing but these parts; the target is 5,000/s. \(attestations) attestations per part, "
                + "\(writesPerCommit) writes per SQLite transaction. With the leanest store in place of the node's, the floor "
                + "would be \(format(leanTotalMicroseconds, 1)) µs and the ceiling \(formatRate(Double(cores) * 1e6 / leanTotalMicroseconds))/s."
        )
        return lines.joined(separator: "\n")
    }

    func table() -> String {
        var lines = parts.map {
            "\($0.id): \(format($0.cpuMicroseconds, 1)) µs (\($0.what), \($0.perAttestation) per attestation)"
        }
        lines.append("floor: \(format(totalMicroseconds, 1)) µs of CPU per attestation")
        lines.append("ceiling on \(cores) cores: \(formatRate(ceiling)) attestations/s")
        lines.append(
            "leanest store: \(format(leanStore.cpuMicroseconds, 1)) µs; floor with it \(format(leanTotalMicroseconds, 1)) µs, "
                + "ceiling \(formatRate(Double(cores) * 1e6 / leanTotalMicroseconds))/s")
        return lines.joined(separator: "\n")
    }
}

// MARK: - CPU time

/// User and system CPU seconds of every thread of this process.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// User and system CPU seconds of this process's live children (the sandbox workers), from `/proc`.
func childrenCPUSeconds() -> Double {
    let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    var total = 0.0
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    for task in tasks {
        guard let children = try? String(contentsOfFile: "/proc/self/task/\(task)/children", encoding: .utf8) else {
            continue
        }
        for child in children.split(separator: " ") {
            guard let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) {
                total += (user + system) / ticks
            }
        }
    }
    return total
}

/// The CPU seconds `body` took, every thread of this process counted.
func processCPU(_ body: () throws -> Void) rethrows -> Double {
    let before = processCPUSeconds()
    try body()
    return processCPUSeconds() - before
}

func floorProgress(_ message: String) {
    FileHandle.standardError.write(Data(("[floor] " + message + "\n").utf8))
}
