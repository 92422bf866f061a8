import Foundation

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

let usage = """
    usage: tokenscript-benchmarks parse [--corpus DIR] [--rounds N] [--json] [--json-file FILE] [--markdown FILE]
                                        [--largest N] [--per-file-rounds N] [--no-concurrent] [--xmllint PATH]

      parse   our parse+model of every corpus file (TokenScriptReader.read) against `xmllint --noout --nonet`
              (and `--noent`) on the same files, interleaved round by round in one run.

      --corpus DIR          the corpus (default: ../shared/corpus/tokenscript from the repository root)
      --rounds N            measured rounds over the whole corpus (default 30), after one warm-up round
      --json                print the results as JSON instead of a table
      --json-file FILE      also write the JSON to FILE
      --markdown FILE       also write the figures as Markdown (used by Benchmarks/run-parse-benchmark.sh)
      --largest N           per-file breakdown of the N largest files (default 5, 0 to skip)
      --per-file-rounds N   rounds of the per-file breakdown (default 10)
      --no-concurrent       skip the extra all-cores figure for our reader
      --xmllint PATH        the xmllint to compare with (default: xmllint on PATH)

           tokenscript-benchmarks ours [--corpus DIR] [--rounds N]

      ours    only our side: reads the corpus N times (default 1) on one thread and prints the time; a driver for
              profilers, e.g. valgrind --tool=callgrind or perf record -e cpu-clock.

           tokenscript-benchmarks eval --manifest PATH [--rounds N] [--json] [--json-file FILE] [--markdown FILE]
                                       [--tokenscript FILE] [--token NAME] [--calls N] [--cold N] [--warm N]
                                       [--no-fresh-client]

      eval    attributes per second for the 10-attribute token (Benchmarks/TokenScripts/ten-attributes.xml) against
              the local node (scripts/ethnode/node.py), cold cache (a new AttributeEvaluator) and warm cache (a reused
              one), pinned to the manifest's blockNumberAfterSetup, interleaved round by round with the node's own
              eth_call latency through the same JSONRPCChainClient.

      --manifest PATH       the manifest node.py wrote (rpcUrl, contracts, expected values); required
      --rounds N            measured rounds (default 30), after two warm-up rounds
      --tokenscript FILE    the TokenScript (default: Benchmarks/TokenScripts/ten-attributes.xml)
      --token NAME          the manifest's ticket to evaluate (default vip)
      --calls N             sequential eth_calls of ownerOf per round (default 10)
      --cold N              cold evaluations, and runs of each raw-call side, per round (default 10)
      --warm N              warm evaluations per round (default 50)
      --no-fresh-client     skip the cold figure with a new client (new TCP connections) per evaluation
      --json, --json-file FILE, --markdown FILE   as for parse (Markdown used by Benchmarks/run-eval-benchmark.sh)

           tokenscript-benchmarks engine [--rounds N] [--steps N] [--instances N] [--per-instance 1,3] [--width N]
                                         [--pool-size N] [--verifications N] [--journal-dir DIR] [--no-file-store]
                                         [--no-signed-journal] [--tokenscript FILE] [--json] [--json-file FILE]
                                         [--markdown FILE]

      engine  attestations applied per second by the engine (issue 5), Fixtures/engine/counter.xml's tick transition
              in the sandbox's deterministic mode: one instance through TokenStateMachine.apply, through
              JournaledInstance.deliver (InMemoryJournalStore, unsigned and signed; FileJournalStore, fsync per
              step), and many instances concurrently; side by side with the bare SandboxPool run of the same Lua
              and the signature check alone. Needs the worker: TOKENSCRIPT_LUA_WORKER (run-engine-benchmark.sh sets it).

      --rounds N            measured rounds (default 5), after one warm-up round
      --steps N             attestations per single-instance side and round (default 300)
      --instances N         instances of the many-instances sides (default 10000; 0 to skip them)
      --per-instance LIST   attestations per instance, one side each (default 1,3)
      --width N             instances in flight at once (default 8)
      --pool-size N         sandbox workers (default 2)
      --verifications N     signature checks per round (default 2000)
      --journal-dir DIR     where the journal files go (default: a temporary directory, removed afterwards)
      --no-file-store, --no-signed-journal   skip the FileJournalStore side, the signed in-memory side
      --json, --json-file FILE, --markdown FILE   as for parse (Markdown used by Benchmarks/run-engine-benchmark.sh)

           tokenscript-benchmarks floor [--attestations N] [--writes-per-commit N] [--instances N] [--width N]
                                        [--pool-size N] [--tokenscript FILE] [--json] [--json-file FILE] [--markdown FILE]

      floor   the least CPU one attestation of the network benchmark's part (d) costs under the node's design, part by
              part with nothing of the node around it: an Ed25519 check, two Ed25519 signatures, a sandbox step of
              the tick transition (workers' CPU included), three durable SQLite writes with the node's schema; and
              the ceiling that puts on attestations per second on this machine's cores. Needs the worker, as engine.

      --attestations N      attestations charged per part (default 4000)
      --writes-per-commit N log and journal writes per SQLite transaction (default 24, the node's group commit)
      --instances N         instances the SQLite writes spread over (default 10000)
      --tokenscript FILE    the token (default: Benchmarks/network/counter.xml, the network benchmark's)
      --width N, --pool-size N, --json, --json-file FILE, --markdown FILE   as for engine

           tokenscript-benchmarks dormant-load --store FILE [--count N] [--script FILE]
           tokenscript-benchmarks dormant-measure --store FILE [--count N] [--reads N] [--wake-all] [--script FILE]
           tokenscript-benchmarks fenced-appends --store sqlite:FILE|postgres://… [--seconds S] [--writers N]

      dormant-load     creates N flight tickets at rest in a node's store (InstanceHost.createResting)
      dormant-measure  starts a node's host over that store and prints one JSON object: its memory (VmRSS) after
                       starting, the cold-read latency of N tickets reinstated from the store against warm reads of
                       the same tickets, and with --wake-all the memory of every ticket in memory (the reference).
                       Benchmarks/run-dormant-benchmark.sh runs both for 10,000, 100,000 and 1,000,000 tickets.
      fenced-appends   appends fenced by executor leases through the AttestationLog protocol for S seconds from N
                       writers (each its own instance and topic); prints one JSON object: the rate, latency p50/p99.
                       Benchmarks/run-cluster-benchmark.sh runs it on SQLite and PostgreSQL side by side.

      --store FILE          the node's SQLite store
      --count N             tickets (default 10000; dormant-measure: the ids it picks from)
      --reads N             cold reads, then the same warm (default 2000)
      --script FILE         the token (default: TokenScripts/flight-ticket.xml)
    """

/// `../shared/corpus/tokenscript` next to the repository this file lives in.
func defaultCorpus() -> String {
    ProcessInfo.processInfo.environment["TOKENSCRIPT_CORPUS"] ?? repositoryPath("../shared/corpus/tokenscript")
}

func parseArguments(_ arguments: [String]) throws -> ParseBenchmark.Options {
    var options = ParseBenchmark.Options(corpus: defaultCorpus())
    var reader = ArgumentReader(arguments)
    while let argument = reader.next() {
        switch argument {
        case "--corpus": options.corpus = try reader.value(argument)
        case "--rounds": options.rounds = try reader.number(argument, minimum: 1)
        case "--json": options.json = true
        case "--markdown": options.markdownFile = try reader.value(argument)
        case "--json-file": options.jsonFile = try reader.value(argument)
        case "--largest": options.largestFiles = try reader.number(argument, minimum: 0)
        case "--per-file-rounds": options.perFileRounds = try reader.number(argument, minimum: 1)
        case "--no-concurrent": options.concurrent = false
        case "--xmllint": options.xmllint = try reader.value(argument)
        case "-h", "--help":
            print(usage)
            exit(0)
        default: throw BenchmarkError("unknown argument '\(argument)'\n\n\(usage)")
        }
    }
    options.corpus = URL(fileURLWithPath: options.corpus).standardizedFileURL.path
    return options
}

@main
enum TokenScriptBenchmarks {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let command = arguments.first else {
            FileHandle.standardError.write(Data((usage + "\n").utf8))
            exit(2)
        }
        arguments.removeFirst()
        do {
            switch command {
            case "parse":
                let options = try parseArguments(arguments)
                let report = try ParseBenchmark(options: options).run()
                if let markdownFile = options.markdownFile {
                    try Data((report.markdown() + "\n").utf8).write(to: URL(fileURLWithPath: markdownFile))
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let json = try encoder.encode(report)
                if let jsonFile = options.jsonFile { try json.write(to: URL(fileURLWithPath: jsonFile)) }
                if options.json {
                    print(String(decoding: json, as: UTF8.self))
                } else {
                    print(report.table())
                }
            case "ours":
                var options = try parseArguments(arguments)
                if !arguments.contains("--rounds") { options.rounds = 1 }
                let benchmark = try ParseBenchmark(options: options)
                let bytes = benchmark.files.reduce(0) { $0 + $1.bytes }
                let (seconds, refused) = benchmark.oursSequential(benchmark.files, repetitions: options.rounds)
                print(
                    "ours: \(options.rounds) x \(benchmark.files.count) files (\(formatBytes(bytes))) in \(ms(seconds)); "
                        + "\(ms(seconds / Double(options.rounds))) per pass; \(refused / options.rounds) refused per pass"
                )
            case "eval":
                let options = try parseEvalArguments(arguments)
                let benchmark = try EvalBenchmark(options: options)
                let report = try runBlocking { try await benchmark.run() }
                if let markdownFile = options.markdownFile {
                    try Data((report.markdown() + "\n").utf8).write(to: URL(fileURLWithPath: markdownFile))
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let json = try encoder.encode(report)
                if let jsonFile = options.jsonFile { try json.write(to: URL(fileURLWithPath: jsonFile)) }
                if options.json {
                    print(String(decoding: json, as: UTF8.self))
                } else {
                    print(report.table())
                }
            case "engine":
                let options = try parseEngineArguments(arguments)
                let benchmark = try EngineBenchmark(options: options)
                let report = try runBlocking { try await benchmark.run() }
                if let markdownFile = options.markdownFile {
                    try Data((report.markdown() + "\n").utf8).write(to: URL(fileURLWithPath: markdownFile))
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let json = try encoder.encode(report)
                if let jsonFile = options.jsonFile { try json.write(to: URL(fileURLWithPath: jsonFile)) }
                if options.json {
                    print(String(decoding: json, as: UTF8.self))
                } else {
                    print(report.table())
                }
            case "floor":
                let options = try parseFloorArguments(arguments)
                let report = try runBlocking { try await FloorBenchmark(options: options).run() }
                if let markdownFile = options.engine.markdownFile {
                    try Data((report.markdown() + "\n").utf8).write(to: URL(fileURLWithPath: markdownFile))
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let json = try encoder.encode(report)
                if let jsonFile = options.engine.jsonFile { try json.write(to: URL(fileURLWithPath: jsonFile)) }
                print(options.engine.json ? String(decoding: json, as: UTF8.self) : report.table())
            case "dormant-load":
                let options = try DormantBenchmark.parse(arguments)
                try runBlocking { try await DormantBenchmark.load(options) }
            case "dormant-measure":
                let options = try DormantBenchmark.parse(arguments)
                let report = try runBlocking { try await DormantBenchmark.measure(options) }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            case "fenced-appends":
                let options = try FencedAppendBenchmark.parse(arguments)
                let report = try runBlocking { try await FencedAppendBenchmark.run(options) }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            case "-h", "--help", "help":
                print(usage)
            default:
                throw BenchmarkError("unknown benchmark '\(command)'\n\n\(usage)")
            }
        } catch {
            FileHandle.standardError.write(Data("tokenscript-benchmarks: \(error)\n".utf8))
            exit(1)
        }
    }
}
